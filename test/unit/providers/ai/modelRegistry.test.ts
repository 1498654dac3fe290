import assert from 'node:assert/strict';
import { ModelRegistry } from '../../../../src/providers/ai/modelRegistry';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { failsWith, user } from './contract';
import { startStandIns, TestHost, type StandInHarness } from './harness';

describe('model registry', () => {
  let h: StandInHarness;
  let host: TestHost;
  before(async () => (h = await startStandIns()));
  after(() => h.server.stop());
  beforeEach(() => (host = new TestHost()));
  afterEach(() => host.dispose());

  const sandbox = () => ({ modelUrls: async () => h.urls });
  const registry = (withSandbox = true) => new ModelRegistry({ host, sandbox: withSandbox ? sandbox() : undefined, retry: { initialDelayMs: 5, maxDelayMs: 10 }, stallTimeoutMs: 2_000 });

  it('builds the sandbox model when the sandbox provider is selected', async () => {
    host.config['ai.provider'] = 'sandbox';
    const model = await registry().current();
    assert.equal(model.info.provider, 'sandbox');
    assert.equal(model.info.id, 'gpt-4o-mini');
    assert.equal((await model.complete([user('ping the sandbox')])).text, 'You said: ping the sandbox');
  });

  it('says the sandbox is unavailable when it is not wired', async () => {
    host.config['ai.provider'] = 'sandbox';
    await failsWith(registry(false).current().then((m) => m.complete([user('x')])), 'noModel');
  });

  it('uses the endpoint setting for the selected provider and picks its first model when none is set', async () => {
    host.config['ai.provider'] = 'openai';
    host.config['ai.endpoint'] = h.urls.openaiBaseUrl;
    host.keys.openai = SANDBOX_CREDENTIALS.openaiKey;
    const model = await registry().current();
    assert.equal(model.info.id, 'gpt-4.1-mini');
    assert.equal((await model.complete([user('configured')])).text, 'You said: configured');
  });

  it('points every provider at its stand-in with the sandbox backend, keys included', async () => {
    host.config.backend = 'sandbox';
    host.config['ai.provider'] = 'gemini';
    host.config['ai.model'] = 'gemini-2.5-flash';
    const reply = await (await registry().current()).complete([user('sandboxed gemini')]);
    assert.equal(reply.text, 'You said: sandboxed gemini');
    assert.ok(h.server.requestsTo('gemini.generate').length > 0);
  });

  it('explains what is missing: no VS Code models outside VS Code, no Azure endpoint, no key', async () => {
    const r = registry();
    host.config['ai.provider'] = 'vscode';
    await failsWith(r.current(), 'noModel');
    host.config['ai.provider'] = 'azureOpenai';
    host.config['ai.model'] = 'chat';
    r.refresh();
    await failsWith((await r.current()).complete([user('x')]), 'missingSetting');
    host.config['ai.provider'] = 'gemini';
    r.refresh();
    const error = await failsWith((await r.current()).complete([user('x')]), 'noKey');
    assert.match(error.message, /No API key for Gemini/);
  });

  it('lists what each provider offers, with the reason for those that cannot', async () => {
    host.config.backend = 'sandbox';
    const listings = await registry().listAll(['sandbox', 'ollama', 'watsonx', 'vscode']);
    const byProvider = Object.fromEntries(listings.map((l) => [l.provider, l]));
    assert.deepEqual(byProvider.sandbox?.models.map((m) => m.id), ['gpt-4o-mini']);
    assert.deepEqual(byProvider.ollama?.models.map((m) => m.id), ['llama3.2:latest', 'qwen2.5-coder:7b']);
    assert.equal(byProvider.watsonx?.models.length, 2);
    assert.equal(byProvider.vscode?.error?.failure, 'noModel');
  });

  it('applies a new concurrency setting and tells listeners on refresh', async () => {
    const r = registry();
    let told = 0;
    r.onDidChange(() => told++);
    host.config['ai.concurrency'] = 5;
    r.refresh();
    assert.equal(told, 1);
    assert.deepEqual(r.concurrency(), { limit: 5, active: 0, queued: 0 });
  });

  it('clears the response cache', async () => {
    host.config['ai.provider'] = 'sandbox';
    const r = registry();
    const model = await r.current();
    await model.complete([user('cached once')]);
    await model.complete([user('cached once')]);
    assert.equal(r.cacheStats().hits, 1);
    await r.clearCache();
    assert.deepEqual(r.cacheStats(), { hits: 0, misses: 0, memoryEntries: 0 });
  });
});
