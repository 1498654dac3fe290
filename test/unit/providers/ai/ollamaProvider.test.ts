import assert from 'node:assert/strict';
import { ManagedChatModel } from '../../../../src/providers/ai/managedChatModel';
import { OllamaProvider } from '../../../../src/providers/ai/ollamaProvider';
import { describeProviderContract, failsWith, user } from './contract';
import { startStandIns, testServices, TestHost, type StandInHarness } from './harness';

describeProviderContract({
  name: 'Ollama',
  route: 'ollama.chat',
  model: 'llama3.2',
  // A local model has no content filter, and Ollama keeps the end of a too-long prompt instead of refusing it.
  refusal: 'text',
  hasKey: false,
  build: (h, host) => new OllamaProvider(host, async () => ({ url: h.urls.ollamaHost })),
});

describe('Ollama provider specifics', () => {
  let h: StandInHarness;
  let host: TestHost;
  before(async () => (h = await startStandIns()));
  after(() => h.server.stop());
  beforeEach(() => (host = new TestHost()));
  afterEach(() => host.dispose());

  const provider = () => new OllamaProvider(host, async () => ({ url: h.urls.ollamaHost }));

  it('lists the installed models with their context length and tool support', async () => {
    const models = await provider().listModels();
    assert.deepEqual(
      models.map((m) => [m.id, m.maxInputTokens, m.toolCalling, m.local]),
      [
        ['llama3.2:latest', 131_072, true, true],
        ['qwen2.5-coder:7b', 32_768, true, true],
      ],
    );
  });

  it('counts the endpoint as local when it is on loopback', async () => {
    assert.equal(await provider().isLocal(), true);
    assert.equal(await new OllamaProvider(host, async () => ({ url: 'http://gpu-box.example:11434' })).isLocal(), false);
  });

  it('asks for JSON with `format` (json or a schema)', async () => {
    const chat = new ManagedChatModel(provider().describe('llama3.2'), provider(), testServices(host));
    await chat.complete([user('any')], { json: { kind: 'object' } });
    assert.equal((h.server.requestsTo('ollama.chat').at(-1)?.body as { format?: unknown }).format, 'json');
    await chat.complete([user('any')], { json: { kind: 'schema', name: 'x', schema: { type: 'object', properties: { a: { type: 'string' } } } } });
    assert.deepEqual((h.server.requestsTo('ollama.chat').at(-1)?.body as { format?: unknown }).format, { type: 'object', properties: { a: { type: 'string' } } });
  });

  it('reports an Ollama that is not running as unreachable', async () => {
    const closed = new OllamaProvider(host, async () => ({ url: 'http://127.0.0.1:9' }));
    const chat = new ManagedChatModel(closed.describe('llama3.2'), closed, testServices(host));
    const error = await failsWith(chat.complete([user('hello')]), 'network');
    assert.match(error.message, /Could not reach Ollama/);
  });
});
