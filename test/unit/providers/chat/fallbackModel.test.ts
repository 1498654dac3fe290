import assert from 'node:assert/strict';
import { z } from 'zod';
import { type ChatModel } from '../../../../src/core/ai/chatModel';
import { ModelError } from '../../../../src/core/ai/modelErrors';
import { FallbackChatModel } from '../../../../src/providers/chat/fallbackModel';
import { sandboxModels, type SandboxModels } from './chatHarness';

const user = (content: string) => ({ role: 'user' as const, content });

describe('the picked model with the configured one as fallback', () => {
  let models: SandboxModels;
  before(async () => {
    models = await sandboxModels();
  });
  after(() => models.stop());

  const unusable = (failure: ModelError['failure'], afterText = false): ChatModel & { calls: number } => {
    const model = {
      calls: 0,
      info: { provider: 'vscode' as const, id: 'copilot-x', name: 'Copilot X', family: 'x', maxInputTokens: 1000, maxOutputTokens: 100, toolCalling: true, local: false },
      async *stream() {
        model.calls++;
        if (afterText) yield { type: 'text' as const, text: 'partial ' };
        throw new ModelError(failure, 'vscode', 'copilot-x');
      },
      complete: () => Promise.reject(new Error('unused')),
      completeJson: () => Promise.reject(new ModelError(failure, 'vscode', 'copilot-x')),
      countTokens: async () => ({ tokens: 1, exact: false }),
    };
    return model;
  };

  it('uses the configured sandbox model when the picked one is not usable, and keeps using it', async () => {
    const picked = unusable('noModel');
    const model = new FallbackChatModel(picked, () => models.registry.current());
    assert.equal((await model.complete([user('ping one')])).text, 'You said: ping one');
    assert.equal((await model.complete([user('ping two')])).text, 'You said: ping two');
    assert.equal(picked.calls, 1, 'the unusable model is not asked again');
    assert.equal(model.info.provider, 'sandbox', 'info names the model that answers');
    const json = await new FallbackChatModel(unusable('noKey'), () => models.registry.current()).completeJson([user('JSON please')], z.object({ echo: z.string() }));
    assert.equal(typeof json.echo, 'string');
  });

  it('does not switch models for a usable model\'s errors, or after text was shown', async () => {
    await assert.rejects(new FallbackChatModel(unusable('rateLimited'), () => models.registry.current()).complete([user('x')]), (e: unknown) => e instanceof ModelError && e.failure === 'rateLimited');
    await assert.rejects(new FallbackChatModel(unusable('noModel', true), () => models.registry.current()).complete([user('x')]), (e: unknown) => e instanceof ModelError && e.failure === 'noModel');
  });

  it('reports the configured model\'s own error when that fails too', async () => {
    const model = new FallbackChatModel(unusable('unknownModel'), () => Promise.reject(new ModelError('noModel', 'openai', '')));
    await assert.rejects(model.complete([user('x')]), /No language model is configured/);
  });
});
