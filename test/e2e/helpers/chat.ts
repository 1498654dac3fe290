import { type Locator, type Page } from 'playwright-core';
import { runPaletteCommand } from './workbench';

/**
 * Steps in VS Code's Chat view. The view lives in the auxiliary (secondary) side bar; a model must
 * be picked before a request can be sent (without one, the model picker offers only "Sign in to use
 * Copilot"). An extension's model appears there once it is registered with
 * `vscode.lm.registerLanguageModelChatProvider`, declares `capabilities.toolCalling: true`, and VS
 * Code has asked the provider for its models, which it does lazily: calling
 * `vscode.lm.selectChatModels({ vendor })` once after registering makes it ask.
 */

const TIMEOUT = 20_000;

export function chatView(page: Page): Locator {
  return page.locator('.interactive-session').filter({ has: page.locator('.interactive-input-part') }).first();
}

function chatInputEditor(page: Page): Locator {
  return chatView(page).locator('.interactive-input-part .interactive-input-editor .monaco-editor').first();
}

/** Shows the Chat view (opening it from the palette when it is not already visible). */
export async function openChat(page: Page): Promise<Locator> {
  if (!(await chatInputEditor(page).isVisible())) await runPaletteCommand(page, 'Chat: Open Chat');
  await chatInputEditor(page).waitFor({ timeout: TIMEOUT });
  return chatView(page);
}

