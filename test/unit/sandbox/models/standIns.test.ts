import assert from 'node:assert/strict';
import { SandboxServer } from '../../../../src/sandbox/http/server';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { mountModelStandIns, type ModelStandIns } from '../../../../src/sandbox/models';

/** Wire-level checks: what a client sees before any SDK interprets it (the provider tests use the SDKs). */
describe('model stand-ins on the wire', () => {
  const server = new SandboxServer();
  let standIns: ModelStandIns;
  before(async () => {
    standIns = mountModelStandIns(server);
    await server.start();
  });
  after(() => server.stop());

  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  describe('OpenAI', () => {
    const auth = { authorization: `Bearer ${SANDBOX_CREDENTIALS.openaiKey}` };
    it('refuses a bad key in OpenAI’s error shape without echoing it', async () => {
      const res = await post(`${standIns.urls().openaiBaseUrl}/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { authorization: 'Bearer sk-wrong' });
      assert.equal(res.status, 401);
      const body = (await res.json()) as { error: { code: string; type: string; message: string } };
      assert.equal(body.error.code, 'invalid_api_key');
      assert.ok(!body.error.message.includes('sk-wrong'));
    });

    it('streams SSE ending in [DONE], with a usage chunk when asked', async () => {
      const res = await post(`${standIns.urls().openaiBaseUrl}/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi there' }], stream: true, stream_options: { include_usage: true } }, auth);
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      const events = (await res.text()).trim().split('\n\n');
      assert.equal(events.at(-1), 'data: [DONE]');
      const usage = JSON.parse(events.at(-2)!.slice(6)) as { choices: unknown[]; usage: { total_tokens: number } };
      assert.deepEqual(usage.choices, []);
      assert.ok(usage.usage.total_tokens > 0);
    });

    it('answers a 429 fault with OpenAI’s rate-limit error and Retry-After', async () => {
      server.faults.add({ route: 'openai.chat', kind: 'status', status: 429, retryAfterSeconds: 7, times: 1 });
      const res = await post(`${standIns.urls().openaiBaseUrl}/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, auth);
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '7');
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'rate_limit_exceeded');
    });

    it('wants api-version on the Azure deployment path and its api-key header', async () => {
      const base = `${standIns.urls().azureOpenaiEndpoint}/openai/deployments/gpt-4o-mini/chat/completions`;
      const body = { messages: [{ role: 'user', content: 'ping' }] };
      assert.equal((await post(base, body, { 'api-key': SANDBOX_CREDENTIALS.openaiKey })).status, 404);
      assert.equal((await post(`${base}?api-version=2024-10-21`, body, { 'api-key': 'nope' })).status, 401);
      const ok = await post(`${base}?api-version=2024-10-21`, body, { 'api-key': SANDBOX_CREDENTIALS.openaiKey });
      assert.equal(((await ok.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content, 'You said: ping');
      const missing = await post(`${standIns.urls().azureOpenaiEndpoint}/openai/deployments/nope/chat/completions?api-version=2024-10-21`, body, { 'api-key': SANDBOX_CREDENTIALS.openaiKey });
      assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'DeploymentNotFound');
    });
  });

  describe('Ollama', () => {
    it('streams NDJSON ending in a done line with counts', async () => {
      const res = await post(`${standIns.urls().ollamaHost}/api/chat`, { model: 'llama3.2', messages: [{ role: 'user', content: 'hi there' }] });
      const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { done: boolean; eval_count?: number });
      assert.ok(lines.length > 1);
      assert.equal(lines.at(-1)?.done, true);
      assert.ok((lines.at(-1)?.eval_count ?? 0) > 0);
    });

    it('says an unknown model is not found, as Ollama does', async () => {
      const res = await post(`${standIns.urls().ollamaHost}/api/chat`, { model: 'llama9', messages: [] });
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { error: 'model "llama9" not found, try pulling it first' });
      const show = await post(`${standIns.urls().ollamaHost}/api/show`, { model: 'llama9' });
      assert.equal(show.status, 404);
    });
  });

  describe('Gemini', () => {
    const url = (action: string, query = '') => `${standIns.urls().geminiBaseUrl}/v1beta/models/gemini-2.5-flash:${action}${query}`;
    const body = { contents: [{ role: 'user', parts: [{ text: 'hi there' }] }] };
    it('takes the key from x-goog-api-key or ?key=, and answers a bad one in Google’s error shape', async () => {
      assert.equal((await post(url('generateContent'), body, { 'x-goog-api-key': SANDBOX_CREDENTIALS.geminiKey })).status, 200);
      assert.equal((await post(url('generateContent', `?key=${SANDBOX_CREDENTIALS.geminiKey}`), body)).status, 200);
      const bad = await post(url('generateContent'), body, { 'x-goog-api-key': 'nope' });
      assert.equal(bad.status, 400);
      const error = ((await bad.json()) as { error: { status: string; details: { reason: string }[] } }).error;
      assert.equal(error.status, 'INVALID_ARGUMENT');
      assert.equal(error.details[0]?.reason, 'API_KEY_INVALID');
      assert.equal((await post(url('generateContent'), body)).status, 403);
    });

    it('streams with alt=sse, the last event carrying finishReason and usageMetadata', async () => {
      const res = await post(url('streamGenerateContent', '?alt=sse'), body, { 'x-goog-api-key': SANDBOX_CREDENTIALS.geminiKey });
      const events = (await res.text()).trim().split('\n\n').map((e) => JSON.parse(e.slice(6)) as { candidates: { finishReason?: string }[]; usageMetadata: { totalTokenCount: number } });
      assert.ok(events.length > 1);
      assert.equal(events.at(-1)?.candidates[0]?.finishReason, 'STOP');
      assert.ok((events.at(-1)?.usageMetadata.totalTokenCount ?? 0) > 0);
    });
  });

  describe('watsonx.ai and IAM', () => {
    const token = async (apikey: string) =>
      fetch(`${standIns.urls().watsonxIamUrl}/identity/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey }),
      });

    it('exchanges a good API key for a JWT with expiry, and refuses a bad one as IAM does', async () => {
      const ok = (await (await token(SANDBOX_CREDENTIALS.watsonxApiKey)).json()) as { access_token: string; expires_in: number; expiration: number; token_type: string };
      assert.equal(ok.token_type, 'Bearer');
      assert.equal(ok.expires_in, 3600);
      assert.equal(ok.access_token.split('.').length, 3);
      const bad = await token('nope');
      assert.equal(bad.status, 400);
      assert.equal(((await bad.json()) as { errorCode: string }).errorCode, 'BXNIM0415E');
    });

    it('requires a valid, unexpired bearer token and the version parameter', async () => {
      const { access_token } = (await (await token(SANDBOX_CREDENTIALS.watsonxApiKey)).json()) as { access_token: string };
      const body = { model_id: 'ibm/granite-3-8b-instruct', project_id: 'p', messages: [{ role: 'user', content: 'hi' }] };
      const chat = `${standIns.urls().watsonxUrl}/ml/v1/text/chat`;
      assert.equal((await post(`${chat}?version=2024-05-31`, body, { authorization: 'Bearer forged.token.here' })).status, 401);
      const noVersion = await post(chat, body, { authorization: `Bearer ${access_token}` });
      assert.equal(noVersion.status, 400);
      assert.equal(((await noVersion.json()) as { errors: { code: string }[] }).errors[0]?.code, 'missing_query_parameter');
      assert.equal((await post(`${chat}?version=2024-05-31`, body, { authorization: `Bearer ${access_token}` })).status, 200);
      const expired = standIns.iamTokens.issue('sandbox-user', Date.now() - 7_200_000).token;
      const res = await post(`${chat}?version=2024-05-31`, body, { authorization: `Bearer ${expired}` });
      assert.equal(((await res.json()) as { errors: { code: string }[] }).errors[0]?.code, 'authentication_token_expired');
    });
  });
});
