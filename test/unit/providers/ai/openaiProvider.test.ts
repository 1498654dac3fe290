import assert from 'node:assert/strict';
import { z } from 'zod';
import { OpenAiProvider } from '../../../../src/providers/ai/openaiProvider';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { describeProviderContract, user } from './contract';
import { ManagedChatModel } from '../../../../src/providers/ai/managedChatModel';
import { startStandIns, testServices, TestHost, type StandInHarness } from './harness';

describeProviderContract({
  name: 'OpenAI',
  route: 'openai.chat',
  model: 'gpt-4o-mini',
  refusal: 'error',
  contextTokens: 128_000,
  hasKey: true,
  build: (h, host, variant) => {
    host.keys.openai = variant?.badKey ? 'wrong-key' : SANDBOX_CREDENTIALS.openaiKey;
    return new OpenAiProvider(host, async () => ({ url: h.urls.openaiBaseUrl }), 'openai');
  },
});

describeProviderContract({
  name: 'Azure OpenAI',
  route: 'azureOpenai.chat',
  model: 'gpt-4o-mini',
  refusal: 'error',
  contextTokens: 128_000,
  hasKey: true,
  build: (h, host, variant) => {
    host.keys.azureOpenai = variant?.badKey ? 'wrong-key' : SANDBOX_CREDENTIALS.openaiKey;
    return new OpenAiProvider(host, async () => ({ url: h.urls.azureOpenaiEndpoint }), 'azureOpenai');
  },
});

describe('OpenAI provider specifics', () => {
  let h: StandInHarness;
  let host: TestHost;
  before(async () => (h = await startStandIns()));
  after(() => h.server.stop());
  beforeEach(() => {
    host = new TestHost();
    host.keys.openai = SANDBOX_CREDENTIALS.openaiKey;
  });
  afterEach(() => host.dispose());

  const provider = () => new OpenAiProvider(host, async () => ({ url: h.urls.openaiBaseUrl }), 'openai');

  it('asks for usage in the stream and sends structured-output and tool options on the wire', async () => {
    const chat = new ManagedChatModel(provider().describe('gpt-4o-mini'), provider(), testServices(host));
    await chat.completeJson([user('JSON-VALID')], z.object({ title: z.string(), points: z.number() }));
    const body = h.server.requestsTo('openai.chat').at(-1)?.body as Record<string, unknown>;
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal((body.response_format as { type: string }).type, 'json_schema');
    assert.equal(body.stream, true);
  });

  it('lists the chat models the endpoint offers', async () => {
    const models = await provider().listModels();
    assert.deepEqual(models.map((m) => m.id), ['gpt-4.1-mini', 'gpt-4o-mini']);
    assert.ok(models.every((m) => m.toolCalling && m.maxInputTokens > 0));
  });

  it('says which key is missing when none is stored', async () => {
    delete host.keys.openai;
    await assert.rejects(provider().listModels(), (e: Error) => /No API key for OpenAI/.test(e.message));
  });

  it('estimates tokens (OpenAI has no count endpoint) and says it is an estimate', async () => {
    const chat = new ManagedChatModel(provider().describe('gpt-4o-mini'), provider(), testServices(host));
    assert.deepEqual(await chat.countTokens('12345678'), { tokens: 2, exact: false });
  });
});
