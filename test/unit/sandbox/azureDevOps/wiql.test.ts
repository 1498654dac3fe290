import assert from 'node:assert/strict';
import { AzureDevOpsState, WIQL_RESULT_LIMIT } from '../../../../src/sandbox/azureDevOps';
import { type AdoHttpError } from '../../../../src/sandbox/azureDevOps/http/errors';
import { type WorkItemRecord } from '../../../../src/sandbox/azureDevOps/state/model';
import { runWiql } from '../../../../src/sandbox/azureDevOps/wiql/run';
import { SANDBOX_PROJECT, SANDBOX_USER } from '../../../../src/sandbox/identity';
import { DEMO_NOW, PAT_HEADER, startHarness } from './harness';

const state = AzureDevOpsState.demo(DEMO_NOW, { clock: () => DEMO_NOW });
const project = state.doc.projects[0];
const ctx = (extra: Partial<Parameters<typeof runWiql>[1]> = {}) => ({
  state,
  user: state.identity(SANDBOX_USER.adoId),
  project,
  team: undefined,
  now: DEMO_NOW,
  timePrecision: false,
  ...extra,
});
const titles = (where: string, order = 'ORDER BY [System.Id]') =>
  (runWiql(`SELECT [System.Id] FROM WorkItems WHERE ${where} ${order}`, ctx(), undefined).workItems ?? []).map(
    (id) => state.workItem(id)?.fields['System.Title'],
  );
const matching = (predicate: (w: WorkItemRecord) => boolean) =>
  state.doc.workItems.filter(predicate).map((w) => w.fields['System.Title']);
const str = (w: WorkItemRecord, f: string) => String(w.fields[f] ?? '');

