import assert from 'node:assert/strict';
import { DevOpsError } from '../../../../src/core/errors';
import { type ServiceId } from '../../../../src/core/host';
import { CredentialStore, type SecretStore, type SessionSource } from '../../../../src/providers/credentials/credentialStore';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { FakeLogger } from '../../fakes/fakeLogger';

const LIVE = { active: () => false, credentials: () => Promise.reject(new Error('no sandbox')) };
const SANDBOX_ON = { active: () => true, credentials: async () => SANDBOX_CREDENTIALS };

class MemorySecrets implements SecretStore {
  readonly map = new Map<string, string>();
  async get(k: string): Promise<string | undefined> {
    return this.map.get(k);
  }
  async store(k: string, v: string): Promise<void> {
    this.map.set(k, v);
  }
  async delete(k: string): Promise<void> {
    this.map.delete(k);
  }
}

const canary = ['sess', 'ion', '-canary-', 'token-7731'].join('');
const ADO = 'https://dev.azure.com/contoso';
const OPENAI = 'https://api.openai.com/v1';
const EVIL = 'https://evil.example';

type Call = { provider: string; scopes: readonly string[]; options: { interactive: boolean; forceRefresh: boolean } };
function sessions(behaviour: 'none' | 'ok' | 'throws', calls: Call[] = []): SessionSource {
  return {
    async getSession(provider, scopes, options) {
      calls.push({ provider, scopes, options });
      if (behaviour === 'throws') throw new Error('User did not consent');
      return behaviour === 'ok' ? { accessToken: canary, account: 'ada@contoso.com' } : undefined;
    },
  };
}

async function refused(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (e: unknown) => e instanceof DevOpsError && e.code === 'refused' && pattern.test(e.message));
}

