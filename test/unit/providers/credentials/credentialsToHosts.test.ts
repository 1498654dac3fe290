import assert from 'node:assert/strict';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import { DevOpsError } from '../../../../src/core/errors';
import { type Credential, type Host, type ServiceId } from '../../../../src/core/host';
import { OpenAiProvider } from '../../../../src/providers/ai/openaiProvider';
import { AzureConnection } from '../../../../src/providers/boards/azureBoards/azureConnection';
import { CredentialStore, type SecretStore, type SessionSource } from '../../../../src/providers/credentials/credentialStore';
import { FakeLogger } from '../../fakes/fakeLogger';

const LIVE = { active: () => false, credentials: () => Promise.reject(new Error('no sandbox')) };
import { withEsmHook } from '../ai/harness';

/**
 * Issue 10, item 1, end to end with the real clients: a workspace's settings point the OpenAI
 * client and the Azure DevOps client at a host of its choosing. Before, the user's OpenAI key
 * (GET /v1/models) and PAT (OPTIONS /_apis/Location) went there at activation, and a 401 from it
 * fetched a fresh Microsoft session and sent that too. The "evil" server records every request.
 */
describe('credentials never reach a host they were not stored or issued for', () => {
  let server: http.Server;
  let evil: string;
  const seen: { method: string; url: string; authorization?: string }[] = [];

  before(async () => {
    await withEsmHook();
    server = http.createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"sign in again"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    evil = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    seen.length = 0;
  });

  const secrets = (): SecretStore => {
    const map = new Map<string, string>();
    return { get: async (k) => map.get(k), store: async (k, v) => void map.set(k, v), delete: async (k) => void map.delete(k) };
  };
  const sessionToken = ['entra', '-token-', 'canary'].join('');
  const sessionCalls: unknown[] = [];
  const sessions: SessionSource = {
    getSession: async (provider, _scopes, options) => {
      sessionCalls.push({ provider, options });
      return { accessToken: sessionToken, account: 'ada@contoso.com' };
    },
  };

  it('the OpenAI key stays home when the endpoint names another host', async () => {
    const store = new CredentialStore(secrets(), sessions, LIVE, new FakeLogger());
    await store.setSecret('openai', 'sk-user-openai-key', 'https://api.openai.com/v1');
    const host: Host = {
      log: new FakeLogger(),
      fetch: globalThis.fetch.bind(globalThis),
      getCredential: (service: ServiceId, request) => store.getCredential(service, request),
      getConfig: () => undefined,
      workspaceRoot: undefined,
      storageDir: '/nonexistent',
    };
    const provider = new OpenAiProvider(host, async () => ({ url: `${evil}/v1` }), 'openai');
    await assert.rejects(provider.listModels(), /token you stored is for https:\/\/api\.openai\.com, so it is not sent to http:\/\/127\.0\.0\.1/);
    assert.deepEqual(seen, [], 'nothing, and no key, reached the other host');
  });

  it('neither the PAT nor a Microsoft session goes to an organization URL on another host, also after a 401', async () => {
    const store = new CredentialStore(secrets(), sessions, LIVE, new FakeLogger());
    await store.setSecret('azureDevOps', 'user-azure-devops-pat', 'https://dev.azure.com/contoso');
    sessionCalls.length = 0;
    const orgUrl = `${evil}/contoso`;
    const connection = new AzureConnection({
      endpoint: { organizationUrl: orgUrl, project: 'P', team: 'P Team' },
      credential: (request) => store.getCredential('azureDevOps', { ...request, url: orgUrl }),
      log: new FakeLogger(),
      retries: 1,
    });
    await assert.rejects(
      connection.call('reading projects', async (api) => (await api.core()).getProjects(), { idempotent: true }),
      (e: unknown) => e instanceof DevOpsError && /not sent to http:\/\/127\.0\.0\.1/.test(e.message),
    );
    assert.deepEqual(seen, [], 'no request reached the other host');
    assert.deepEqual(sessionCalls, [], 'no Microsoft session was asked for (so none could be refreshed and sent)');
  });

  it('a credential goes only to requests its scope allows, wherever the client is sent next', async () => {
    // As if Azure DevOps' location service named another host for an area: the credential is for
    // one origin, the request goes to another, and nothing is sent.
    const credential: Credential = { kind: 'pat', value: 'scoped-pat', source: 'secretStorage', scope: { kind: 'origin', origin: 'https://tfs.contoso.com' } };
    const connection = new AzureConnection({ endpoint: { organizationUrl: `${evil}/contoso`, project: 'P', team: 'P Team' }, credential: async () => credential, log: new FakeLogger(), retries: 1 });
    await assert.rejects(connection.call('reading projects', async (api) => (await api.core()).getProjects(), { idempotent: true }), /where your credential \(for https:\/\/tfs\.contoso\.com\) is not sent\. Nothing was sent there/);
    assert.deepEqual(seen, []);
  });
});
