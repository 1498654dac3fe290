import assert from 'node:assert/strict';
import { GeminiProvider } from '../../../../src/providers/ai/geminiProvider';
import { ManagedChatModel } from '../../../../src/providers/ai/managedChatModel';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { describeProviderContract, user } from './contract';
import { startStandIns, testServices, TestHost, type StandInHarness } from './harness';

describeProviderContract({
  name: 'Gemini',
  route: 'gemini.generate',
  model: 'gemini-2.0-flash-lite',
  refusal: 'error',
  contextTokens: 32_768,
  hasKey: true,
  build: (h, host, variant) => {
    host.keys.gemini = variant?.badKey ? 'wrong-key' : SANDBOX_CREDENTIALS.geminiKey;
    return new GeminiProvider(host, async () => ({ url: h.urls.geminiBaseUrl }));
  },
});

describe('Gemini provider specifics', () => {
  let h: StandInHarness;
  let host: TestHost;
  before(async () => (h = await startStandIns()));
  after(() => h.server.stop());
  beforeEach(() => {
    host = new TestHost();
    host.keys.gemini = SANDBOX_CREDENTIALS.geminiKey;
  });
  afterEach(() => host.dispose());

  const provider = () => new GeminiProvider(host, async () => ({ url: h.urls.geminiBaseUrl }));

  it('counts tokens with countTokens (exact)', async () => {
    const chat = new ManagedChatModel(provider().describe('gemini-2.5-flash'), provider(), testServices(host));
    assert.deepEqual(await chat.countTokens('count these tokens please'), { tokens: 7, exact: true });
  });

  it('lists the models that generate content, with their limits', async () => {
    const models = await provider().listModels();
    assert.deepEqual(
      models.map((m) => [m.id, m.maxInputTokens]),
      [
        ['gemini-2.5-flash', 1_048_576],
        ['gemini-2.0-flash-lite', 32_768],
      ],
    );
  });

  it('sends the key in x-goog-api-key (never in the URL, so no log holds it) and system text as systemInstruction', async () => {
    const chat = new ManagedChatModel(provider().describe('gemini-2.5-flash'), provider(), testServices(host));
    await chat.complete([{ role: 'system', content: 'Be brief.' }, user('hi there')], { json: { kind: 'schema', name: 'x', schema: { type: 'object' } } });
    const entry = h.server.requestsTo('gemini.generate').at(-1)!;
    assert.ok(!JSON.stringify(entry).includes(SANDBOX_CREDENTIALS.geminiKey));
    const body = entry.body as { systemInstruction?: { parts: { text: string }[] }; generationConfig?: { responseMimeType?: string } };
    assert.equal(body.systemInstruction?.parts[0]?.text, 'Be brief.');
    assert.equal(body.generationConfig?.responseMimeType, 'application/json');
  });
});
