import assert from 'node:assert/strict';
import { CredentialStore, type SecretStore, type SessionSource } from '../../../../src/providers/credentials/credentialStore';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { FakeLogger } from '../../fakes/fakeLogger';

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

function sessions(behaviour: 'none' | 'ok' | 'throws', calls: unknown[] = []): SessionSource {
  return {
    async getSession(provider, scopes, options) {
      calls.push({ provider, scopes, options });
      if (behaviour === 'throws') throw new Error('User did not consent');
      return behaviour === 'ok' ? { accessToken: canary, account: 'ada@contoso.com' } : undefined;
    },
  };
}

describe('CredentialStore', () => {
  it('uses the sandbox credentials while the sandbox is on, without asking anything else', async () => {
    const calls: unknown[] = [];
    const store = new CredentialStore(new MemorySecrets(), sessions('ok', calls), () => true, new FakeLogger());
    const ado = await store.getCredential('azureDevOps');
    assert.deepEqual([ado?.kind, ado?.value, ado?.source], ['pat', SANDBOX_CREDENTIALS.azureDevOpsPat, 'sandbox']);
    assert.equal((await store.getCredential('ollama')), undefined);
    assert.equal(calls.length, 0);
  });

  it('prefers a stored token, then a sign-in session with the Azure DevOps scope', async () => {
    const secrets = new MemorySecrets();
    const calls: { provider: string; scopes: readonly string[]; options: { interactive: boolean } }[] = [];
    const log = new FakeLogger();
    const store = new CredentialStore(secrets, sessions('ok', calls as unknown[]), () => false, log);
    const fromSession = await store.getCredential('azureDevOps', { interactive: true });
    assert.equal(fromSession?.kind, 'bearer');
    assert.equal(fromSession?.source, 'session');
    assert.equal(calls[0]?.provider, 'microsoft');
    assert.ok(calls[0]?.scopes.includes('499b84ac-1321-427f-aa17-267ca6975798/.default'));
    assert.equal(calls[0]?.options.interactive, true);
    await store.setSecret('azureDevOps', '  my-pat-value  ');
    const fromSecret = await store.getCredential('azureDevOps');
    assert.deepEqual([fromSecret?.kind, fromSecret?.value, fromSecret?.source], ['pat', 'my-pat-value', 'secretStorage']);
    assert.ok(!log.text.includes(canary), 'the session token never reaches the log');
  });

  it('answers undefined (not an exception) when the user declines to sign in', async () => {
    const log = new FakeLogger();
    const store = new CredentialStore(new MemorySecrets(), sessions('throws'), () => false, log);
    assert.equal(await store.getCredential('github', { interactive: true }), undefined);
    assert.match(log.text, /No github sign-in for GitHub: User did not consent/);
  });

  it('stores model keys only in secret storage and refuses pasted junk', async () => {
    const secrets = new MemorySecrets();
    const store = new CredentialStore(secrets, sessions('none'), () => false, new FakeLogger());
    await assert.rejects(store.setSecret('openai', '   '), /empty/);
    await assert.rejects(store.setSecret('openai', 'two words'), /no spaces/);
    await store.setSecret('openai', 'key-1');
    assert.equal((await store.getCredential('openai'))?.kind, 'apiKey');
    assert.equal(await store.getCredential('gemini'), undefined);
  });

  it('forgets every stored secret and says which', async () => {
    const secrets = new MemorySecrets();
    const store = new CredentialStore(secrets, sessions('none'), () => false, new FakeLogger());
    await store.setSecret('github', 'a');
    await store.setSecret('watsonx', 'b');
    assert.deepEqual(await store.forgetAll(), ['github', 'watsonx']);
    assert.equal(secrets.map.size, 0);
  });
});
