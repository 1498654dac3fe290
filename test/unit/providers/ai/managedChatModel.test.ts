import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ModelProvider } from '../../../../src/core/ai/chatModel';
import { type ChatMessage } from '../../../../src/core/ai/messages';
import { GeminiProvider } from '../../../../src/providers/ai/geminiProvider';
import { ManagedChatModel } from '../../../../src/providers/ai/managedChatModel';
import { OllamaProvider } from '../../../../src/providers/ai/ollamaProvider';
import { OpenAiProvider } from '../../../../src/providers/ai/openaiProvider';
import { WatsonxProvider } from '../../../../src/providers/ai/watsonxProvider';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { canaries } from '../../core/redact/canaries';
import { failsWith, LOOKUP, user } from './contract';
import { eventually, startStandIns, testServices, TestHost, type ServiceOptions, type StandInHarness } from './harness';

describe('the shared model wrapper', () => {
  let h: StandInHarness;
  let host: TestHost;
  let cacheDir: string;
  before(async () => (h = await startStandIns()));
  after(() => h.server.stop());
  beforeEach(() => {
    host = new TestHost();
    host.keys.openai = SANDBOX_CREDENTIALS.openaiKey;
    host.keys.gemini = SANDBOX_CREDENTIALS.geminiKey;
    cacheDir = mkdtempSync(path.join(tmpdir(), 'ai-devops-cache-'));
  });
  afterEach(() => {
    h.standIns.chunkDelayMs = 0;
    h.server.faults.clear();
    host.dispose();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  const openai = (): ModelProvider => new OpenAiProvider(host, async () => ({ url: h.urls.openaiBaseUrl }), 'openai');
  const managed = (options: ServiceOptions = {}, provider = openai(), model = 'gpt-4o-mini') => {
    const services = testServices(host, options);
    return { chat: new ManagedChatModel(provider.describe(model), provider, services), services };
  };
  const sentTo = (route: string, since: number): number => h.server.requestsTo(route).length - since;

  describe('concurrency limit', () => {
    it('never has more requests open at the service than the limit, and finishes them all', async () => {
      h.standIns.chunkDelayMs = 10;
      const { chat, services } = managed({ concurrency: 2 });
      const start = h.server.requestsTo('openai.chat').length;
      const doneBefore = h.standIns.streams.filter((s) => s.route === 'openai.chat').length;
      let maxOpen = 0;
      let maxActive = 0;
      const watch = setInterval(() => {
        const open = sentTo('openai.chat', start) - (h.standIns.streams.filter((s) => s.route === 'openai.chat').length - doneBefore);
        maxOpen = Math.max(maxOpen, open);
        maxActive = Math.max(maxActive, services.limiter.active);
      }, 2);
      const replies = await Promise.all([1, 2, 3, 4, 5].map((i) => chat.complete([user(`request number ${i}`)])));
      clearInterval(watch);
      assert.deepEqual(replies.map((r) => r.text), [1, 2, 3, 4, 5].map((i) => `You said: request number ${i}`));
      assert.equal(maxActive, 2);
      assert.ok(maxOpen <= 2, `at most 2 open at the service, saw ${maxOpen}`);
      assert.equal(services.limiter.active, 0);
    });

    it('drops a request cancelled while it waits for a slot, without sending it', async () => {
      h.standIns.chunkDelayMs = 5;
      const { chat } = managed({ concurrency: 1 });
      const start = h.server.requestsTo('openai.chat').length;
      const first = chat.complete([user('LONG-REPLY first')]);
      const controller = new AbortController();
      const second = chat.complete([user('second')], { signal: controller.signal });
      controller.abort();
      await failsWith(second, 'cancelled');
      await first;
      assert.equal(sentTo('openai.chat', start), 1);
    });
  });

  describe('response cache', () => {
    it('answers the same request from the cache, counting hits and misses', async () => {
      const { chat, services } = managed({ cacheTtlSeconds: 60, cacheDir });
      const start = h.server.requestsTo('openai.chat').length;
      const first = await chat.complete([user('cache me')]);
      const second = await chat.complete([user('cache me')]);
      assert.deepEqual(second, first);
      assert.equal(sentTo('openai.chat', start), 1);
      assert.deepEqual(services.cache.stats(), { hits: 1, misses: 1, memoryEntries: 1 });
      assert.deepEqual(services.sentPrompts.list().map((p) => p.fromCache), [false, true]);
    });

    it('keys on the model, the messages and the options', async () => {
      const { chat } = managed({ cacheTtlSeconds: 60 });
      const start = h.server.requestsTo('openai.chat').length;
      await chat.complete([user('cache me')]);
      await chat.complete([user('cache me too')]);
      await chat.complete([user('cache me')], { temperature: 0.2 });
      await chat.complete([user('cache me')], { tools: [LOOKUP] });
      await managed({ cacheTtlSeconds: 60 }, openai(), 'gpt-4.1-mini').chat.complete([user('cache me')]);
      assert.equal(sentTo('openai.chat', start), 5);
    });

    it('replays tool calls from the cache', async () => {
      const { chat } = managed({ cacheTtlSeconds: 60 });
      const first = await chat.complete([user('CALL-TOOL please')], { tools: [LOOKUP] });
      const again = await chat.complete([user('CALL-TOOL please')], { tools: [LOOKUP] });
      assert.deepEqual(again.toolCalls, first.toolCalls);
      assert.equal(again.finishReason, 'toolCalls');
    });

    it('expires entries after the time-to-live and is off at 0', async () => {
      let now = 1_000_000;
      const { chat } = managed({ cacheTtlSeconds: 60, now: () => now });
      const start = h.server.requestsTo('openai.chat').length;
      await chat.complete([user('ttl')]);
      now += 59_000;
      await chat.complete([user('ttl')]);
      now += 2_000;
      await chat.complete([user('ttl')]);
      assert.equal(sentTo('openai.chat', start), 2);
      const off = managed({ cacheTtlSeconds: 0 }).chat;
      await off.complete([user('ttl')]);
      await off.complete([user('ttl')]);
      assert.equal(sentTo('openai.chat', start), 4);
    });

    it('can be bypassed for one request (and stores the fresh answer)', async () => {
      const { chat, services } = managed({ cacheTtlSeconds: 60 });
      const start = h.server.requestsTo('openai.chat').length;
      await chat.complete([user('bypass')]);
      await chat.complete([user('bypass')], { bypassCache: true });
      assert.equal(sentTo('openai.chat', start), 2);
      assert.equal(services.cache.stats().hits, 0);
    });

    it('survives a restart on disk, ignores a corrupt entry, and clears', async () => {
      const start = h.server.requestsTo('openai.chat').length;
      await managed({ cacheTtlSeconds: 60, cacheDir }).chat.complete([user('disk')]);
      const files = readdirSync(cacheDir);
      assert.equal(files.length, 1);
      const restarted = managed({ cacheTtlSeconds: 60, cacheDir });
      await restarted.chat.complete([user('disk')]);
      assert.equal(sentTo('openai.chat', start), 1, 'a new process (fresh memory) reads the disk entry');
      writeFileSync(path.join(cacheDir, files[0]!), '{"version":1,"createdAt":');
      await managed({ cacheTtlSeconds: 60, cacheDir }).chat.complete([user('disk')]);
      assert.equal(sentTo('openai.chat', start), 2, 'a corrupt entry is a miss');
      await restarted.services.cache.clear();
      assert.deepEqual(readdirSync(path.dirname(cacheDir)).includes(path.basename(cacheDir)), false);
      assert.deepEqual(restarted.services.cache.stats(), { hits: 0, misses: 0, memoryEntries: 0 });
    });

    it('does not keep a reply the caller stopped reading', async () => {
      const { chat } = managed({ cacheTtlSeconds: 60 });
      const start = h.server.requestsTo('openai.chat').length;
      for await (const chunk of chat.stream([user('LONG-REPLY partial')])) if (chunk.type === 'text') break;
      await chat.complete([user('LONG-REPLY partial')]);
      assert.equal(sentTo('openai.chat', start), 2);
    });
  });

  describe('redaction', () => {
    const secrets = [canaries.githubClassic('p'), canaries.openai(), canaries.google(), canaries.jwt(), canaries.password()];
    const conversation = (): ChatMessage[] => [
      { role: 'system', content: `Deploy key: ${secrets[1]}` },
      user(`My token is ${secrets[0]} and the .env says DB_PASSWORD=${secrets[4]}`),
      { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { id: '1', authorization: `Bearer ${secrets[3]}` } }] },
      { role: 'tool', toolCallId: 'call_1', name: 'lookup', content: `terminal output: GOOGLE_API_KEY=${secrets[2]}` },
      user('what now?'),
    ];
    const leaks = (text: string): string[] => secrets.filter((s) => text.includes(s));

    const cloud: [string, string, () => ModelProvider, string][] = [
      ['OpenAI', 'openai.chat', () => openai(), 'gpt-4o-mini'],
      ['Gemini', 'gemini.generate', () => new GeminiProvider(host, async () => ({ url: h.urls.geminiBaseUrl })), 'gemini-2.5-flash'],
      [
        'watsonx.ai',
        'watsonx.chatStream',
        () =>
          new WatsonxProvider(host, async () => ({
            url: h.urls.watsonxUrl,
            iamUrl: h.urls.watsonxIamUrl,
            projectId: 'p',
            credential: { kind: 'apiKey', value: SANDBOX_CREDENTIALS.watsonxApiKey, source: 'secretStorage' },
          })),
        'ibm/granite-3-8b-instruct',
      ],
    ];
    for (const [name, route, provider, model] of cloud) {
      it(`never lets a secret reach ${name} (the stand-in's request log has none)`, async () => {
        const { chat, services } = managed({ redactForLocalModels: false }, provider(), model);
        await chat.complete(conversation(), { tools: [LOOKUP] });
        const logged = JSON.stringify(h.server.requestsTo(route).at(-1));
        assert.deepEqual(leaks(logged), []);
        assert.match(logged, /REDACTED/);
        const record = services.sentPrompts.list().at(-1)!;
        assert.equal(record.redacted, true);
        assert.ok(record.messagesChanged >= 4);
        assert.deepEqual(leaks(JSON.stringify(record)), []);
        assert.deepEqual(leaks(host.log.text), []);
      });
    }

    it('redacts for a local Ollama too unless the user exempts local models', async () => {
      const ollama = (): ModelProvider => new OllamaProvider(host, async () => ({ url: h.urls.ollamaHost }));
      await managed({ redactForLocalModels: true }, ollama(), 'llama3.2').chat.complete(conversation());
      assert.deepEqual(leaks(JSON.stringify(h.server.requestsTo('ollama.chat').at(-1))), []);
      const exempt = managed({ redactForLocalModels: false }, ollama(), 'llama3.2');
      await exempt.chat.complete(conversation());
      assert.equal(leaks(JSON.stringify(h.server.requestsTo('ollama.chat').at(-1))).length, secrets.length);
      assert.equal(exempt.services.sentPrompts.list().at(-1)?.redacted, false);
    });

    it('keeps a record of what was sent, redacted, for the user to see', async () => {
      const { chat, services } = managed();
      await chat.complete(conversation(), { tools: [LOOKUP] });
      const [record] = services.sentPrompts.list();
      assert.equal(record?.provider, 'openai');
      assert.equal(record?.endpoint, h.urls.openaiBaseUrl);
      assert.deepEqual(record?.tools, ['lookup']);
      assert.equal(record?.messages.length, 5);
    });
  });

  describe('errors and cancellation', () => {
    it('does not retry once chunks were delivered: a stall mid-reply fails instead of repeating text', async () => {
      h.server.faults.add({ route: 'openai.chat', kind: 'stall', times: 1 });
      const start = h.server.requestsTo('openai.chat').length;
      const { chat, services } = managed({ stallTimeoutMs: 200 });
      await failsWith(chat.complete([user('LONG-REPLY stall')]), 'stalled');
      assert.equal(sentTo('openai.chat', start), 1);
      assert.equal(services.retries.length, 0);
    });

    it('does not wait for a Retry-After longer than the limit', async () => {
      h.server.faults.add({ route: 'openai.chat', kind: 'status', status: 429, retryAfterSeconds: 3600, times: 1 });
      const { chat, services } = managed();
      const error = await failsWith(chat.complete([user('later')]), 'rateLimited');
      assert.match(error.message, /rate-limiting/);
      assert.equal(services.retries.length, 0);
    });

    it('retries a dropped connection', async () => {
      h.server.faults.add({ route: 'openai.chat', kind: 'drop', times: 1 });
      const { chat, services } = managed();
      assert.equal((await chat.complete([user('dropped once')])).text, 'You said: dropped once');
      assert.equal(services.retries.length, 1);
    });

    it('refuses to start after the signal fired', async () => {
      const controller = new AbortController();
      controller.abort();
      const start = h.server.requestsTo('openai.chat').length;
      await failsWith(managed().chat.complete([user('never')], { signal: controller.signal }), 'cancelled');
      assert.equal(sentTo('openai.chat', start), 0);
    });

    it('frees its concurrency slot when the caller stops reading early', async () => {
      h.standIns.chunkDelayMs = 5;
      const { chat, services } = managed({ concurrency: 1 });
      for await (const chunk of chat.stream([user('LONG-REPLY early stop')])) if (chunk.type === 'text') break;
      assert.equal(services.limiter.active, 0);
      await eventually(() => h.standIns.streams.at(-1)?.outcome === 'aborted', 'the abandoned stream to be closed');
    });
  });
});
