import assert from 'node:assert/strict';
import { openChat, pickChatModel, sendChatMessage, waitForChatModel } from './helpers/chat';
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

  it('says plainly that @devops /plan is not available yet', async () => {
    const { page } = session();
    const answer = await sendChatMessage(page, '@devops /plan break down AB#1');
    assert.match(answer, /\/plan is not available yet in this version/);
  });
});
