import assert from 'node:assert/strict';
import { ManagedChatModel } from '../../../../src/providers/ai/managedChatModel';
import { WatsonxProvider } from '../../../../src/providers/ai/watsonxProvider';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { describeProviderContract, failsWith, user } from './contract';
import { startStandIns, testServices, TestHost, type StandInHarness } from './harness';

const endpoint = (h: StandInHarness, apikey: string, projectId = 'project-1') => async () => ({
  url: h.urls.watsonxUrl,
  iamUrl: h.urls.watsonxIamUrl,
  projectId,
  credential: { kind: 'apiKey' as const, value: apikey, source: 'secretStorage' as const },
});

describeProviderContract({
  name: 'watsonx.ai',
  route: 'watsonx.chatStream',
  model: 'ibm/granite-3-8b-instruct',
  // watsonx.ai's chat API has no content-filter finish reason: a refusal is the model's words.
  refusal: 'text',
  contextTokens: 131_072,
  hasKey: true,
  build: (h, host, variant) => new WatsonxProvider(host, endpoint(h, variant?.badKey ? 'wrong-key' : SANDBOX_CREDENTIALS.watsonxApiKey)),
});

describe('watsonx.ai provider specifics', () => {
  let h: StandInHarness;
  let host: TestHost;
  before(async () => (h = await startStandIns()));
  after(() => h.server.stop());
  beforeEach(() => {
    host = new TestHost();
    h.standIns.iamTokens.lifetimeSeconds = 3600;
  });
  afterEach(() => host.dispose());

  it('exchanges the API key at IAM once and reuses the token until it expires', async () => {
    const provider = new WatsonxProvider(host, endpoint(h, SANDBOX_CREDENTIALS.watsonxApiKey));
    const chat = new ManagedChatModel(provider.describe('ibm/granite-3-8b-instruct'), provider, testServices(host));
    const before = h.server.requestsTo('iam.token').length;
    await chat.complete([user('one')]);
    await chat.complete([user('two')]);
    await chat.complete([user('three')]);
    assert.equal(h.server.requestsTo('iam.token').length - before, 1);
    const form = new URLSearchParams(String(h.server.requestsTo('iam.token').at(-1)?.body));
    assert.equal(form.get('grant_type'), 'urn:ibm:params:oauth:grant-type:apikey');
    assert.equal(h.server.requestsTo('watsonx.chatStream').at(-1)?.query.version, '2024-05-31');
  });

  it('gets a new token once the cached one is about to expire', async () => {
    // The IBM SDK renews tokens that expire within its 10-second window, so a 5-second token is renewed every time.
    h.standIns.iamTokens.lifetimeSeconds = 5;
    const provider = new WatsonxProvider(host, endpoint(h, SANDBOX_CREDENTIALS.watsonxApiKey));
    const chat = new ManagedChatModel(provider.describe('ibm/granite-3-8b-instruct'), provider, testServices(host));
    const before = h.server.requestsTo('iam.token').length;
    await chat.complete([user('one')]);
    await chat.complete([user('two')]);
    assert.equal(h.server.requestsTo('iam.token').length - before, 2);
  });

  it('counts tokens with the tokenization API (exact)', async () => {
    const provider = new WatsonxProvider(host, endpoint(h, SANDBOX_CREDENTIALS.watsonxApiKey));
    const chat = new ManagedChatModel(provider.describe('ibm/granite-3-8b-instruct'), provider, testServices(host));
    assert.deepEqual(await chat.countTokens('hello world tokens'), { tokens: 5, exact: true });
  });

  it('lists the chat models of the region', async () => {
    const provider = new WatsonxProvider(host, endpoint(h, SANDBOX_CREDENTIALS.watsonxApiKey));
    assert.deepEqual((await provider.listModels()).map((m) => [m.id, m.maxInputTokens]), [
      ['ibm/granite-3-8b-instruct', 131_072],
      ['meta-llama/llama-3-3-70b-instruct', 131_072],
    ]);
  });

  it('says the project id setting is missing', async () => {
    const provider = new WatsonxProvider(host, endpoint(h, SANDBOX_CREDENTIALS.watsonxApiKey, ''));
    const chat = new ManagedChatModel(provider.describe('ibm/granite-3-8b-instruct'), provider, testServices(host));
    const error = await failsWith(chat.complete([user('hello')]), 'missingSetting');
    assert.match(error.message, /aiDevops\.ai\.watsonxProjectId/);
  });
});
