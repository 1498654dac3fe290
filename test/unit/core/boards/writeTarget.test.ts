import { strict as assert } from 'node:assert';
import { OutboxEntrySchema } from '../../../../src/core/boards/outbox';
import { azureHome, githubHome, normalizeGitHubHost, normalizeOrganization, sameAccount, sameHome, targetLabel, withAccount } from '../../../../src/core/boards/writeTarget';

describe('write targets (core)', () => {
  it('writes an organization one way, whatever form the settings used', () => {
    assert.equal(normalizeOrganization('https://dev.azure.com/Contoso/'), 'https://dev.azure.com/contoso');
    assert.equal(normalizeOrganization('https://contoso.visualstudio.com'), 'https://dev.azure.com/contoso');
    assert.equal(normalizeOrganization('https://tfs.example.com:8443/tfs/DefaultCollection'), 'https://tfs.example.com:8443/tfs/defaultcollection');
    assert.equal(normalizeGitHubHost('https://api.github.com'), 'github.com');
    assert.equal(normalizeGitHubHost('https://ghe.example.com/api/v3'), 'ghe.example.com');
  });

  it('names the sandbox by what it is, not by this session\'s port', () => {
    assert.deepEqual(azureHome({ organizationUrl: 'http://127.0.0.1:40123/ado/sandbox-org', project: 'Contoso Web', team: 'T' }, 'sandbox'), { service: 'azureBoards', organization: 'sandbox', project: 'Contoso Web' });
    assert.deepEqual(githubHome({ baseUrl: 'http://127.0.0.1:40123/github', owner: 'contoso', repo: 'web', projectNumber: null }, 'sandbox'), { service: 'github', host: 'sandbox', owner: 'contoso', repo: 'web' });
    assert.deepEqual(githubHome({ baseUrl: 'http://127.0.0.1:40123/github', owner: 'contoso', repo: 'web', projectNumber: null }, 'live'), { service: 'github', host: '127.0.0.1:40123', owner: 'contoso', repo: 'web' });
  });

  it('compares connections as the services compare names, and never one service with the other', () => {
    const acme = githubHome({ baseUrl: 'https://api.github.com', owner: 'acme', repo: 'private-a', projectNumber: null }, 'live');
    assert.ok(sameHome(acme, { service: 'github', host: 'github.com', owner: 'ACME', repo: 'Private-A' }));
    assert.ok(!sameHome(acme, { service: 'github', host: 'github.com', owner: 'attacker', repo: 'private-a' }));
    assert.ok(!sameHome(acme, { service: 'github', host: 'ghe.example.com', owner: 'acme', repo: 'private-a' }));
    assert.ok(!sameHome(acme, { service: 'azureBoards', organization: 'https://dev.azure.com/acme', project: 'private-a' }));
    const fabrikam = azureHome({ organizationUrl: 'https://contoso.visualstudio.com/', project: 'Fabrikam', team: '' }, 'live');
    assert.ok(sameHome(fabrikam, { service: 'azureBoards', organization: 'https://dev.azure.com/contoso', project: 'fabrikam' }));
    assert.ok(!sameHome(fabrikam, { service: 'azureBoards', organization: 'https://dev.azure.com/evil', project: 'Fabrikam' }));
  });

  it('sends a change as the account that asked, or as anyone on that connection when none was known', () => {
    assert.ok(sameAccount('Alice@Example.com', 'alice@example.com'));
    assert.ok(!sameAccount('alice@example.com', 'mallory@example.com'));
    assert.ok(!sameAccount('alice@example.com', undefined));
    assert.ok(sameAccount(undefined, 'anyone'));
  });

  it('says where a change goes', () => {
    assert.equal(targetLabel(withAccount({ service: 'github', host: 'github.com', owner: 'acme', repo: 'web' }, 'alice')), 'GitHub acme/web (as alice)');
    assert.equal(targetLabel({ service: 'github', host: 'ghe.example.com', owner: 'acme', repo: 'web' }), 'GitHub ghe.example.com acme/web');
    assert.equal(targetLabel({ service: 'azureBoards', organization: 'https://dev.azure.com/contoso', project: 'Fabrikam' }), 'Azure Boards dev.azure.com/contoso · Fabrikam');
    assert.equal(targetLabel({ service: 'azureBoards', organization: 'sandbox', project: 'Contoso Web' }), 'Azure Boards sandbox · Contoso Web');
  });

  it('reads an entry an earlier version wrote (a target string, state failed) as one without a connection', () => {
    const parsed = OutboxEntrySchema.parse({ id: 'o', clientId: 'c', tracker: 'github', kind: 'addComment', payload: {}, target: 'github:acme/web#4', description: 'd', createdAt: '2026-11-01T10:00:00.000Z', attempts: 1, state: 'failed' });
    assert.deepEqual([parsed.target, parsed.subject, parsed.state, parsed.touches, parsed.changes], [undefined, 'github:acme/web#4', 'refused', [], []]);
    assert.equal(OutboxEntrySchema.safeParse({ id: 'o', clientId: 'c', tracker: 'github', kind: 'k', payload: {}, target: { service: 'github', host: 'github.com', owner: 'a' }, subject: 's', touches: [], changes: [], description: 'd', createdAt: '2026-11-01T10:00:00.000Z', attempts: 0, state: 'pending' }).success, false, 'a target missing its repository is refused');
  });
});