describe('CredentialStore', () => {
  it('signedIn (the aiDevops.*.signedIn context keys): asks silently, answers only true or false, never throws', async () => {
    // The sandbox: signed in, nothing asked.
    const quiet: Call[] = [];
    assert.equal(await new CredentialStore(new MemorySecrets(), sessions('ok', quiet), SANDBOX_ON, new FakeLogger()).signedIn('azureDevOps', ADO), true);
    assert.equal(quiet.length, 0);
    // No token, no session: not signed in; the session was asked for silently, never with a prompt.
    const calls: Call[] = [];
    assert.equal(await new CredentialStore(new MemorySecrets(), sessions('none', calls), LIVE, new FakeLogger()).signedIn('azureDevOps', ADO), false);
    assert.deepEqual(calls.map((c) => c.options), [{ interactive: false, forceRefresh: false }]);
    // A VS Code session: signed in. A session provider that fails: not signed in, no throw.
    assert.equal(await new CredentialStore(new MemorySecrets(), sessions('ok'), LIVE, new FakeLogger()).signedIn('github', 'https://api.github.com'), true);
    assert.equal(await new CredentialStore(new MemorySecrets(), sessions('throws'), LIVE, new FakeLogger()).signedIn('github', 'https://api.github.com'), false);
    // A stored token counts only for the host it is bound to; one for another host is a refusal, answered false.
    const secrets = new MemorySecrets();
    const store = new CredentialStore(secrets, sessions('none'), LIVE, new FakeLogger());
    await store.setSecret('azureDevOps', 'my-pat-value', 'https://ado.contoso.internal/tfs');
    assert.equal(await store.signedIn('azureDevOps', 'https://ado.contoso.internal/tfs/Collection'), true);
    assert.equal(await store.signedIn('azureDevOps', EVIL), false);
    // No URL (nothing configured): false.
    assert.equal(await store.signedIn('azureDevOps', undefined), false);
  });

  it('uses the sandbox credentials while the sandbox is on, without asking anything else', async () => {
    const calls: Call[] = [];
    const store = new CredentialStore(new MemorySecrets(), sessions('ok', calls), SANDBOX_ON, new FakeLogger());
    const ado = await store.getCredential('azureDevOps', { url: 'http://127.0.0.1:9999/contoso' });
    assert.deepEqual([ado?.kind, ado?.value, ado?.source], ['pat', SANDBOX_CREDENTIALS.azureDevOpsPat, 'sandbox']);
    assert.equal(await store.getCredential('ollama', { url: 'http://127.0.0.1:11434' }), undefined);
    assert.equal(calls.length, 0);
  });

  it('prefers a stored token, then a sign-in session with the Azure DevOps scope', async () => {
    const secrets = new MemorySecrets();
    const calls: Call[] = [];
    const log = new FakeLogger();
    const store = new CredentialStore(secrets, sessions('ok', calls), LIVE, log);
    const fromSession = await store.getCredential('azureDevOps', { url: ADO, interactive: true });
    assert.equal(fromSession?.kind, 'bearer');
    assert.equal(fromSession?.source, 'session');
    assert.deepEqual(fromSession?.scope, { kind: 'azureDevOpsCloud' });
    assert.equal(calls[0]?.provider, 'microsoft');
    assert.ok(calls[0]?.scopes.includes('499b84ac-1321-427f-aa17-267ca6975798/.default'));
    assert.equal(calls[0]?.options.interactive, true);
    assert.deepEqual(await store.setSecret('azureDevOps', '  my-pat-value  ', ADO), { kind: 'azureDevOpsCloud' });
    const fromSecret = await store.getCredential('azureDevOps', { url: 'https://contoso.visualstudio.com' });
    assert.deepEqual([fromSecret?.kind, fromSecret?.value, fromSecret?.source], ['pat', 'my-pat-value', 'secretStorage']);
    assert.ok(!log.text.includes(canary), 'the session token never reaches the log');
  });

  it('answers undefined (not an exception) when the user declines to sign in', async () => {
    const log = new FakeLogger();
    const store = new CredentialStore(new MemorySecrets(), sessions('throws'), LIVE, log);
    assert.equal(await store.signIn('github'), false);
    assert.match(log.text, /No github sign-in for GitHub: User did not consent/);
  });

  it('stores model keys only in secret storage, bound to their origin, and refuses pasted junk', async () => {
    const secrets = new MemorySecrets();
    const store = new CredentialStore(secrets, sessions('none'), LIVE, new FakeLogger());
    await assert.rejects(store.setSecret('openai', '   ', OPENAI), /empty/);
    await assert.rejects(store.setSecret('openai', 'two words', OPENAI), /no spaces/);
    assert.deepEqual(await store.setSecret('openai', 'key-1', OPENAI), { kind: 'origin', origin: 'https://api.openai.com' });
    assert.deepEqual(JSON.parse(secrets.map.get('aiDevops.secret.openai')!), { v: 1, secret: 'key-1', scope: { kind: 'origin', origin: 'https://api.openai.com' } });
    assert.equal((await store.getCredential('openai', { url: OPENAI }))?.kind, 'apiKey');
    assert.equal(await store.getCredential('gemini', { url: 'https://generativelanguage.googleapis.com' }), undefined);
  });

  it('forgets every stored secret and says which', async () => {
    const secrets = new MemorySecrets();
    const store = new CredentialStore(secrets, sessions('none'), LIVE, new FakeLogger());
    await store.setSecret('github', 'a', 'https://api.github.com');
    await store.setSecret('watsonx', 'b', 'https://iam.cloud.ibm.com');
    assert.deepEqual(await store.forgetAll(), ['github', 'watsonx']);
    assert.equal(secrets.map.size, 0);
  });
});

