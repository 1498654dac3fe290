import assert from 'node:assert/strict';
import { GraphqlResponseError } from '@octokit/graphql';
import { SANDBOX_USER } from '../../../../src/sandbox/identity';
import { DEMO_STATUS_OPTIONS, githubSchema } from '../../../../src/sandbox/github';
import { PROJECT_QUERY, startGitHub, type GitHubHarness } from './harness';

interface Item {
  id: string;
  type: string;
  fieldValueByName: { name: string; optionId: string } | null;
  content: { __typename: string; id?: string; number?: number; title: string } | null;
}
interface ProjectAnswer {
  organization: {
    projectV2: {
      id: string;
      number: number;
      title: string;
      closed: boolean;
      field: { id: string; name: string; options: { id: string; name: string }[] };
      items: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Item[] };
    };
  };
}

async function gqlRefused(p: Promise<unknown>): Promise<GraphqlResponseError<unknown>> {
  try {
    await p;
  } catch (error) {
    assert.ok(error instanceof GraphqlResponseError, `expected a GraphqlResponseError, got ${String(error)}`);
    return error;
  }
  assert.fail('the query succeeded');
}

describe('GitHub stand-in: GraphQL (Projects v2) with @octokit/graphql', () => {
  let h: GitHubHarness;
  before(function () {
    this.timeout(60_000);
    // Builds GitHub's schema once (about a second) so the first test's time is its own.
    githubSchema();
  });
  beforeEach(async () => (h = await startGitHub()));
  afterEach(() => h.stop());

  const project = async (first = 100, after?: string) => (await h.gql()<ProjectAnswer>(PROJECT_QUERY, { owner: 'contoso', number: 1, first, after })).organization.projectV2;

  it('answers the viewer and the organization project with its Status options in order', async () => {
    const viewer = await h.gql()<{ viewer: { login: string; databaseId: number } }>('{ viewer { login databaseId } }');
    assert.deepEqual(viewer.viewer, { login: SANDBOX_USER.githubLogin, databaseId: SANDBOX_USER.githubId });
    const p = await project();
    assert.equal(p.title, 'Contoso Web Roadmap');
    assert.equal(p.number, 1);
    assert.equal(p.closed, false);
    assert.deepEqual(p.field.options.map((o) => o.name), [...DEMO_STATUS_OPTIONS]);
    assert.ok(p.field.options.every((o) => /^[0-9a-f]{8}$/.test(o.id)));
  });

  it('lists items of every kind with their content and Status', async () => {
    const p = await project();
    const kinds = new Set(p.items.nodes.map((i) => i.type));
    assert.deepEqual([...kinds].sort(), ['DRAFT_ISSUE', 'ISSUE', 'PULL_REQUEST']);
    assert.equal(p.items.totalCount, p.items.nodes.length);
    const pr = p.items.nodes.find((i) => i.type === 'PULL_REQUEST');
    assert.equal(pr?.content?.__typename, 'PullRequest');
    assert.equal(pr?.fieldValueByName?.name, 'In Review');
    const draft = p.items.nodes.find((i) => i.type === 'DRAFT_ISSUE');
    assert.equal(draft?.content?.__typename, 'DraftIssue');
    const statuses = new Set(p.items.nodes.map((i) => i.fieldValueByName?.name));
    for (const s of DEMO_STATUS_OPTIONS) assert.ok(statuses.has(s), `an item in ${s}`);
  });

  it('pages items with cursors until hasNextPage is false', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const p = await project(4, after);
      seen.push(...p.items.nodes.map((i) => i.id));
      if (!p.items.pageInfo.hasNextPage) break;
      after = p.items.pageInfo.endCursor ?? undefined;
    }
    const all = await project();
    assert.deepEqual(seen, all.items.nodes.map((i) => i.id));
  });

  it('refuses more than 100 records and a connection without first/last, as GitHub words it', async () => {
    const over = await gqlRefused(project(101));
    assert.deepEqual(
      over.errors?.map((e) => [(e as { type?: string }).type, e.message]),
      [['EXCESSIVE_PAGINATION', 'Requesting 101 records on the `items` connection exceeds the `first` limit of 100 records.']],
    );
    const missing = await gqlRefused(h.gql()('{ organization(login: "contoso") { projectV2(number: 1) { items { totalCount } } } }'));
    assert.equal((missing.errors?.[0] as { type?: string }).type, 'MISSING_PAGINATION_BOUNDARIES');
    assert.equal(missing.errors?.[0]?.message, 'You must provide a `first` or `last` value to properly paginate the `items` connection.');
    assert.equal(missing.data, undefined, 'refused before anything runs');
  });

  it('answers NOT_FOUND errors with data null for the missing part', async () => {
    const repo = await gqlRefused(h.gql()('{ repository(owner: "contoso", name: "nope") { id } }'));
    assert.equal((repo.errors?.[0] as { type?: string }).type, 'NOT_FOUND');
    assert.deepEqual(repo.errors?.[0]?.path, ['repository']);
    assert.deepEqual(repo.data, { repository: null });
    const proj = await gqlRefused(h.gql()('{ organization(login: "contoso") { projectV2(number: 42) { id } } }'));
    assert.equal(proj.errors?.[0]?.message, 'Could not resolve to a ProjectV2 with the number 42.');
    const org = await gqlRefused(h.gql()('{ organization(login: "nobody") { id } }'));
    assert.equal(org.errors?.[0]?.message, "Could not resolve to an Organization with the login of 'nobody'.");
  });

  it('refuses queries the schema does not allow, with GitHub wording, and parse errors', async () => {
    const field = await gqlRefused(h.gql()('{ viewer { login nope } }'));
    assert.equal(field.errors?.[0]?.message, "Field 'nope' doesn't exist on type 'User'");
    assert.deepEqual(field.errors?.[0]?.path, ['query', 'viewer', 'nope']);
    const named = await gqlRefused(h.gql()('query Board { me: viewer { nope } }'));
    assert.deepEqual(named.errors?.[0]?.path, ['query Board', 'me', 'nope']);
    const arg = await gqlRefused(h.gql()('{ organization(login: "contoso") { projectV2 { id } } }'));
    assert.equal(arg.errors?.[0]?.message, "Field 'projectV2' is missing required arguments: number");
    const parse = await gqlRefused(h.gql()('{ viewer { login '));
    assert.match(parse.errors?.[0]?.message ?? '', /^Parse error on /);
  });

  it('answers 401 without a token and "Bad credentials" with a wrong one', async () => {
    const none = await fetch(`${h.baseUrl}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ viewer { login } }' }) });
    assert.equal(none.status, 401);
    assert.equal(((await none.json()) as { message: string }).message, 'This endpoint requires you to be authenticated.');
    await assert.rejects(h.gql('wrong')('{ viewer { login } }'), (e: { status?: number; message: string }) => e.status === 401 && /Bad credentials/.test(e.message));
  });

  it('charges the query cost to the graphql budget and reports it in rateLimit', async () => {
    const r = await h.gql()<{ rateLimit: { cost: number; remaining: number; limit: number } }>('{ rateLimit { cost remaining limit } viewer { login } }');
    assert.equal(r.rateLimit.cost, 1);
    assert.equal(r.rateLimit.limit, 5000);
    assert.equal(r.rateLimit.remaining, 4999);
    const res = await fetch(`${h.baseUrl}/graphql`, { method: 'POST', headers: { authorization: 'bearer sandbox-github-token' }, body: JSON.stringify({ query: '{ viewer { login } }' }) });
    assert.equal(res.headers.get('x-ratelimit-resource'), 'graphql');
    assert.equal(res.headers.get('x-ratelimit-used'), '2');
  });

  describe('mutations', () => {
    const issueId = async (n: number) => (await h.gql()<{ repository: { issue: { id: string } } }>(`query($n: Int!) { repository(owner: "contoso", name: "contoso-web") { issue(number: $n) { id } } }`, { n })).repository.issue.id;

    it('adds an issue to the project (again answers the same item) and sets its Status', async () => {
      const p = await project();
      const before = p.items.totalCount;
      const content = await issueId(15);
      const add = `mutation($p: ID!, $c: ID!) { addProjectV2ItemById(input: { projectId: $p, contentId: $c }) { item { id type content { ... on Issue { number } } } } }`;
      const added = (await h.gql()<{ addProjectV2ItemById: { item: { id: string; type: string; content: { number: number } } } }>(add, { p: p.id, c: content })).addProjectV2ItemById.item;
      assert.equal(added.type, 'ISSUE');
      assert.equal(added.content.number, 15);
      const again = (await h.gql()<{ addProjectV2ItemById: { item: { id: string } } }>(add, { p: p.id, c: content })).addProjectV2ItemById.item;
      assert.equal(again.id, added.id);
      const done = p.field.options.find((o) => o.name === 'Done')!;
      const set = `mutation($p: ID!, $i: ID!, $f: ID!, $o: String!) { updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $f, value: { singleSelectOptionId: $o } }) { projectV2Item { id fieldValueByName(name: "Status") { ... on ProjectV2ItemFieldSingleSelectValue { name } } } } }`;
      const moved = await h.gql()<{ updateProjectV2ItemFieldValue: { projectV2Item: { fieldValueByName: { name: string } } } }>(set, { p: p.id, i: added.id, f: p.field.id, o: done.id });
      assert.equal(moved.updateProjectV2ItemFieldValue.projectV2Item.fieldValueByName.name, 'Done');
      const after = await project();
      assert.equal(after.items.totalCount, before + 1);
      assert.equal(after.items.nodes.find((i) => i.id === added.id)?.fieldValueByName?.name, 'Done');
      const wrong = await gqlRefused(h.gql()(set, { p: p.id, i: added.id, f: p.field.id, o: 'ffffffff' }));
      assert.equal(wrong.errors?.[0]?.message, 'The single select option Id does not belong to the field');
      const noItem = await gqlRefused(h.gql()(set, { p: p.id, i: 'PVTI_kwDOnope', f: p.field.id, o: done.id }));
      assert.equal((noItem.errors?.[0] as { type?: string }).type, 'NOT_FOUND');
    });

    it('adds, edits and deletes a draft issue; sets a number field and clears it', async () => {
      const p = await project();
      const draft = await h.gql()<{ addProjectV2DraftIssue: { projectItem: { id: string; content: { id: string; title: string; body: string } } } }>(
        `mutation($p: ID!, $a: [ID!]) { addProjectV2DraftIssue(input: { projectId: $p, title: "Sketch the footer", body: "Links and legal", assigneeIds: $a }) { projectItem { id content { ... on DraftIssue { id title body } } } } }`,
        { p: p.id, a: [(await h.gql()<{ viewer: { id: string } }>('{ viewer { id } }')).viewer.id] },
      );
      const item = draft.addProjectV2DraftIssue.projectItem;
      assert.equal(item.content.title, 'Sketch the footer');
      const edited = await h.gql()<{ updateProjectV2DraftIssue: { draftIssue: { title: string; assignees: { nodes: { login: string }[] } } } }>(
        `mutation($d: ID!) { updateProjectV2DraftIssue(input: { draftIssueId: $d, title: "Sketch the new footer" }) { draftIssue { title assignees(first: 5) { nodes { login } } } } }`,
        { d: item.content.id },
      );
      assert.equal(edited.updateProjectV2DraftIssue.draftIssue.title, 'Sketch the new footer');
      assert.deepEqual(edited.updateProjectV2DraftIssue.draftIssue.assignees.nodes, [{ login: SANDBOX_USER.githubLogin }]);
      const fields = await h.gql()<{ node: { fields: { nodes: { id: string; name: string; dataType: string }[] } } }>(`query($p: ID!) { node(id: $p) { ... on ProjectV2 { fields(first: 20) { nodes { ... on ProjectV2FieldCommon { id name dataType } } } } } }`, { p: p.id });
      const estimate = fields.node.fields.nodes.find((f) => f.name === 'Estimate')!;
      assert.equal(estimate.dataType, 'NUMBER');
      const setNumber = `mutation($p: ID!, $i: ID!, $f: ID!) { updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $f, value: { number: 8 } }) { projectV2Item { fieldValueByName(name: "Estimate") { ... on ProjectV2ItemFieldNumberValue { number } } } } }`;
      const n = await h.gql()<{ updateProjectV2ItemFieldValue: { projectV2Item: { fieldValueByName: { number: number } } } }>(setNumber, { p: p.id, i: item.id, f: estimate.id });
      assert.equal(n.updateProjectV2ItemFieldValue.projectV2Item.fieldValueByName.number, 8);
      const wrongKind = await gqlRefused(h.gql()(`mutation($p: ID!, $i: ID!, $f: ID!) { updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $f, value: { text: "x" } }) { clientMutationId } }`, { p: p.id, i: item.id, f: estimate.id }));
      assert.equal(wrongKind.errors?.[0]?.message, 'Did not receive a number value to update a field of type number');
      const cleared = await h.gql()<{ clearProjectV2ItemFieldValue: { projectV2Item: { fieldValueByName: null } } }>(`mutation($p: ID!, $i: ID!, $f: ID!) { clearProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $f }) { projectV2Item { fieldValueByName(name: "Estimate") { __typename } } } }`, { p: p.id, i: item.id, f: estimate.id });
      assert.equal(cleared.clearProjectV2ItemFieldValue.projectV2Item.fieldValueByName, null);
      const deleted = await h.gql()<{ deleteProjectV2Item: { deletedItemId: string } }>(`mutation($p: ID!, $i: ID!) { deleteProjectV2Item(input: { projectId: $p, itemId: $i }) { deletedItemId } }`, { p: p.id, i: item.id });
      assert.equal(deleted.deleteProjectV2Item.deletedItemId, item.id);
      assert.ok(!(await project()).items.nodes.some((i) => i.id === item.id));
      const blank = await gqlRefused(h.gql()(`mutation($p: ID!) { addProjectV2DraftIssue(input: { projectId: $p, title: " " }) { projectItem { id } } }`, { p: p.id }));
      assert.equal((blank.errors?.[0] as { type?: string }).type, 'UNPROCESSABLE');
    });

    it('lists an archived item with isArchived, refuses to edit it, and edits it again once restored', async () => {
      const p = await project();
      const item = p.items.nodes[0]!;
      const done = p.field.options.find((o) => o.name === 'Done')!;
      const vars = { p: p.id, i: item.id, f: p.field.id, o: done.id };
      await h.gql()(`mutation($p: ID!, $i: ID!) { archiveProjectV2Item(input: { projectId: $p, itemId: $i }) { item { id } } }`, vars);
      const listed = await h.gql()<{ node: { items: { nodes: { id: string; isArchived: boolean }[] } } }>(`query($p: ID!) { node(id: $p) { ... on ProjectV2 { items(first: 100) { nodes { id isArchived } } } } }`, vars);
      assert.equal(listed.node.items.nodes.find((n) => n.id === item.id)?.isArchived, true);
      const set = `mutation($p: ID!, $i: ID!, $f: ID!, $o: String!) { updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $f, value: { singleSelectOptionId: $o } }) { projectV2Item { id } } }`;
      const refusedEdit = await gqlRefused(h.gql()(set, vars));
      assert.equal(refusedEdit.errors?.[0]?.message, 'The item is archived and cannot be updated');
      await h.gql()(`mutation($p: ID!, $i: ID!) { unarchiveProjectV2Item(input: { projectId: $p, itemId: $i }) { item { isArchived } } }`, vars);
      await h.gql()(set, vars);
      assert.equal((await project()).items.nodes.find((n) => n.id === item.id)?.fieldValueByName?.name, 'Done');
    });

    it('tells listeners about a change, and a refused mutation changes nothing', async () => {
      const p = await project();
      let changes = 0;
      h.state.onDidChange(() => (changes += 1));
      const before = JSON.stringify(h.state.toJSON());
      await gqlRefused(h.gql()(`mutation($p: ID!) { addProjectV2ItemById(input: { projectId: $p, contentId: "I_kwDOnothing" }) { item { id } } }`, { p: p.id }));
      assert.equal(changes, 0);
      assert.equal(JSON.stringify(h.state.toJSON()), before);
      await h.gql()(`mutation($p: ID!) { addProjectV2DraftIssue(input: { projectId: $p, title: "One more" }) { projectItem { id } } }`, { p: p.id });
      assert.equal(changes, 1);
    });
  });
});
