import assert from 'node:assert/strict';
import Ajv from 'ajv-draft-04';
import contract from '../../../fixtures/azure-devops/contract.json';
import { AZURE_DEVOPS_ROUTES } from '../../../../src/sandbox/azureDevOps';
import { PAT_HEADER, startHarness, type Harness } from './harness';

/*
 * Contract tests: every route's answer validates against the response schema of the operation the
 * published description (specs/azure-devops/7.1) gives for it, and has the keys of a recorded
 * example of that operation where one exists. Schemas are OpenAPI 2 (JSON Schema draft 4 plus
 * swagger keywords), validated with ajv-draft-04 (ajv 8's draft-04 mode) with strict mode off for
 * the swagger keywords and formats unchecked (the description's int32/uuid are not JSON Schema
 * formats). Schemas and example shapes are copied into test/fixtures/azure-devops by extract.mjs.
 */

interface Operation {
  readonly source: string;
  readonly schema: Record<string, unknown> | null;
  readonly definitions: Record<string, unknown>;
  readonly examples: readonly { readonly file: string; readonly status: number; readonly shape: unknown }[];
}
const OPERATIONS = contract.operations as unknown as Record<string, Operation>;

interface Call {
  readonly route: string;
  readonly method: string;
  /** Below the organization URL, e.g. `/Contoso%20Web/_apis/wit/wiql`. */
  readonly path: string | ((h: Harness) => string);
  readonly version: string;
  readonly body?: unknown | ((h: Harness) => unknown);
  readonly contentType?: string;
  readonly headers?: (h: Harness) => Record<string, string>;
  readonly status?: number;
}

const P = '/Contoso%20Web';
const repoId = (h: Harness) => h.state.doc.repositories[0]?.id ?? '';
const wikiId = (h: Harness) => h.state.doc.wikis[0]?.id ?? '';
const projectId = (h: Harness) => h.state.doc.projects[0]?.id ?? '';
const teamId = (h: Harness) => h.state.doc.teams[0]?.id ?? '';
const currentSprint = (h: Harness) => h.state.doc.projects[0]?.iterations.children[1]?.identifier ?? '';
const mainHead = (h: Harness) => h.state.doc.repositories[0]?.refs.find((r) => r.name === 'refs/heads/main')?.objectId ?? '';
const storyId = (h: Harness) => h.state.doc.workItems.find((w) => w.fields['System.Title'] === 'Reset a forgotten password')?.id ?? 0;
const lastPr = (h: Harness) => h.state.doc.repositories[0]?.pullRequests.at(-1)?.pullRequestId ?? 0;
const tagId = (h: Harness) => h.state.doc.repositories[0]?.annotatedTags[0]?.objectId ?? '';
const runOf = (h: Harness) => h.state.doc.pipelines[0]?.runs[0]?.id ?? 0;
const lastTestRun = (h: Harness) => h.state.doc.testRuns.at(-1)?.id ?? 0;