describe('CredentialStore: credentials bound to their hosts (issue 10, item 1)', () => {
  it('a stored OpenAI key is not released for a host a workspace names', async () => {
    const store = new CredentialStore(new MemorySecrets(), sessions('none'), LIVE, new FakeLogger());
    await store.setSecret('openai', 'sk-user-key', OPENAI);
    await refused(store.getCredential('openai', { url: `${EVIL}/v1` }), /token you stored is for https:\/\/api\.openai\.com, so it is not sent to https:\/\/evil\.example/);
    // Same host, another path or a trailing slash: the same origin.
    assert.equal((await store.getCredential('openai', { url: 'https://api.openai.com/v1/' }))?.value, 'sk-user-key');
  });

  it('a PAT is not released for another organization host, and the Microsoft session is not even asked for', async () => {
    const calls: Call[] = [];
    const store = new CredentialStore(new MemorySecrets(), sessions('ok', calls), LIVE, new FakeLogger());
    await store.setSecret('azureDevOps', 'user-pat', ADO);
    await refused(store.getCredential('azureDevOps', { url: `${EVIL}/contoso` }), /not sent to https:\/\/evil\.example/);
    assert.equal(calls.length, 0, 'no session was requested for evil.example');
  });

  it('an Entra session goes only to Azure DevOps cloud hosts, also after a 401 (no fresh session for another host)', async () => {
    const calls: Call[] = [];
    const store = new CredentialStore(new MemorySecrets(), sessions('ok', calls), LIVE, new FakeLogger());
    for (const url of [ADO, 'https://contoso.visualstudio.com/', 'https://vssps.dev.azure.com/contoso']) {
      assert.equal((await store.getCredential('azureDevOps', { url }))?.source, 'session', url);
    }
    const before = calls.length;
    for (const request of [{ url: `${EVIL}/contoso` }, { url: `${EVIL}/contoso`, forceRefresh: true }, { url: 'https://dev.azure.com.evil.example/x' }, { url: 'https://evilvisualstudio.com/x' }]) {
      await refused(store.getCredential('azureDevOps', request), /Microsoft sign-in is sent only to Azure DevOps \(dev\.azure\.com and \*\.visualstudio\.com\)/);
    }
    assert.equal(calls.length, before, 'no session request (and no forceNewSession prompt) for another host');
  });

  it('an Azure DevOps Server URL in the user settings may receive the session', async () => {
    const calls: Call[] = [];
    const store = new CredentialStore(new MemorySecrets(), sessions('ok', calls), LIVE, new FakeLogger(), (s: ServiceId) => (s === 'azureDevOps' ? 'https://tfs.contoso.com/DefaultCollection' : undefined));
    assert.equal((await store.getCredential('azureDevOps', { url: 'https://tfs.contoso.com/DefaultCollection' }))?.source, 'session');
    await refused(store.getCredential('azureDevOps', { url: 'https://tfs.evil.example/DefaultCollection' }), /not to https:\/\/tfs\.evil\.example/);
  });

  it('a GitHub session goes only to api.github.com', async () => {
    const store = new CredentialStore(new MemorySecrets(), sessions('ok'), LIVE, new FakeLogger());
    assert.equal((await store.getCredential('github', { url: 'https://api.github.com' }))?.source, 'session');
    await refused(store.getCredential('github', { url: 'https://github.evil.example/api/v3' }), /GitHub sign-in is sent only to https:\/\/api\.github\.com/);
  });

  it('plain http only to this machine, for every credential', async () => {
    const store = new CredentialStore(new MemorySecrets(), sessions('ok'), LIVE, new FakeLogger());
    await store.setSecret('ollama', 'k', 'http://127.0.0.1:11434');
    assert.equal((await store.getCredential('ollama', { url: 'http://127.0.0.1:11434' }))?.value, 'k');
    await refused(store.getCredential('openai', { url: 'http://models.example/v1' }), /plain http to another machine.*use https/);
    await refused(store.getCredential('azureDevOps', { url: 'http://dev.azure.com/contoso' }), /plain http/);
    await assert.rejects(store.setSecret('openai', 'k', 'http://models.example/v1'), /plain http/);
  });

  it('a token stored before scopes existed is bound to the user\'s own endpoint or the public default', async () => {
    const secrets = new MemorySecrets();
    secrets.map.set('aiDevops.secret.openai', 'legacy-openai-key');
    secrets.map.set('aiDevops.secret.azureDevOps', 'legacy-pat');
    const store = new CredentialStore(secrets, sessions('none'), LIVE, new FakeLogger(), () => undefined);
    assert.equal((await store.getCredential('openai', { url: OPENAI }))?.value, 'legacy-openai-key');
    await refused(store.getCredential('openai', { url: `${EVIL}/v1` }), /not sent to https:\/\/evil\.example/);
    assert.equal((await store.getCredential('azureDevOps', { url: ADO }))?.value, 'legacy-pat');
    await refused(store.getCredential('azureDevOps', { url: `${EVIL}/contoso` }), /not sent/);
  });
});
