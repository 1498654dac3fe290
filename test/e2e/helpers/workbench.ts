import { type Locator, type Page } from 'playwright-core';

/**
 * Reusable steps on a VS Code workbench page (code-server in Chromium). Each waits for what it
 * needs and fails with a message naming what was missing, so a feature's e2e step reads as a
 * sentence: `await openViewContainer(page, 'AI DevOps'); expect(await treeItems(page, 'Azure Boards'))...`.
 * Selectors follow VS Code's DOM (class names and ARIA labels), which is stable across releases.
 */

const DEFAULT_TIMEOUT = 20_000;

/** Escapes a string for use inside a CSS attribute selector value. */
export const css = (value: string): string => value.replace(/["\\]/g, '\\$&');

/** Matches the whole text, ignoring case (VS Code upper-cases some titles with CSS). */
export const exactly = (text: string): RegExp => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'i');

/** Waits until the workbench is rendered and the extension host is up (the status bar shows). */
export async function waitForWorkbench(page: Page, timeout = 60_000): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('.activitybar .action-item').first().waitFor({ timeout });
  await page.locator('.statusbar').waitFor({ timeout });
}

/** Runs a command from the palette by its full title (e.g. "AI DevOps: Show Log"). */
/** Picks a command in the palette; for a command that asks with its own quick pick next, which stays open. */
export async function startPaletteCommand(page: Page, title: string): Promise<void> {
  const input = await openQuickInput(page, 'F1');
  await input.fill(`>${title}`);
  const row = quickPickRow(page, title);
  await row.waitFor({ timeout: DEFAULT_TIMEOUT }).catch(async () => {
    const shown = await quickPickLabels(page);
    throw new Error(`The command palette has no "${title}". It offered: ${shown.join(' | ') || 'nothing'}`);
  });
  await input.press('Enter');
}

/** The palette's rows for a search (at most 10), then closes it; a `when` clause that hides a command shows here. */
export async function paletteRows(page: Page, search: string, timeout = DEFAULT_TIMEOUT): Promise<string[]> {
  const input = await openQuickInput(page, 'F1');
  await input.fill(`>${search}`);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout }).catch(() => undefined);
  const rows = await quickPickLabels(page);
  await input.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: DEFAULT_TIMEOUT });
  return rows;
}

export async function runPaletteCommand(page: Page, title: string): Promise<void> {
  await startPaletteCommand(page, title);
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: DEFAULT_TIMEOUT });
}