const CALLS: readonly Call[] = [
  { route: 'core.projects.list', method: 'GET', path: '/_apis/projects', version: '7.2-preview.4' },
  { route: 'core.projects.get', method: 'GET', path: `/_apis/projects${P}`, version: '7.2-preview.4' },
  { route: 'core.projects.create', method: 'POST', path: '/_apis/projects', version: '7.2-preview.4', status: 202, body: { name: 'Contract Project', description: 'x', capabilities: { versioncontrol: { sourceControlType: 'Git' }, processTemplate: { templateTypeId: '6b724908-ef14-45cf-84f8-768b5384da45' } } } },
  { route: 'core.operations.get', method: 'GET', path: (h) => `/_apis/operations/${h.state.doc.operations[0]?.id ?? ''}`, version: '7.1' },
  { route: 'core.processes.list', method: 'GET', path: '/_apis/process/processes', version: '7.2-preview.1' },
  { route: 'core.processes.get', method: 'GET', path: '/_apis/process/processes/adcc42ab-9882-485e-a3ed-7678f01f66bc', version: '7.2-preview.1' },
  { route: 'core.teams.list', method: 'GET', path: (h) => `/_apis/projects/${projectId(h)}/teams`, version: '7.2-preview.3' },
  { route: 'core.teams.get', method: 'GET', path: (h) => `/_apis/projects/${projectId(h)}/teams/${teamId(h)}`, version: '7.2-preview.3' },
  { route: 'wit.workItems.list', method: 'GET', path: `${P}/_apis/wit/workItems?ids=1,2,3&$expand=all`, version: '7.1-preview.3' },
  { route: 'wit.workItems.get', method: 'GET', path: (h) => `${P}/_apis/wit/workItems/${storyId(h)}?$expand=all`, version: '7.1-preview.3' },
  { route: 'wit.workItems.create', method: 'POST', path: `${P}/_apis/wit/workItems/$Task`, version: '7.1-preview.3', contentType: 'application/json-patch+json', body: (h: Harness) => [{ op: 'add', path: '/fields/System.Title', value: 'Contract task' }, { op: 'add', path: '/relations/-', value: { rel: 'System.LinkTypes.Hierarchy-Reverse', url: `${h.orgUrl}/_apis/wit/workItems/${storyId(h)}` } }] },
  { route: 'wit.workItems.update', method: 'PATCH', path: (h) => `${P}/_apis/wit/workItems/${storyId(h)}`, version: '7.1-preview.3', contentType: 'application/json-patch+json', body: [{ op: 'add', path: '/fields/System.History', value: 'Contract check' }] },
  // Deletes the task the create call above made (the newest item), so no later call misses an item.
  { route: 'wit.workItems.delete', method: 'DELETE', path: (h) => `${P}/_apis/wit/workItems/${Math.max(...h.state.doc.workItems.map((w) => w.id))}`, version: '7.1-preview.3' },
  { route: 'wit.workItemsBatch', method: 'POST', path: `${P}/_apis/wit/workItemsBatch`, version: '7.1-preview.1', body: { ids: [1, 2, 3], fields: ['System.Id', 'System.Title', 'System.WorkItemType'] } },
  { route: 'wit.wiql', method: 'POST', path: `${P}/_apis/wit/wiql`, version: '7.1-preview.2', body: { query: "SELECT [System.Id], [System.Title] FROM WorkItems WHERE [System.TeamProject] = @Project AND [System.State] <> 'Closed' ORDER BY [Microsoft.VSTS.Common.Priority], [System.CreatedDate] DESC" } },
  { route: 'wit.comments.list', method: 'GET', path: (h) => `${P}/_apis/wit/workItems/${storyId(h)}/comments`, version: '7.1-preview.4' },
  { route: 'wit.comments.get', method: 'GET', path: (h) => `${P}/_apis/wit/workItems/${storyId(h)}/comments/1`, version: '7.1-preview.4' },
  { route: 'wit.comments.add', method: 'POST', path: (h) => `${P}/_apis/wit/workItems/${storyId(h)}/comments`, version: '7.1-preview.4', body: { text: 'Looks good.' } },
  { route: 'wit.updates.list', method: 'GET', path: (h) => `${P}/_apis/wit/workItems/${storyId(h)}/updates`, version: '7.1-preview.3' },
  { route: 'wit.updates.get', method: 'GET', path: (h) => `${P}/_apis/wit/workItems/${storyId(h)}/updates/2`, version: '7.1-preview.3' },
  { route: 'wit.workItemTypes.list', method: 'GET', path: `${P}/_apis/wit/workItemTypes`, version: '7.1-preview.2' },
  { route: 'wit.workItemTypes.get', method: 'GET', path: `${P}/_apis/wit/workItemTypes/Bug`, version: '7.1-preview.2' },
  { route: 'wit.workItemTypeStates.list', method: 'GET', path: `${P}/_apis/wit/workitemtypes/User%20Story/states`, version: '7.1-preview.1' },
  { route: 'wit.classificationNodes.roots', method: 'GET', path: `${P}/_apis/wit/classificationNodes?$depth=2`, version: '7.1-preview.2' },
  { route: 'wit.classificationNodes.get', method: 'GET', path: `${P}/_apis/wit/classificationNodes/Iterations?$depth=1`, version: '7.1-preview.2' },
  { route: 'wit.classificationNodes.create', method: 'POST', path: `${P}/_apis/wit/classificationNodes/Iterations`, version: '7.1-preview.2', status: 201, body: { name: 'Sprint 4', attributes: { startDate: '2026-04-01T00:00:00Z', finishDate: '2026-04-14T00:00:00Z' } } },
  { route: 'work.teamSettings.get', method: 'GET', path: `${P}/_apis/work/teamsettings`, version: '7.2-preview.1' },
  { route: 'work.teamSettings.update', method: 'PATCH', path: `${P}/_apis/work/teamsettings`, version: '7.2-preview.1', body: { bugsBehavior: 'AsTasks', workingDays: ['monday', 'tuesday', 'wednesday', 'thursday'] } },
  { route: 'work.iterations.list', method: 'GET', path: `${P}/_apis/work/teamsettings/iterations`, version: '7.2-preview.1' },
  { route: 'work.iterations.get', method: 'GET', path: (h) => `${P}/_apis/work/teamsettings/iterations/${currentSprint(h)}`, version: '7.2-preview.1' },
  { route: 'work.iterations.add', method: 'POST', path: `${P}/_apis/work/teamsettings/iterations`, version: '7.2-preview.1', body: (h: Harness) => ({ id: h.state.doc.projects[0]?.iterations.children.at(-1)?.identifier }) },
  { route: 'work.iterationWorkItems', method: 'GET', path: (h) => `${P}/_apis/work/teamsettings/iterations/${currentSprint(h)}/workitems`, version: '7.2-preview.1' },
  { route: 'work.capacities.get', method: 'GET', path: (h) => `${P}/_apis/work/teamsettings/iterations/${currentSprint(h)}/capacities`, version: '7.2-preview.3' },
  { route: 'work.capacities.replace', method: 'PUT', path: (h) => `${P}/_apis/work/teamsettings/iterations/${currentSprint(h)}/capacities`, version: '7.2-preview.3', body: (h: Harness) => [{ teamMember: { id: h.state.doc.identities[0]?.id }, activities: [{ name: 'Development', capacityPerDay: 5 }], daysOff: [] }] },
  { route: 'work.teamDaysOff.get', method: 'GET', path: (h) => `${P}/_apis/work/teamsettings/iterations/${currentSprint(h)}/teamdaysoff`, version: '7.2-preview.1' },
  { route: 'work.teamDaysOff.update', method: 'PATCH', path: (h) => `${P}/_apis/work/teamsettings/iterations/${currentSprint(h)}/teamdaysoff`, version: '7.2-preview.1', body: { daysOff: [{ start: '2026-03-14T00:00:00Z', end: '2026-03-15T00:00:00Z' }] } },
  { route: 'git.repositories.list', method: 'GET', path: `${P}/_apis/git/repositories`, version: '7.2-preview.2' },
  { route: 'git.repositories.get', method: 'GET', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}`, version: '7.2-preview.2' },
  { route: 'git.repositories.create', method: 'POST', path: `${P}/_apis/git/repositories`, version: '7.2-preview.2', status: 201, body: { name: 'contract-repo' } },
  { route: 'git.refs.list', method: 'GET', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/refs?filter=heads/`, version: '7.2-preview.2' },
  { route: 'git.refs.update', method: 'POST', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/refs`, version: '7.2-preview.2', body: (h: Harness) => [{ name: 'refs/heads/contract', oldObjectId: '0000000000000000000000000000000000000000', newObjectId: mainHead(h) }] },
  { route: 'git.pushes.create', method: 'POST', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/pushes`, version: '7.2-preview.3', status: 201, body: (h: Harness) => ({ refUpdates: [{ name: 'refs/heads/contract', oldObjectId: mainHead(h) }], commits: [{ comment: 'Add notes', changes: [{ changeType: 'add', item: { path: '/NOTES.md' }, newContent: { content: '# Notes', contentType: 'rawtext' } }] }] }) },
  { route: 'git.pushes.list', method: 'GET', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/pushes`, version: '7.2-preview.3' },
  { route: 'git.pushes.get', method: 'GET', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/pushes/1`, version: '7.2-preview.3' },
  { route: 'git.commits.list', method: 'GET', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/commits?searchCriteria.$top=3`, version: '7.2-preview.2' },
  { route: 'git.commits.get', method: 'GET', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/commits/${mainHead(h)}`, version: '7.2-preview.2' },
  { route: 'git.items.get', method: 'GET', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/items?path=%2FREADME.md&includeContent=true`, version: '7.2-preview.1' },
  { route: 'git.annotatedTags.create', method: 'POST', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/annotatedtags`, version: '7.2-preview.1', status: 201, body: (h: Harness) => ({ name: 'v1.2.0-rc.1', taggedObject: { objectId: mainHead(h) }, message: 'Release candidate' }) },
  { route: 'git.annotatedTags.get', method: 'GET', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/annotatedtags/${tagId(h)}`, version: '7.2-preview.1' },
  { route: 'git.pullRequests.create', method: 'POST', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/pullrequests`, version: '7.2-preview.2', status: 201, body: (h: Harness) => ({ sourceRefName: 'refs/heads/contract', targetRefName: 'refs/heads/main', title: 'Add notes', workItemRefs: [{ id: String(storyId(h)) }] }) },
  { route: 'git.pullRequests.list', method: 'GET', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/pullrequests?searchCriteria.status=all`, version: '7.2-preview.2' },
  { route: 'git.pullRequests.get', method: 'GET', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/pullrequests/${lastPr(h)}`, version: '7.2-preview.2' },
  { route: 'git.pullRequests.getById', method: 'GET', path: (h) => `${P}/_apis/git/pullrequests/${lastPr(h)}`, version: '7.2-preview.2' },
  { route: 'git.pullRequests.workItems', method: 'GET', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/pullRequests/${lastPr(h)}/workitems`, version: '7.2-preview.1' },
  { route: 'git.pullRequests.update', method: 'PATCH', path: (h) => `${P}/_apis/git/repositories/${repoId(h)}/pullrequests/${lastPr(h)}`, version: '7.2-preview.2', body: { status: 'completed' } },
  { route: 'policy.configurations.list', method: 'GET', path: `${P}/_apis/policy/configurations`, version: '7.2-preview.1' },
  { route: 'policy.configurations.get', method: 'GET', path: `${P}/_apis/policy/configurations/1`, version: '7.2-preview.1' },
  { route: 'policy.configurations.create', method: 'POST', path: `${P}/_apis/policy/configurations`, version: '7.2-preview.1', body: (h: Harness) => ({ isEnabled: true, isBlocking: false, type: { id: 'c6a1889d-b943-4856-b76f-9e46bb6b0df2' }, settings: { scope: [{ repositoryId: repoId(h), refName: 'refs/heads/main', matchKind: 'exact' }] } }) },
  { route: 'policy.types.list', method: 'GET', path: `${P}/_apis/policy/types`, version: '7.2-preview.1' },
  { route: 'wiki.wikis.list', method: 'GET', path: `${P}/_apis/wiki/wikis`, version: '7.2-preview.2' },
  { route: 'wiki.wikis.get', method: 'GET', path: (h) => `${P}/_apis/wiki/wikis/${wikiId(h)}`, version: '7.2-preview.2' },
  { route: 'wiki.wikis.create', method: 'POST', path: `${P}/_apis/wiki/wikis`, version: '7.2-preview.2', status: 201, body: (h: Harness) => ({ name: 'Code docs', projectId: projectId(h), type: 'codeWiki', repositoryId: repoId(h), mappedPath: '/docs' }) },
  { route: 'wiki.pages.get', method: 'GET', path: (h) => `${P}/_apis/wiki/wikis/${wikiId(h)}/pages?path=%2FHome&includeContent=true`, version: '7.1' },
  { route: 'wiki.pages.put', method: 'PUT', path: (h) => `${P}/_apis/wiki/wikis/${wikiId(h)}/pages?path=%2FRunbook`, version: '7.1', status: 201, body: { content: '# Runbook' } },
  { route: 'pipelines.list', method: 'GET', path: `${P}/_apis/pipelines`, version: '7.2-preview.1' },
  { route: 'pipelines.get', method: 'GET', path: `${P}/_apis/pipelines/1`, version: '7.2-preview.1' },
  { route: 'pipelines.runs.list', method: 'GET', path: `${P}/_apis/pipelines/1/runs`, version: '7.2-preview.1' },
  { route: 'pipelines.runs.get', method: 'GET', path: (h) => `${P}/_apis/pipelines/1/runs/${runOf(h)}`, version: '7.2-preview.1' },
  { route: 'pipelines.runs.create', method: 'POST', path: `${P}/_apis/pipelines/1/runs`, version: '7.2-preview.1', body: { resources: { repositories: { self: { refName: 'refs/heads/main' } } } } },
  { route: 'build.builds.get', method: 'GET', path: (h) => `${P}/_apis/build/Builds/${runOf(h)}`, version: '7.2-preview.7' },
  { route: 'build.timeline.get', method: 'GET', path: (h) => `${P}/_apis/build/builds/${runOf(h)}/Timeline`, version: '7.2-preview.2' },
  { route: 'build.logs.list', method: 'GET', path: (h) => `${P}/_apis/build/builds/${runOf(h)}/logs`, version: '7.2-preview.2' },
  { route: 'test.runs.create', method: 'POST', path: `${P}/_apis/test/runs`, version: '7.2-preview.3', body: { name: 'Contract run', automated: true } },
  { route: 'test.runs.list', method: 'GET', path: `${P}/_apis/test/runs`, version: '7.2-preview.3' },
  { route: 'test.runs.get', method: 'GET', path: `${P}/_apis/test/runs/1`, version: '7.2-preview.3' },
  { route: 'test.results.add', method: 'POST', path: (h) => `${P}/_apis/test/Runs/${lastTestRun(h)}/results`, version: '7.2-preview.6', body: [{ testCaseTitle: 'adds', automatedTestName: 'math.adds', outcome: 'Passed', state: 'Completed', durationInMs: 3 }] },
  { route: 'test.results.list', method: 'GET', path: (h) => `${P}/_apis/test/Runs/${lastTestRun(h)}/results`, version: '7.2-preview.6' },
  { route: 'test.runs.update', method: 'PATCH', path: (h) => `${P}/_apis/test/runs/${lastTestRun(h)}`, version: '7.2-preview.3', body: { state: 'Completed' } },
];

// Values whose keys are data (field names, link names, settings), not part of the shape.
const DICTIONARIES = new Set(['fields', '_links', 'attributes', 'properties', 'customProperties', 'templateParameters', 'variables', 'settings', 'transitions', 'backlogVisibilities', 'changeCounts', 'repositories']);

function missingKeys(example: unknown, actual: unknown, path = ''): string[] {
  if (Array.isArray(example)) {
    const first = Array.isArray(actual) ? actual[0] : undefined;
    return example.length > 0 && first !== undefined ? missingKeys(example[0], first, `${path}[]`) : [];
  }
  if (!example || typeof example !== 'object' || !actual || typeof actual !== 'object') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(example)) {
    const here = path ? `${path}.${key}` : key;
    if (value === null) continue;
    if (!(key in actual)) {
      out.push(here);
      continue;
    }
    if (!DICTIONARIES.has(key)) out.push(...missingKeys(value, (actual as Record<string, unknown>)[key], here));
  }
  return out;
}

/**
 * The descriptions are generated from .NET types and write a value typed `object` (any value, as
 * in WorkItem.fields or relation attributes) as `{type: object}`; the recorded examples show
 * strings and numbers there. Such a bare `{type: object}` means "any value".
 */
function loosenAnyObject(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(loosenAnyObject);
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node);
  if (entries.length === 1 && (node as { type?: unknown }).type === 'object') return {};
  return Object.fromEntries(entries.map(([k, v]) => [k, loosenAnyObject(v)]));
}

/** OpenAPI 2 cannot say "may be null", and the service sends nulls: validate what is there. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

describe('Azure DevOps stand-in: contract with the published descriptions', () => {
  let h: Harness;
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  const responses = new Map<string, { status: number; body: unknown }>();

  before(async () => {
    h = await startHarness();
    for (const call of CALLS) {
      const path = typeof call.path === 'function' ? call.path(h) : call.path;
      const body = typeof call.body === 'function' ? (call.body as (h: Harness) => unknown)(h) : call.body;
      const headers: Record<string, string> = { ...PAT_HEADER, accept: `application/json;api-version=${call.version}`, 'x-tfs-fedauthredirect': 'Suppress' };
      if (body !== undefined) headers['content-type'] = call.contentType ?? 'application/json; charset=utf-8';
      if (call.route === 'git.pullRequests.update') h.clock.advance(1000);
      const res = await fetch(`${h.orgUrl}${path}`, { method: call.method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await res.text();
      responses.set(call.route, { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined });
    }
  });
  after(() => h.stop());

  it('covers every route the stand-in serves', () => {
    const served = AZURE_DEVOPS_ROUTES.filter((r) => r.contract).map((r) => r.name);
    assert.deepEqual([...new Set(CALLS.map((c) => c.route))].sort(), [...new Set(served)].sort());
  });

  for (const call of CALLS) {
    it(`${call.route} answers ${call.status ?? 200} and matches ${OPERATIONS[call.route]?.source ?? '(no description)'}`, () => {
      const op = OPERATIONS[call.route];
      const got = responses.get(call.route);
      assert.ok(op, `no contract fixture for ${call.route}: run listOperations.ts and extract.mjs`);
      assert.ok(got);
      assert.equal(got.status, call.status ?? 200, JSON.stringify(got.body).slice(0, 400));
      if (!op.schema) return;
      const isList = op.schema.type === 'array';
      let instance = got.body;
      if (isList) {
        const envelope = got.body as { count: number; value: unknown[] };
        assert.ok(Array.isArray(envelope.value), 'a list comes as {count, value}');
        assert.equal(envelope.count, envelope.value.length);
        instance = envelope.value;
      }
      const validate = ajv.compile(loosenAnyObject({ ...op.schema, definitions: op.definitions }) as object);
      const ok = validate(withoutNulls(instance));
      assert.ok(ok, `${call.route}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`);
      if (op.examples.length === 0) return;
      const actual = isList ? (instance as unknown[]) : instance;
      const candidates = op.examples.map((e) => {
        const shape = isList && e.shape && typeof e.shape === 'object' && 'value' in e.shape ? (e.shape as { value: unknown }).value : e.shape;
        return { file: e.file, missing: missingKeys(shape, actual) };
      });
      const best = candidates.sort((a, b) => a.missing.length - b.missing.length)[0];
      assert.deepEqual(best?.missing, [], `${call.route} lacks keys of the recorded example ${best?.file}`);
    });
  }
});
