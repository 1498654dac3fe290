import assert from 'node:assert/strict';
import { openChat, pickChatModel, sendChatMessage, waitForChatModel } from './helpers/chat';
import { screenshot } from './helpers/screenshots';
import { session } from './helpers/session';

// The chat helpers against the real Chat view, through the echo fixture (fixtures/echo-participant):
// a model declared with tool calling shows in the picker, and a participant runs with the model picked.
describe('Chat view helpers', () => {
  it('lists a registered model in the Chat model picker', async () => {
    const { page } = session();
    await openChat(page);
    const models = await waitForChatModel(page, 'E2E Echo Model');
    assert.ok(!models.some((m) => /Sign in to use Copilot/.test(m)), `the picker offers: ${models.join(' | ')}`);
  });

  it('picks that model, sends a message to a participant and reads its answer', async () => {
    const { page } = session();
    await pickChatModel(page, 'E2E Echo Model');
    const answer = await sendChatMessage(page, '@echo ping 42');
    await screenshot(page, 'chat echo answered');
    assert.equal(answer, 'echo from E2E Echo Model: ping 42');
  });
});
