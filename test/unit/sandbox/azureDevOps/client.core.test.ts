import assert from 'node:assert/strict';
import { OperationStatus } from 'azure-devops-node-api/interfaces/common/OperationsInterfaces';
import { ProjectVisibility } from 'azure-devops-node-api/interfaces/CoreInterfaces';
import { SANDBOX_PROJECT, SANDBOX_USER } from '../../../../src/sandbox/identity';
import { PAT_HEADER, startHarness, type Harness } from './harness';

const raw = (h: Harness, path: string, init: { method?: string; accept?: string; body?: unknown } = {}) =>
  fetch(`${h.orgUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...PAT_HEADER, 'x-tfs-fedauthredirect': 'Suppress', accept: init.accept ?? 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });

describe('Azure DevOps stand-in: discovery and core, through azure-devops-node-api', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());

  it('connects and names the sandbox user as the authenticated identity', async () => {
    const data = await h.api().connect();
    assert.equal(data.authenticatedUser?.id, SANDBOX_USER.adoId);
    assert.equal(data.authenticatedUser?.providerDisplayName, SANDBOX_USER.displayName);
    assert.equal(h.server.requestsTo('location.connectionData').at(-1)?.apiVersion, undefined);
  });

  it('discovers resource areas and locations as the client does, once per client', async () => {
    const api = h.api();
    const core = await api.getCoreApi();
    await core.getProjects();
    await core.getProjects();
    const areas = h.server.requestsTo('location.resourceAreas');
    assert.equal(areas.at(-1)?.apiVersion, '7.2-preview.1');
    const options = h.server.requests.filter((r) => r.method === 'OPTIONS' && r.path.endsWith('/_apis/core'));
    assert.equal(options.length, 1, 'the client caches an area\'s locations');
    const projects = h.server.requestsTo('core.projects.list');
    assert.equal(projects.at(-1)?.apiVersion, '7.2-preview.4');
  });

  it('answers OPTIONS with the area\'s locations and an unknown area with none', async () => {
    const wit = (await (await raw(h, '/_apis/wit', { method: 'OPTIONS' })).json()) as { count: number; value: { id: string; area: string }[] };
    assert.ok(wit.value.some((l) => l.id === '1a9c53f7-f243-4447-b110-35ef023636e4'));
    assert.ok(wit.value.every((l) => l.area.toLowerCase() === 'wit'));
    const none = (await (await raw(h, '/_apis/nosucharea', { method: 'OPTIONS' })).json()) as { count: number };
    assert.equal(none.count, 0);
  });

  it('refuses api-versions as the service does', async () => {
    const preview = await raw(h, `/${encodeURIComponent(SANDBOX_PROJECT)}/_apis/wit/workItems/1/comments`, { accept: 'application/json;api-version=7.1' });
    assert.equal(preview.status, 400);
    const body = (await preview.json()) as { typeKey: string; message: string };
    assert.equal(body.typeKey, 'VssInvalidPreviewVersionException');
    assert.match(body.message, /The requested version "7.1" of the resource is under preview. The -preview flag must be supplied/);

    const tooNew = await raw(h, '/_apis/projects', { accept: 'application/json;api-version=9.0' });
    assert.equal(tooNew.status, 400);
    const tooNewBody = (await tooNew.json()) as { typeKey: string; message: string };
    assert.equal(tooNewBody.typeKey, 'VssVersionOutOfRangeException');
    assert.match(tooNewBody.message, /The requested REST API version of 9.0 is out of range for this server. The latest REST API version this server supports is 7.2./);

    const resource = await raw(h, '/_apis/projects', { accept: 'application/json;api-version=7.1-preview.9' });
    assert.equal(resource.status, 400);

    const none = await raw(h, '/_apis/projects', { method: 'POST', body: { name: 'x' } });
    assert.equal(none.status, 400);
    assert.equal(((await none.json()) as { typeKey: string }).typeKey, 'VssVersionNotSpecifiedException');

    const released = await raw(h, '/_apis/projects?api-version=7.1');
    assert.equal(released.status, 200, 'a released version of a released resource is fine in the query string too');
  });

  it('lists and gets projects, processes and teams', async () => {
    const core = await h.api().getCoreApi();
    const [project] = await core.getProjects();
    assert.equal(project?.name, SANDBOX_PROJECT);
    const full = await core.getProject(SANDBOX_PROJECT, true);
    assert.equal(full.capabilities?.processTemplate?.templateName, 'Agile');
    assert.equal(full.defaultTeam?.name, `${SANDBOX_PROJECT} Team`);
    const processes = await core.getProcesses();
    assert.deepEqual(processes.map((p) => p.name).sort(), ['Agile', 'Basic', 'CMMI', 'Scrum']);
    const basic = await core.getProcessById('b8a3a935-7e91-48b8-a94c-606d37c3e9f2');
    assert.equal(basic.isDefault, true);
    const teams = await core.getTeams(full.id ?? '');
    assert.equal(teams.length, 1);
    const team = await core.getTeam(full.id ?? '', teams[0]?.name ?? '');
    assert.equal(team.projectName, SANDBOX_PROJECT);
    assert.equal(await core.getProject('No Such Project'), null, 'a 404 is null to typed-rest-client');
  });

  it('creates a project as a long-running operation that finishes on the clock', async () => {
    const core = await h.api().getCoreApi();
    const op = await core.queueCreateProject({
      name: 'Fabrikam Mobile',
      description: 'Mobile app',
      visibility: ProjectVisibility.Private,
      capabilities: { versioncontrol: { sourceControlType: 'Git' }, processTemplate: { templateTypeId: '6b724908-ef14-45cf-84f8-768b5384da45' } },
    });
    assert.equal(op.status, OperationStatus.Queued, 'the client reads the status name into its enum');
    const poll = async () => ((await core.rest.get<{ status: string }>(op.url ?? '')).result?.status ?? '');
    assert.equal(await poll(), 'queued');
    h.clock.advance(1_500);
    assert.equal(await poll(), 'inProgress');
    assert.equal((await core.getProjects()).some((p) => p.name === 'Fabrikam Mobile'), false, 'a pending project is not wellFormed yet');
    h.clock.advance(2_000);
    assert.equal(await poll(), 'succeeded');
    const created = await core.getProject('Fabrikam Mobile', true);
    assert.equal(created.capabilities?.processTemplate?.templateName, 'Scrum');
    await assert.rejects(
      core.queueCreateProject({ name: 'Fabrikam Mobile', capabilities: { processTemplate: { templateTypeId: '6b724908-ef14-45cf-84f8-768b5384da45' } } }),
      (e: Error & { statusCode?: number }) => e.statusCode === 409 && /TF200019/.test(e.message),
    );
    await assert.rejects(
      core.queueCreateProject({ name: 'bad/name', capabilities: { processTemplate: { templateTypeId: '6b724908-ef14-45cf-84f8-768b5384da45' } } }),
      (e: Error & { statusCode?: number }) => e.statusCode === 400 && /TF200020/.test(e.message),
    );
  });

  it('answers routes it does not serve with 501 and other organizations with 404', async () => {
    const notServed = await raw(h, '/_apis/dashboard/dashboards?api-version=7.1');
    assert.equal(notServed.status, 501);
    assert.match(((await notServed.json()) as { message: string }).message, /does not serve GET/);
    const other = await fetch(`${h.orgUrl.replace(/sandbox-org$/, 'fabrikam')}/_apis/projects`, { headers: PAT_HEADER });
    assert.equal(other.status, 404);
  });
});
