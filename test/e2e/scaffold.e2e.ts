import assert from 'node:assert/strict';
import { chatView, openChat, pickChatModel, sendChatMessage } from './helpers/chat';
import { screenshot } from './helpers/screenshots';
import { session } from './helpers/session';

// An agent end to end in the real workbench: @devops /scaffold plans (nothing written), "Review and
// Apply…" opens the proposed files in VS Code's multi-file diff editor beside a list of what will
// be applied, and Enter writes the project as one change.
describe('agents in the browser', () => {
  it('@devops /scaffold: the plan in the chat, the diff preview, then the files', async function () {
    this.timeout(240_000);
    const { page } = session();
    await openChat(page);
    await pickChatModel(page, 'Sandbox model');
    const answer = await sendChatMessage(page, '@devops /scaffold a notes API in Flask with SQLite', 150_000);
    assert.match(answer, /Scaffold notes-api: flask with sqlite/);
    assert.match(answer, /Nothing has been changed yet/);

    await chatView(page).locator('.monaco-button', { hasText: 'Review and Apply' }).last().click();
    const review = page.locator('.quick-input-widget');
    await review.waitFor({ state: 'visible', timeout: 60_000 });
    await review.locator('.quick-input-list .monaco-list-row', { hasText: 'notes-api/app/__init__.py' }).first().waitFor({ timeout: 30_000 });
    // The multi-file diff editor with the proposed files opens beside the list.
    await page.locator('.tab', { hasText: 'proposed' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'scaffold review with the proposed files as diffs');
    const shown = await review.innerText();
    assert.match(shown, /Files \(\d+\)/);
    assert.match(shown, /\d+ Selected/);

    await page.keyboard.press('Enter');
    const done = page.locator('.notification-toast', { hasText: /Scaffold: Scaffold notes-api: flask with sqlite \(\d+ files written\)/ });
    await done.waitFor({ timeout: 60_000 });
    await screenshot(page, 'scaffold applied');
  });
});
