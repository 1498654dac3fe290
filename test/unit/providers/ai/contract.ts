import assert from 'node:assert/strict';
import { z } from 'zod';
import { type ModelProvider } from '../../../../src/core/ai/chatModel';
import { type ChatChunk, type ChatMessage, type ToolDefinition } from '../../../../src/core/ai/messages';
import { isModelError, type ModelFailure } from '../../../../src/core/ai/modelErrors';
import { ManagedChatModel } from '../../../../src/providers/ai/managedChatModel';
import { eventually, startStandIns, testServices, TestHost, type ServiceOptions, type StandInHarness } from './harness';

export interface ContractDefinition {
  readonly name: string;
  /** The route name faults are injected on. */
  readonly route: string;
  readonly model: string;
  build(h: StandInHarness, host: TestHost, variant?: { readonly badKey?: boolean }): ModelProvider;
  /** How the service says no: an error (a content filter or safety block), or just words (local and watsonx models). */
  readonly refusal: 'error' | 'text';
  /** Tokens the model accepts, when the service refuses longer prompts (Ollama truncates them instead). */
  readonly contextTokens?: number;
  /** False where the service has no key to get wrong (a local Ollama). */
  readonly hasKey: boolean;
}

export const user = (content: string): ChatMessage => ({ role: 'user', content });

export const LOOKUP: ToolDefinition = {
  name: 'lookup',
  description: 'Look a record up by id.',
  parameters: { type: 'object', properties: { id: { type: 'string' }, deep: { type: 'boolean' } }, required: ['id'] },
};

const Estimate = z.object({ title: z.string(), points: z.number() });

/** Asserts a promise fails with a ModelError of the given failure and returns it. */
export async function failsWith(promise: Promise<unknown>, failure: ModelFailure): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isModelError(error), `expected a ModelError, got ${String(error)}`);
    assert.equal(error.failure, failure, `expected ${failure}, got ${error.failure}: ${error.message}`);
    return error;
  }
  assert.fail(`expected a ${failure} failure, but the call succeeded`);
}

/**
 * The behaviour every provider must have, run against its stand-in through its real SDK and the
 * shared wrapper: the list in issue 6's Tests section.
 */