/** Replaces the chat input's text with `text`, without sending it. */
export async function typeInChat(page: Page, text: string): Promise<void> {
  const editor = chatInputEditor(page);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

/**
 * The hint VS Code shows after a recognised `@participant /command` in the input: the command's
 * description from package.json. Empty when the participant or command is unknown.
 */
export async function chatInputHint(page: Page, timeout = 5_000): Promise<string> {
  const read = () =>
    chatInputEditor(page)
      .locator('.view-line span')
      .evaluateAll((spans) =>
        spans
          // Runs in the page; the project's TypeScript has no DOM types, so name what is used.
          .flatMap((span) => ['::before', '::after'].map((pseudo) => (globalThis as unknown as { getComputedStyle(e: unknown, p: string): { content: string } }).getComputedStyle(span, pseudo).content))
          .filter((c) => c && c !== 'none' && c !== 'normal')
          .map((c) => c.replace(/^"|"$/g, '').replace(/\\"/g, '"'))
          .join(''),
      );
  // VS Code decorates the input a moment after typing stops.
  const deadline = Date.now() + timeout;
  let hint = await read();
  while (hint === '' && Date.now() < deadline) {
    await page.waitForTimeout(200);
    hint = await read();
  }
  return hint;
}

function modelPicker(page: Page): Locator {
  return chatView(page).locator('.model-picker-item .action-label').first();
}

/**
 * The picker's entries: models (role "option"), or "Sign in to use Copilot..." (role "menuitem") when
 * it has none. The "Other Models" section toggle is not an entry.
 */
function pickerRows(page: Page): Locator {
  return page.locator('.chat-model-picker-dropdown .monaco-list-row.action:not(.chat-model-picker-section-toggle)');
}

/**
 * With models from more than one vendor, VS Code 1.139 shows the current model first and folds the
 * rest under a collapsed "Other Models" section (grouped by vendor); opens it when it is closed.
 */
async function expandOtherModels(page: Page): Promise<void> {
  const toggle = page.locator('.chat-model-picker-dropdown .monaco-list-row.chat-model-picker-section-toggle[aria-expanded="false"]').first();
  if ((await toggle.count()) === 0) return;
  await toggle.click();
  await page.locator('.chat-model-picker-dropdown .monaco-list-row.chat-model-picker-section-toggle[aria-expanded="true"]').first().waitFor({ timeout: TIMEOUT });
}

/** Opens the picker with every model shown. */
async function openModelPicker(page: Page): Promise<void> {
  await modelPicker(page).click();
  await pickerRows(page).first().waitFor({ timeout: TIMEOUT });
  await expandOtherModels(page);
}

/** The entries the Chat model picker offers, e.g. ["E2E Echo Model", "Manage Models..."] (opens it, reads it, closes it). */
export async function chatModelChoices(page: Page): Promise<string[]> {
  await openModelPicker(page);
  const labels = (await pickerRows(page).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t.length > 0);
  await page.keyboard.press('Escape');
  return labels;
}

/**
 * Waits until the Chat model picker offers a model whose name contains `name` (VS Code fills the
 * picker once the model's extension has activated and been asked for its models) and returns
 * what the picker offers. Fails with what it offered instead.
 */
export async function waitForChatModel(page: Page, name: string, timeout = 45_000): Promise<string[]> {
  const deadline = Date.now() + timeout;
  let offered = await chatModelChoices(page);
  while (!offered.some((m) => m.includes(name))) {
    if (Date.now() > deadline) {
      throw new Error(`The Chat model picker has no "${name}" after ${timeout / 1000} s; it offers: ${offered.join(' | ') || 'nothing'}. Is the model registered with capabilities.toolCalling: true, and has VS Code been asked for it (vscode.lm.selectChatModels)?`);
    }
    await page.waitForTimeout(1000);
    offered = await chatModelChoices(page);
  }
  return offered;
}

/** Picks a model in the Chat model picker by (part of) its name and waits until the picker shows it. */
export async function pickChatModel(page: Page, name: string): Promise<void> {
  await waitForChatModel(page, name);
  await openModelPicker(page);
  const row = pickerRows(page).filter({ hasText: name }).first();
  await row.click();
  await modelPicker(page).filter({ hasText: name }).waitFor({ timeout: TIMEOUT });
}

/**
 * Sends `text` (e.g. "@devops /status") and waits for the answer to finish; returns its text.
 * Fails when no response appears, naming what the view shows instead.
 */
export async function sendChatMessage(page: Page, text: string, timeout = 60_000): Promise<string> {
  // The chat list is virtualized: turns scrolled out of view leave the DOM, so counting responses
  // does not find the new one. Rows keep their position in `data-index`; the answer is the first
  // response row after the highest index shown before sending.
  const rows = chatView(page).locator('.monaco-list-row[data-index]');
  const indexes = async (): Promise<number[]> => (await rows.evaluateAll((els) => els.map((e) => Number((e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-index'))))).filter((n) => Number.isFinite(n));
  const before = Math.max(-1, ...(await indexes()));
  await typeInChat(page, text);
  // After `@participant /command` with nothing after it, the completion list is open and Enter
  // would accept a completion instead of sending: close it first.
  await page.waitForTimeout(300);
  if (await page.locator('.suggest-widget.visible').count()) await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  const deadline = Date.now() + timeout;
  let response: Locator | undefined;
  while (!response) {
    for (const index of (await indexes()).filter((n) => n > before).sort((a, b) => a - b)) {
      const candidate = chatView(page).locator(`.monaco-list-row[data-index="${index}"] .interactive-item-container.interactive-response`);
      if ((await candidate.count()) > 0) {
        response = candidate.first();
        break;
      }
    }
    if (response) break;
    if (Date.now() > deadline) throw new Error(`No chat response to "${text}" within ${timeout} ms. The view shows: ${(await chatView(page).innerText()).slice(0, 500)}`);
    await page.waitForTimeout(200);
  }
  // A finished response gets its completion time in the footer ("Completed <date>").
  await response.locator('.chat-response-completed-at').waitFor({ state: 'attached', timeout: Math.max(1_000, deadline - Date.now()) }).catch(async () => {
    throw new Error(`The response to "${text}" did not finish within ${timeout} ms. So far: ${(await response.innerText()).slice(0, 500)}`);
  });
  return (await response.locator('.value .chat-markdown-part').allInnerTexts()).join('\n').trim();
}