/** Opens a workspace file through Quick Open and waits for its editor tab to be active. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const input = await openQuickInput(page, 'Control+P');
  await input.fill(relativePath);
  const base = relativePath.split('/').pop() ?? relativePath;
  await quickPickRow(page, base).waitFor({ timeout: DEFAULT_TIMEOUT });
  await input.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label^="${css(base)}"]`).waitFor({ timeout: DEFAULT_TIMEOUT });
  await activeEditor(page).locator('.view-lines').waitFor({ timeout: DEFAULT_TIMEOUT });
}

/** The visible text of the active editor (only the rendered lines). */
export async function editorText(page: Page): Promise<string> {
  return (await activeEditor(page).locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

/** Code lens texts shown in the active editor (waits until at least one shows). */
export async function codeLensTexts(page: Page, timeout = DEFAULT_TIMEOUT): Promise<string[]> {
  const lenses = activeEditor(page).locator('.codelens-decoration');
  await lenses.first().waitFor({ timeout });
  return (await lenses.allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' ').trim()).filter((t) => t !== '');
}

/** The activity bar item (icon) of a view container, e.g. "AI DevOps". */
export function activityBarItem(page: Page, title: string): Locator {
  return page.locator(`.activitybar .action-item:has(a.action-label[aria-label^="${css(title)}"])`);
}

/** The number the badge on a container's activity bar icon shows (waits until one shows). */
export async function activityBarBadge(page: Page, title: string, timeout = DEFAULT_TIMEOUT): Promise<string> {
  const badge = activityBarItem(page, title).locator('.badge .badge-content');
  await badge.filter({ hasText: /\S/ }).waitFor({ timeout }).catch(() => {
    throw new Error(`The "${title}" icon in the activity bar shows no badge.`);
  });
  return (await badge.innerText()).trim();
}

/** Shows a view container from the activity bar (e.g. "AI DevOps") and returns its views' titles. */
export async function openViewContainer(page: Page, title: string): Promise<string[]> {
  const item = activityBarItem(page, title);
  await item.waitFor({ timeout: DEFAULT_TIMEOUT }).catch(() => {
    throw new Error(`The activity bar has no "${title}" item: is the extension installed and are its views contributed?`);
  });
  const heading = page.locator('.part.sidebar .composite.title .title-label h2');
  const shown = heading.filter({ hasText: exactly(title) });
  // Clicking the active container's icon hides the side bar, so click only when it is neither shown
  // nor already the active one (its item is "checked"): a window still restoring its layout after a
  // reload makes the container active a moment before its title shows, and a click then hid it.
  const active = async () => /\bchecked\b/.test((await item.getAttribute('class')) ?? '');
  // A restored window can also have the container active with the side bar hidden: then nothing
  // shows without a click. So wait a moment first, then click until the title shows (a click that
  // hid the side bar is undone by the next one).
  for (let attempt = 0; attempt < 3 && !(await shown.isVisible()); attempt++) {
    if (attempt > 0 || !(await active())) {
      // The click goes to the action item, not its icon: a badge on the icon (open work items, stale
      // TODOs) covers the icon's centre and would take a click aimed at the icon; it is inside the item.
      await item.click({ timeout: DEFAULT_TIMEOUT });
    }
    await shown.waitFor({ timeout: 5_000 }).catch(() => undefined);
  }
  await shown.waitFor({ timeout: DEFAULT_TIMEOUT }).catch(async () => {
    throw new Error(`The side bar did not switch to "${title}"; it shows "${await heading.innerText().catch(() => 'nothing')}".`);
  });
  return viewTitles(page);
}

/** Titles of the views (panes) in the side bar, in order. */
export async function viewTitles(page: Page): Promise<string[]> {
  await page.locator('.sidebar .pane-header').first().waitFor({ timeout: DEFAULT_TIMEOUT });
  return (await page.locator('.sidebar .pane-header h3.title').allInnerTexts()).map((t) => t.trim());
}

/** The side bar pane of a view, by title; expanded when collapsed. */
export async function expandView(page: Page, title: string): Promise<Locator> {
  const pane = page.locator('.sidebar .pane').filter({ has: page.locator(`.pane-header h3.title:text-is("${css(title)}")`) });
  await pane.waitFor({ timeout: DEFAULT_TIMEOUT }).catch(async () => {
    throw new Error(`No view "${title}" in the side bar; it shows: ${(await viewTitles(page)).join(', ')}`);
  });
  const header = pane.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  await pane.locator('.pane-body').waitFor({ timeout: DEFAULT_TIMEOUT });
  return pane;
}

/** The rows a tree view shows (label as rendered, e.g. "AB#4 Apply discount codes"), expanding the view first. */
export async function treeItems(page: Page, viewTitle: string, timeout = DEFAULT_TIMEOUT): Promise<string[]> {
  const pane = await expandView(page, viewTitle);
  const rows = pane.locator('.monaco-list-row');
  await rows.first().waitFor({ timeout }).catch(async () => {
    const welcome = await pane.locator('.welcome-view-content').innerText().catch(() => '');
    throw new Error(`The "${viewTitle}" view shows no items${welcome ? `, only its welcome text: ${welcome.trim()}` : ''}.`);
  });
  return (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}

/** Rows of a tree view once `ready` accepts them (the views load in the background). */
export async function rowsWhen(page: Page, view: string, ready: (rows: string[]) => boolean, timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rows = await treeItems(page, view).catch(() => []);
    if (ready(rows)) return rows;
    await page.waitForTimeout(250);
  }
  throw new Error(`The "${view}" view did not show what was expected in ${timeoutMs} ms; it showed: ${rows.join(' | ')}`);
}

/** The welcome text a view shows while it has no items. */
export async function viewWelcomeText(page: Page, viewTitle: string): Promise<string> {
  const pane = await expandView(page, viewTitle);
  const welcome = pane.locator('.welcome-view-content');
  await welcome.waitFor({ timeout: DEFAULT_TIMEOUT });
  return (await welcome.innerText()).trim();
}

/** Text of the Output panel's editor (the channel selected there). */
export async function outputPanelText(page: Page): Promise<string> {
  const lines = page.locator('.part.panel .output-view, .part.panel').locator('.monaco-editor .view-lines').first();
  await lines.waitFor({ timeout: DEFAULT_TIMEOUT });
  return (await lines.innerText()).replace(/\u00a0/g, ' ');
}

/** The channel the Output panel shows (its channel picker's value). */
export async function outputPanelChannel(page: Page): Promise<string> {
  const picker = page.locator('.part.panel select.monaco-select-box, .part.panel .output-view-channel-select select').first();
  await picker.waitFor({ timeout: DEFAULT_TIMEOUT });
  return picker.evaluate((el) => {
    const select = el as unknown as { options: ArrayLike<{ text: string }>; selectedIndex: number };
    return select.options[select.selectedIndex]?.text ?? '';
  });
}

function activeEditor(page: Page): Locator {
  return page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
}

async function openQuickInput(page: Page, key: string): Promise<Locator> {
  await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 }, trial: true }).catch(() => undefined);
  await page.keyboard.press(key);
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: DEFAULT_TIMEOUT });
  return input;
}

function quickPickRow(page: Page, label: string): Locator {
  return page.locator(`.quick-input-list .monaco-list-row[aria-label*="${css(label)}"]`).first();
}

async function quickPickLabels(page: Page): Promise<string[]> {
  return (await page.locator('.quick-input-list .monaco-list-row').allInnerTexts()).slice(0, 10).map((t) => t.replace(/\s+/g, ' ').trim());
}