export function describeProviderContract(def: ContractDefinition): void {
  describe(`${def.name} provider against its stand-in`, () => {
    let h: StandInHarness;
    let host: TestHost;
    const model = (options: ServiceOptions = {}, variant?: { badKey?: boolean }, id = def.model) => {
      const provider = def.build(h, host, variant);
      const services = testServices(host, options);
      return { chat: new ManagedChatModel(provider.describe(id), provider, services), services };
    };

    before(async () => {
      h = await startStandIns();
    });
    after(() => h.server.stop());
    beforeEach(() => {
      host = new TestHost();
    });
    afterEach(() => {
      h.server.faults.clear();
      h.standIns.chunkDelayMs = 0;
      host.dispose();
    });

    it('streams a reply in several text chunks, with usage and a finish reason', async () => {
      const chunks: ChatChunk[] = [];
      for await (const c of model().chat.stream([{ role: 'system', content: 'Be brief.' }, user('Tell me something about streams')])) chunks.push(c);
      const texts = chunks.filter((c) => c.type === 'text');
      assert.ok(texts.length > 1, `expected several text chunks, got ${texts.length}`);
      assert.equal(texts.map((c) => c.text).join(''), 'You said: Tell me something about streams');
      const usage = chunks.find((c) => c.type === 'usage');
      assert.ok(usage && usage.usage.inputTokens > 0 && usage.usage.outputTokens > 0, 'usage reported');
      assert.deepEqual(chunks[chunks.length - 1], { type: 'finish', reason: 'stop' });
    });

    it('calls a tool and answers from its result', async () => {
      const { chat } = model();
      const first = await chat.complete([user('CALL-TOOL please')], { tools: [LOOKUP] });
      assert.equal(first.finishReason, 'toolCalls');
      assert.equal(first.toolCalls.length, 1);
      const call = first.toolCalls[0]!;
      assert.equal(call.name, 'lookup');
      assert.deepEqual(call.arguments, { id: '42', deep: true });
      assert.ok(call.id.length > 0);
      const second = await chat.complete(
        [user('CALL-TOOL please'), { role: 'assistant', content: first.text, toolCalls: first.toolCalls }, { role: 'tool', toolCallId: call.id, name: 'lookup', content: JSON.stringify({ answer: 'forty-two' }) }],
        { tools: [LOOKUP] },
      );
      assert.equal(second.text, 'The lookup said: forty-two.');
      assert.equal(second.finishReason, 'stop');
    });

    it('returns JSON checked with the caller’s zod schema', async () => {
      assert.deepEqual(await model().chat.completeJson([user('JSON-VALID estimate')], Estimate), { title: 'Ship it', points: 5 });
    });

    it('sends an invalid JSON reply back once with the error, and takes the fixed one', async () => {
      const before = h.server.requestsTo(def.route).length;
      assert.deepEqual(await model().chat.completeJson([user('JSON-INVALID-ONCE estimate')], Estimate), { title: 'Fixed', points: 3 });
      assert.equal(h.server.requestsTo(def.route).length - before, 2);
    });

    it('fails clearly when the JSON is invalid twice', async () => {
      const error = await failsWith(model().chat.completeJson([user('JSON-INVALID-ALWAYS estimate')], Estimate), 'badOutput');
      assert.match(error.message, /twice/);
      assert.match(error.message, /title/);
    });

    const abortedStreams = (): number => h.standIns.streams.filter((s) => s.route === def.route && s.outcome === 'aborted').length;

    it('cancels mid-stream by aborting the HTTP request (the stand-in sees the socket close)', async () => {
      h.standIns.chunkDelayMs = 15;
      const abortedBefore = abortedStreams();
      const controller = new AbortController();
      const seen: string[] = [];
      const reading = (async () => {
        for await (const c of model().chat.stream([user('LONG-REPLY now')], { signal: controller.signal })) {
          if (c.type === 'text') seen.push(c.text);
          if (seen.length === 2) controller.abort();
        }
      })();
      const error = await failsWith(reading, 'cancelled');
      assert.equal((error as { code?: string }).code, 'cancelled');
      await eventually(() => abortedStreams() > abortedBefore, 'the stand-in to see the stream aborted');
    });

    it('waits out a 429 for its Retry-After, then succeeds', async () => {
      h.server.faults.add({ route: def.route, kind: 'status', status: 429, retryAfterSeconds: 0.3, times: 1 });
      const { chat, services } = model();
      const reply = await chat.complete([user('Tell me something about retries')]);
      assert.equal(reply.text, 'You said: Tell me something about retries');
      assert.deepEqual(services.retries, [{ delay: 300, attempt: 1 }]);
    });

    it('retries a 500 with backoff, then reports an outage', async () => {
      h.server.faults.add({ route: def.route, kind: 'status', status: 500, times: 10 });
      const before = h.server.requestsTo(def.route).length;
      const { chat, services } = model();
      const error = await failsWith(chat.complete([user('anything')]), 'outage');
      assert.equal((error as { code?: string }).code, 'unavailable');
      assert.equal(h.server.requestsTo(def.route).length - before, 4);
      assert.equal(services.retries.length, 3);
    });

    it('reports a malformed chunk as a bad reply', async () => {
      h.server.faults.add({ route: def.route, kind: 'malformed', times: 1 });
      const error = await failsWith(model().chat.complete([user('Tell me something long enough to stream in parts')]), 'badOutput');
      assert.equal((error as { code?: string }).code, 'badResponse');
    });

    it('times out a stalled stream with a clear error and closes the request', async () => {
      h.server.faults.add({ route: def.route, kind: 'stall', times: 1 });
      const abortedBefore = abortedStreams();
      const error = await failsWith(model({ stallTimeoutMs: 300 }).chat.complete([user('Tell me something that stalls')]), 'stalled');
      assert.match(error.message, /stopped sending/);
      await eventually(() => abortedStreams() > abortedBefore, 'the stalled request to be closed');
    });

    if (def.hasKey) {
      it('names a bad key as such', async () => {
        const error = await failsWith(model({}, { badKey: true }).chat.complete([user('hello')]), 'badKey');
        assert.equal((error as { code?: string }).code, 'unauthorized');
        assert.ok(!error.message.includes('wrong-key'), 'the key is not repeated in the message');
      });
    }

    it('names an unknown model as such', async () => {
      const error = await failsWith(model({}, undefined, 'no-such-model').chat.complete([user('hello')]), 'unknownModel');
      assert.match(error.message, /no-such-model/);
    });

    if (def.contextTokens !== undefined) {
      const limit = def.contextTokens;
      it('names a prompt longer than the context as such', async () => {
        const error = await failsWith(model().chat.complete([user('x'.repeat(limit * 4 + 400))]), 'contextTooLong');
        assert.equal((error as { code?: string }).code, 'invalidInput');
      });
    }

    if (def.refusal === 'error') {
      it('reports a refusal (content filter or safety block) as such', async () => {
        const error = await failsWith(model().chat.complete([user('PLEASE-REFUSE this')]), 'refused');
        assert.equal((error as { code?: string }).code, 'refused');
      });
    } else {
      it('passes a refusal through as the model’s words (the service has no refusal signal)', async () => {
        assert.equal((await model().chat.complete([user('PLEASE-REFUSE this')])).text, 'I cannot help with that.');
      });
    }
  });
}