describe('Azure DevOps stand-in: WIQL semantics', () => {
  const cases: { name: string; where: string; expect: (w: WorkItemRecord) => boolean }[] = [
    { name: '= on a string, case-insensitive', where: "[System.WorkItemType] = 'user story'", expect: (w) => str(w, 'System.WorkItemType') === 'User Story' },
    { name: '<> excludes', where: "[System.WorkItemType] = 'Task' AND [System.State] <> 'Closed'", expect: (w) => str(w, 'System.WorkItemType') === 'Task' && str(w, 'System.State') !== 'Closed' },
    { name: 'IN a list', where: "[System.State] IN ('Resolved', 'Removed')", expect: (w) => ['Resolved', 'Removed'].includes(str(w, 'System.State')) },
    { name: 'NOT IN', where: "[System.WorkItemType] = 'Bug' AND [System.State] NOT IN ('Closed')", expect: (w) => str(w, 'System.WorkItemType') === 'Bug' && str(w, 'System.State') !== 'Closed' },
    { name: '> and <= on numbers', where: '[Microsoft.VSTS.Scheduling.StoryPoints] > 3 AND [Microsoft.VSTS.Scheduling.StoryPoints] <= 5', expect: (w) => Number(w.fields['Microsoft.VSTS.Scheduling.StoryPoints'] ?? 0) > 3 && Number(w.fields['Microsoft.VSTS.Scheduling.StoryPoints'] ?? 0) <= 5 },
    { name: '< and >= on priority', where: '[Microsoft.VSTS.Common.Priority] < 2', expect: (w) => Number(w.fields['Microsoft.VSTS.Common.Priority'] ?? 99) < 2 },
    { name: 'UNDER an area', where: `[System.AreaPath] UNDER '${SANDBOX_PROJECT}\\API'`, expect: (w) => str(w, 'System.AreaPath') === `${SANDBOX_PROJECT}\\API` },
    { name: 'NOT UNDER', where: `[System.TeamProject] = @Project AND [System.AreaPath] NOT UNDER '${SANDBOX_PROJECT}\\Web'`, expect: (w) => str(w, 'System.AreaPath') !== `${SANDBOX_PROJECT}\\Web` },
    { name: 'CONTAINS a substring of the title', where: "[System.Title] CONTAINS 'reset'", expect: (w) => str(w, 'System.Title').toLowerCase().includes('reset') },
    { name: 'CONTAINS a tag', where: "[System.Tags] CONTAINS 'auth'", expect: (w) => str(w, 'System.Tags').split('; ').includes('auth') },
    { name: 'CONTAINS WORDS', where: "[System.Description] CONTAINS WORDS 'email'", expect: (w) => /\bemail\b/i.test(str(w, 'System.Description').replace(/<[^>]*>/g, ' ')) },
    { name: '@Me', where: '[System.AssignedTo] = @Me', expect: (w) => (w.fields['System.AssignedTo'] as { id?: string } | undefined)?.id === SANDBOX_USER.adoId },
    { name: 'identity by display name', where: "[System.AssignedTo] = 'Avery Chen'", expect: (w) => (w.fields['System.AssignedTo'] as { displayName?: string } | undefined)?.displayName === 'Avery Chen' },
    { name: 'identity as "Name <email>"', where: "[System.AssignedTo] = 'Jordan Patel <jordan.patel@example.com>'", expect: (w) => (w.fields['System.AssignedTo'] as { displayName?: string } | undefined)?.displayName === 'Jordan Patel' },
    { name: "= '' finds the unassigned", where: "[System.TeamProject] = @Project AND [System.AssignedTo] = ''", expect: (w) => w.fields['System.AssignedTo'] === undefined },
    { name: '@CurrentIteration', where: '[System.IterationPath] = @CurrentIteration', expect: (w) => str(w, 'System.IterationPath') === `${SANDBOX_PROJECT}\\Sprint 2` },
    { name: '@CurrentIteration + 1', where: '[System.IterationPath] = @CurrentIteration + 1', expect: (w) => str(w, 'System.IterationPath') === `${SANDBOX_PROJECT}\\Sprint 3` },
    { name: '@CurrentIteration - 1', where: '[System.IterationPath] = @CurrentIteration - 1', expect: (w) => str(w, 'System.IterationPath') === `${SANDBOX_PROJECT}\\Sprint 1` },
    { name: '@Today - 7 on dates, by day', where: '[System.CreatedDate] >= @Today - 7', expect: (w) => Math.floor(Date.parse(str(w, 'System.CreatedDate')) / 86_400_000) >= Math.floor(DEMO_NOW.getTime() / 86_400_000) - 7 },
    { name: 'a literal date', where: "[System.ChangedDate] < '2026-03-01'", expect: (w) => Date.parse(str(w, 'System.ChangedDate')) < Date.parse('2026-03-01') },
    { name: 'AND binds tighter than OR', where: "[System.WorkItemType] = 'Epic' OR [System.WorkItemType] = 'Bug' AND [System.State] = 'Closed'", expect: (w) => str(w, 'System.WorkItemType') === 'Epic' || (str(w, 'System.WorkItemType') === 'Bug' && str(w, 'System.State') === 'Closed') },
    { name: 'parentheses', where: "([System.WorkItemType] = 'Epic' OR [System.WorkItemType] = 'Bug') AND [System.State] = 'Closed'", expect: (w) => ['Epic', 'Bug'].includes(str(w, 'System.WorkItemType')) && str(w, 'System.State') === 'Closed' },
    { name: 'NOT of a group', where: "[System.TeamProject] = @Project AND NOT ([System.State] IN ('Closed', 'Removed'))", expect: (w) => !['Closed', 'Removed'].includes(str(w, 'System.State')) },
    { name: 'friendly field names', where: "[State] = 'Resolved'", expect: (w) => str(w, 'System.State') === 'Resolved' },
    { name: 'EVER', where: "[System.State] EVER 'Resolved'", expect: (w) => w.updates.some((u) => u.fields['System.State']?.newValue === 'Resolved') },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const got = titles(c.where);
      const want = matching(c.expect);
      assert.ok(want.length > 0, 'the demo data must exercise this case');
      assert.deepEqual(got, want);
    });
  }

  it('orders by several columns, descending first, and limits with $top', () => {
    const r = runWiql("SELECT [System.Id] FROM WorkItems WHERE [System.WorkItemType] = 'User Story' ORDER BY [Microsoft.VSTS.Common.Priority] ASC, [System.CreatedDate] DESC", ctx(), 3);
    const all = state.doc.workItems
      .filter((w) => w.fields['System.WorkItemType'] === 'User Story')
      .sort((a, b) => Number(a.fields['Microsoft.VSTS.Common.Priority']) - Number(b.fields['Microsoft.VSTS.Common.Priority']) || Date.parse(str(b, 'System.CreatedDate')) - Date.parse(str(a, 'System.CreatedDate')));
    assert.deepEqual(r.workItems, all.slice(0, 3).map((w) => w.id));
    assert.deepEqual(r.sortColumns.map((s) => [s.field.referenceName, s.descending]), [['Microsoft.VSTS.Common.Priority', false], ['System.CreatedDate', true]]);
  });

  it('answers one-hop link queries in MustContain, MayContain and DoesNotContain modes', () => {
    const q = (mode: string) =>
      runWiql(
        `SELECT [System.Id] FROM WorkItemLinks WHERE ([Source].[System.WorkItemType] = 'Feature') AND ([System.Links.LinkType] = 'Child') AND ([Target].[System.WorkItemType] = 'Bug') MODE (${mode})`,
        ctx(),
        undefined,
      );
    const must = q('MustContain');
    assert.equal(must.queryType, 'oneHop');
    const roots = (r: ReturnType<typeof q>) => (r.relations ?? []).filter((x) => x.rel === null).map((x) => state.workItem(x.targetId)?.fields['System.Title']);
    assert.deepEqual(roots(must), ['Account sign-in and profile', 'Order history']);
    assert.ok((must.relations ?? []).filter((x) => x.rel).every((x) => state.workItem(x.targetId)?.fields['System.WorkItemType'] === 'Bug'));
    assert.deepEqual(roots(q('MayContain')).length, 4);
    assert.deepEqual(roots(q('DoesNotContain')), ['Observability', 'Release automation']);
  });

  it('refuses unknown fields (TF51005), syntax errors and macros without context', () => {
    const refuses = (text: string, pattern: RegExp) =>
      assert.throws(() => runWiql(text, ctx({ project: undefined }), undefined), (e: AdoHttpError) => e.status === 400 && pattern.test(e.message));
    refuses('SELECT [System.Id] FROM WorkItems WHERE [System.Bogus] = 1', /TF51005: The query references a field that does not exist. The error is caused by «System.Bogus»/);
    refuses('SELECT [System.Id] WHERE [System.State] = 1', /TF51006: The query statement is missing a FROM clause/);
    refuses("SELECT [System.Id] FROM WorkItems WHERE [System.State] = 'Active", /no closing quote/);
    refuses("SELECT [System.Id] FROM WorkItems WHERE ([System.State] = 'Active'", /TF51006|Expecting '\)'/);
    refuses('SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @Project', /@Project macro needs a project/);
    refuses('SELECT [System.Id] FROM WorkItems WHERE [System.Title] = @Follows', /TF51011/);
    refuses("SELECT [System.Id] FROM WorkItems WHERE [Target].[System.State] = 'New'", /only be used in a query FROM WorkItemLinks/);
  });

  it(`refuses more than ${WIQL_RESULT_LIMIT} results with VS402337 unless a $top within the cap cuts them`, async () => {
    const big = AzureDevOpsState.demo(DEMO_NOW, { clock: () => DEMO_NOW });
    const template = big.doc.workItems[0] as WorkItemRecord;
    for (let i = 0; i <= WIQL_RESULT_LIMIT; i++) {
      big.doc.workItems.push({ ...template, id: 1_000 + i, updates: [], comments: [], relations: [] });
    }
    const h = await startHarness(big);
    try {
      const post = (top?: string) =>
        fetch(`${h.orgUrl}/${encodeURIComponent(SANDBOX_PROJECT)}/_apis/wit/wiql${top ? `?$top=${top}` : ''}`, {
          method: 'POST',
          headers: { ...PAT_HEADER, accept: 'application/json;api-version=7.1-preview.2', 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @Project' }),
        });
      const refused = await post();
      assert.equal(refused.status, 400);
      assert.match(((await refused.json()) as { message: string }).message, /^VS402337: The number of work items returned exceeds the size limit of 20000/);
      const capped = await post('50');
      assert.equal(capped.status, 200);
      assert.equal(((await capped.json()) as { workItems: unknown[] }).workItems.length, 50);
      // $top at the cap cuts the answer silently; above it, it does not lift the cap.
      const atCap = await post(String(WIQL_RESULT_LIMIT));
      assert.equal(atCap.status, 200);
      assert.equal(((await atCap.json()) as { workItems: unknown[] }).workItems.length, WIQL_RESULT_LIMIT);
      const aboveCap = await post(String(WIQL_RESULT_LIMIT + 1));
      assert.equal(aboveCap.status, 400);
      assert.match(((await aboveCap.json()) as { message: string }).message, /^VS402337/);
    } finally {
      await h.stop();
    }
  });
});
