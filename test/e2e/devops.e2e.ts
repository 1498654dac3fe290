import assert from 'node:assert/strict';
import { chatView, openChat, pickChatModel, sendChatMessage, waitForChatModel } from './helpers/chat';
import { screenshot } from './helpers/screenshots';
import { session } from './helpers/session';

// @devops in the real Chat view of the demo workspace (sandbox backend, sandbox model): no account.
describe('@devops in the Chat view', () => {
  it('offers the sandbox model in the Chat model picker', async () => {
    const { page } = session();
    await openChat(page);
    const models = await waitForChatModel(page, 'Sandbox model');
    assert.ok(!models.some((m) => /Sign in to use Copilot/.test(m)), `the picker offers: ${models.join(' | ')}`);
  });

  it('answers @devops /status with the sandbox model', async function () {
    // The first answer connects the trackers to the sandbox (clients load, first full sync).
    this.timeout(120_000);
    const { page } = session();
    await pickChatModel(page, 'Sandbox model');
    const answer = await sendChatMessage(page, '@devops /status', 100_000);
    await screenshot(page, 'devops status answered');
    assert.match(answer, /Sprint 2/);
    assert.match(answer, /Recent agent runs/);
  });

  it('answers @devops /workitem 7 with the details and a summary from the sandbox model', async () => {
    const { page } = session();
    const answer = await sendChatMessage(page, '@devops /workitem 7');
    await screenshot(page, 'devops workitem answered');
    assert.match(answer, /Email the reset link/);
    assert.match(answer, /Summary: the work item describes a focused change/);
  });

  it('plans the demo Markdown epic with @devops /plan: every item it would create, nothing created yet, Review and Apply offered', async () => {
    const { page } = session();
    const answer = await sendChatMessage(page, '@devops /plan docs/checkout-epic.md');
    await screenshot(page, 'devops plan answered');
    assert.match(answer, /New User Story "Pay by card" under Feature "Card payments"/);
    assert.match(answer, /New Task "Build the card form" under User Story "Pay by card"/);
    assert.match(answer, /Nothing has been changed yet/);
    await chatView(page).locator('.monaco-button', { hasText: 'Review and Apply' }).last().waitFor({ state: 'visible' });
  });
});
