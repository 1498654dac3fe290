import assert from 'node:assert/strict';
import { credentialUrlFor, endpointProblem, isAzureDevOpsCloudUrl, isLoopbackHost, originOf, scopeAllows, scopeForUrl, userEndpointFor } from '../../../src/core/credentialScope';
import { readSettings } from '../../../src/core/settings';
import { resolveHostSetting } from '../../../src/core/workspaceHosts';

const settingsWith = (values: Record<string, unknown>) => readSettings((key) => values[key]);

describe('credential scopes', () => {
  it('names origins the way browsers do', () => {
    assert.equal(originOf('https://API.OpenAI.com:443/v1/'), 'https://api.openai.com');
    assert.equal(originOf('http://127.0.0.1:8080/x'), 'http://127.0.0.1:8080');
    assert.equal(originOf('ftp://x'), undefined);
    assert.equal(originOf('not a url'), undefined);
  });

  it('tells Azure DevOps cloud hosts from look-alikes', () => {
    for (const yes of ['https://dev.azure.com/contoso', 'https://vssps.dev.azure.com/contoso', 'https://contoso.visualstudio.com/']) assert.equal(isAzureDevOpsCloudUrl(yes), true, yes);
    for (const no of ['http://dev.azure.com/contoso', 'https://dev.azure.com.evil.example/', 'https://evilvisualstudio.com', 'https://visualstudio.com.evil.example', 'https://evil.example/dev.azure.com']) assert.equal(isAzureDevOpsCloudUrl(no), false, no);
  });

  it('allows plain http only to this machine, and no credentials in the URL', () => {
    for (const ok of ['https://evil.example', 'http://localhost:11434', 'http://127.0.0.1:1', 'http://[::1]:8080', 'http://api.localhost:3000']) assert.equal(endpointProblem(ok), undefined, ok);
    assert.match(endpointProblem('http://models.example/v1')!, /plain http to another machine/);
    assert.match(endpointProblem('http://10.0.0.5:11434')!, /plain http/);
    assert.match(endpointProblem('https://ada:secret@example.com')!, /user name or password/);
    assert.match(endpointProblem('file:///etc/passwd')!, /not an http\(s\) URL/);
    assert.equal(isLoopbackHost('127.255.0.1'), true);
    assert.equal(isLoopbackHost('128.0.0.1'), false);
  });

  it('binds a credential to the origin it is for', () => {
    const openai = scopeForUrl('https://api.openai.com/v1')!;
    assert.equal(scopeAllows(openai, 'https://api.openai.com/v1/models'), true);
    assert.equal(scopeAllows(openai, 'https://api.openai.com:8443/v1'), false);
    assert.equal(scopeAllows(openai, 'http://api.openai.com/v1'), false);
    const cloud = scopeForUrl('https://dev.azure.com/contoso')!;
    assert.deepEqual(cloud, { kind: 'azureDevOpsCloud' });
    assert.equal(scopeAllows(cloud, 'https://contoso.vssps.visualstudio.com/_apis'), true);
    assert.equal(scopeAllows(cloud, 'https://evil.example/contoso'), false);
  });

  it('knows where the settings send each credential', () => {
    const s = settingsWith({ 'ai.provider': 'openai', 'ai.endpoint': 'https://proxy.contoso.com/v1', 'azureDevOps.organizationUrl': 'https://tfs.contoso.com/tfs' }).settings;
    assert.equal(credentialUrlFor('openai', s), 'https://proxy.contoso.com/v1');
    assert.equal(credentialUrlFor('gemini', s), 'https://generativelanguage.googleapis.com');
    assert.equal(credentialUrlFor('azureDevOps', s), 'https://tfs.contoso.com/tfs');
    assert.equal(credentialUrlFor('watsonx', s), 'https://iam.cloud.ibm.com', 'the watsonx key goes to IAM');
    assert.equal(credentialUrlFor('azureOpenai', s), undefined);
    assert.equal(userEndpointFor('openai', s), 'https://proxy.contoso.com/v1');
    assert.equal(userEndpointFor('gemini', s), undefined);
  });
});

describe('settings: endpoints', () => {
  it('refuses plain http to another machine as an endpoint (the default applies, and it is reported)', () => {
    const { settings, invalid } = settingsWith({ 'ai.endpoint': 'http://evil.example/v1', 'azureDevOps.organizationUrl': 'http://evil.example/contoso' });
    assert.equal(settings.ai.endpoint, '');
    assert.equal(settings.azureDevOps.organizationUrl, '');
    assert.deepEqual(invalid.sort(), ['ai.endpoint', 'azureDevOps.organizationUrl']);
    assert.equal(settingsWith({ 'ai.endpoint': 'http://127.0.0.1:11434' }).settings.ai.endpoint, 'http://127.0.0.1:11434');
  });
});

describe('hosts a workspace names', () => {
  const never = () => false;
  it('uses the user\'s value until the user allows the workspace\'s host', () => {
    const r = resolveHostSetting('ai.endpoint', { user: undefined, workspace: 'https://evil.example/v1', fallback: '' }, never);
    assert.deepEqual(r, { value: '', pending: { key: 'ai.endpoint', url: 'https://evil.example/v1', origin: 'https://evil.example' } });
    const mine = resolveHostSetting('azureDevOps.organizationUrl', { user: 'https://dev.azure.com/mine', workspace: 'https://evil.example/contoso', fallback: '' }, never);
    assert.equal(mine.value, 'https://dev.azure.com/mine');
    assert.equal(mine.pending?.origin, 'https://evil.example');
  });

  it('uses it once allowed for this workspace, or when it is the user\'s own host', () => {
    assert.deepEqual(resolveHostSetting('ai.endpoint', { user: undefined, workspace: 'https://evil.example/v1', fallback: '' }, (o) => o === 'https://evil.example'), { value: 'https://evil.example/v1' });
    assert.deepEqual(resolveHostSetting('azureDevOps.organizationUrl', { user: 'https://dev.azure.com/a', workspace: 'https://dev.azure.com/b', fallback: '' }, never), { value: 'https://dev.azure.com/b' });
  });

  it('passes through what names no host, and values only the user set', () => {
    assert.deepEqual(resolveHostSetting('ai.endpoint', { user: 'https://x.example', workspace: '', fallback: '' }, never), { value: '' });
    assert.deepEqual(resolveHostSetting('ai.endpoint', { user: 'https://x.example', workspace: undefined, fallback: '' }, never), { value: 'https://x.example' });
    assert.deepEqual(resolveHostSetting('ai.endpoint', { user: undefined, workspace: 42, fallback: '' }, never), { value: 42 });
  });
});
