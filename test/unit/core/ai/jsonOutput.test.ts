import assert from 'node:assert/strict';
import { z } from 'zod';
import { completeJsonWith, extractJson, jsonSchemaOf } from '../../../../src/core/ai/jsonOutput';
import { type ChatCompletion, type ChatMessage, type ChatOptions } from '../../../../src/core/ai/messages';
import { isModelError } from '../../../../src/core/ai/modelErrors';

const reply = (text: string): ChatCompletion => ({ text, toolCalls: [], usage: undefined, finishReason: 'stop' });
const Schema = z.object({ title: z.string(), points: z.number().int() });

/** A model that answers from a list and remembers what it was asked. */
function scripted(...texts: string[]) {
  const calls: { messages: readonly ChatMessage[]; options: ChatOptions }[] = [];
  const complete = async (messages: readonly ChatMessage[], options: ChatOptions): Promise<ChatCompletion> => {
    calls.push({ messages, options });
    return reply(texts[calls.length - 1] ?? '');
  };
  return { complete, calls };
}

describe('JSON output', () => {
  it('reads JSON from plain text, Markdown fences and surrounding prose', () => {
    assert.deepEqual(extractJson('{"a":1}'), { a: 1 });
    assert.deepEqual(extractJson('```json\n{"a":2}\n```'), { a: 2 });
    assert.deepEqual(extractJson('Here you go: {"a":3} — enjoy'), { a: 3 });
    assert.deepEqual(extractJson('[1,2]'), [1, 2]);
    assert.throws(() => extractJson('no json here'), /no JSON object/);
  });

  it('describes the zod schema to the provider as JSON Schema', () => {
    const schema = jsonSchemaOf(Schema);
    assert.equal(schema.type, 'object');
    assert.deepEqual(schema.required, ['title', 'points']);
    assert.equal('$schema' in schema, false);
  });

  it('returns the parsed value when the first reply is valid, asking with the schema', async () => {
    const model = scripted('{"title":"A","points":3}');
    assert.deepEqual(await completeJsonWith(model.complete, [{ role: 'user', content: 'go' }], Schema, {}, { provider: 'openai', model: 'm' }), { title: 'A', points: 3 });
    assert.equal(model.calls.length, 1);
    assert.equal(model.calls[0]?.options.json?.kind, 'schema');
    assert.match(model.calls[0]!.messages[0]!.content, /JSON Schema:[\s\S]*"points"/);
  });

  it('sends the validation error back once and takes the corrected reply', async () => {
    const model = scripted('{"title":"A","points":"three"}', '{"title":"A","points":3}');
    assert.deepEqual(await completeJsonWith(model.complete, [{ role: 'user', content: 'go' }], Schema, {}, { provider: 'openai', model: 'm' }), { title: 'A', points: 3 });
    const retry = model.calls[1]!.messages;
    assert.equal(retry.length, 4);
    assert.equal(retry[2]?.role, 'assistant');
    assert.match(retry[3]!.content, /not valid[\s\S]*points/);
  });

  it('fails with a clear badOutput error when the reply is invalid twice', async () => {
    const model = scripted('nothing', '{"title":1}');
    await assert.rejects(completeJsonWith(model.complete, [{ role: 'user', content: 'go' }], Schema, {}, { provider: 'gemini', model: 'g' }), (e: unknown) => {
      assert.ok(isModelError(e));
      assert.equal(e.failure, 'badOutput');
      assert.equal(e.code, 'badResponse');
      assert.match(e.message, /Gemini[\s\S]*twice[\s\S]*title/);
      return true;
    });
  });

  it('drops tools from a JSON request (a structured answer, not a tool call, is wanted)', async () => {
    const model = scripted('{"title":"A","points":1}');
    await completeJsonWith(model.complete, [], Schema, { tools: [{ name: 't', description: 'd', parameters: {} }] }, { provider: 'openai', model: 'm' });
    assert.equal(model.calls[0]?.options.tools, undefined);
  });
});
