import assert from 'node:assert/strict';
import { type Page } from 'playwright-core';
import { screenshot } from './helpers/screenshots';
import { session } from './helpers/session';
import { expandView, openViewContainer, rowsWhen } from './helpers/workbench';

/** Collapses every node of a view with its title bar's Collapse All action (the list is virtualized: collapsed, all top rows fit). */
async function collapseAll(page: Page, view: string): Promise<void> {
  const pane = await expandView(page, view);
  await pane.locator('.pane-header').hover();
  await pane.locator('.pane-header .action-label[aria-label^="Collapse All"]').click();
}

describe('Boards views in the browser VS Code', () => {
  it('shows the sandbox work items in Azure Boards as a hierarchy with state and assignee', async () => {
    const { page } = session();
    await openViewContainer(page, 'AI DevOps');
    // Wait for the expanded descendants too: the epic's row appears before its children are fetched.
    const rows = await rowsWhen(page, 'Azure Boards', (r) => r.some((t) => /Customer self-service portal/.test(t)) && r.some((t) => /^7 Email the reset link/.test(t)));
    await screenshot(page, 'azure boards tree');
    // Rows read "<id> <title><state> · <assignee>"; the epic's feature and story are expanded under it.
    assert.match(rows[0]!, /^1 Customer self-service portal\s*Active · /);
    assert.ok(rows.some((t) => /^7 Email the reset link\s*Active · Sandbox User$/.test(t)), rows.join(' | '));
    // The feature and the story sit inside the epic: the rows below it are its descendants, in tree order.
    assert.match(rows[1]!, /^2 Account sign-in and profile/);
    assert.match(rows[2]!, /^6 Reset a forgotten password/);
  });

  it('shows the GitHub project grouped by Status in its option order, "No Status" last', async () => {
    const { page } = session();
    const rows = await rowsWhen(page, 'GitHub Projects', (r) => r.some((t) => /^#\d+ /.test(t)));
    await screenshot(page, 'github projects tree');
    assert.match(rows[0]!, /^\S.* ?\d+$/, 'the first row is a status group with its count');
    await collapseAll(page, 'GitHub Projects');
    const groups = await rowsWhen(page, 'GitHub Projects', (r) => r.some((t) => /^No Status ?\d+/.test(t)));
    await screenshot(page, 'github projects status groups');
    assert.match(groups[groups.length - 1]!, /^No Status ?\d+/, groups.join(' | '));
    assert.ok(groups.length >= 3, groups.join(' | '));
  });
});
