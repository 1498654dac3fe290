import assert from 'node:assert/strict';
import { githubSchema } from '../../../../src/sandbox/github';
import { checkResponse, printWithTypenames, withTypenames } from './graphqlResponseCheck';
import { startGitHub, type GitHubHarness } from './harness';

/*
 * GraphQL contract: real queries (the ones a Projects client sends, and more) run against the
 * stand-in, and each answer is checked against GitHub's schema field by field (graphqlResponseCheck).
 */
const CONTENT = `number title url repository { nameWithOwner } assignees(first: 10) { nodes { login } } labels(first: 20) { nodes { name color } }`;
const ITEM = `
  id type isArchived createdAt updatedAt databaseId
  status: fieldValueByName(name: "Status") { ... on ProjectV2ItemFieldSingleSelectValue { name optionId color field { ... on ProjectV2SingleSelectField { id name } } } }
  fieldValues(first: 20) {
    totalCount
    nodes {
      ... on ProjectV2ItemFieldTextValue { text field { ... on ProjectV2FieldCommon { name } } }
      ... on ProjectV2ItemFieldNumberValue { number }
      ... on ProjectV2ItemFieldDateValue { date }
      ... on ProjectV2ItemFieldSingleSelectValue { name optionId }
      ... on ProjectV2ItemFieldUserValue { users(first: 10) { nodes { login } } }
      ... on ProjectV2ItemFieldLabelValue { labels(first: 10) { nodes { name } } }
      ... on ProjectV2ItemFieldRepositoryValue { repository { nameWithOwner } }
    }
  }
  content {
    ... on Issue { ${CONTENT} id issueState: state stateReason closed createdAt updatedAt closedAt author { login } parent { number } subIssues(first: 10) { totalCount nodes { number } } }
    ... on PullRequest { ${CONTENT} id prState: state isDraft merged mergedAt headRefName baseRefName }
    ... on DraftIssue { id title body creator { login } assignees(first: 10) { nodes { login } } }
  }`;

interface Case {
  readonly name: string;
  readonly query: string | ((h: GitHubHarness) => Promise<string>);
  readonly variables?: Record<string, unknown> | ((h: GitHubHarness) => Promise<Record<string, unknown>>);
}

const ids = async (h: GitHubHarness) => {
  const r = await h.gql()<{ organization: { projectV2: { id: string; field: { id: string; options: { id: string }[] }; items: { nodes: { id: string }[] } } }; repository: { issue: { id: string } } }>(
    `{ organization(login: "contoso") { projectV2(number: 1) { id field(name: "Status") { ... on ProjectV2SingleSelectField { id options { id } } } items(first: 1) { nodes { id } } } } repository(owner: "contoso", name: "contoso-web") { issue(number: 14) { id } } }`,
  );
  const p = r.organization.projectV2;
  return { projectId: p.id, fieldId: p.field.id, optionId: p.field.options[1]!.id, itemId: p.items.nodes[0]!.id, issueId: r.repository.issue.id };
};

const CASES: readonly Case[] = [
  { name: 'viewer', query: '{ viewer { id login name databaseId email avatarUrl url createdAt isViewer } rateLimit { cost limit remaining used resetAt nodeCount } }' },
  { name: 'organization projects list', query: 'query($login: String!) { owner: organization(login: $login) { login projectsV2(first: 100) { totalCount nodes { id number title url closed public shortDescription createdAt updatedAt owner { ... on Organization { login } } creator { login } } pageInfo { hasNextPage endCursor hasPreviousPage startCursor } } } }', variables: { login: 'contoso' } },
  {
    name: 'project board page with fields',
    query: `query($login: String!, $number: Int!, $cursor: String, $withFields: Boolean!) { owner: organization(login: $login) { projectV2(number: $number) { id number title url closed resourcePath viewerCanUpdate
      status: field(name: "Status") @include(if: $withFields) { ... on ProjectV2SingleSelectField { id name dataType options { id name color description } } }
      fields(first: 20) { totalCount nodes { ... on ProjectV2FieldCommon { id name dataType createdAt } ... on ProjectV2SingleSelectField { options { id name } } } }
      items(first: 100, after: $cursor) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${ITEM} } } } } } }`,
    variables: { login: 'contoso', number: 1, withFields: true },
  },
  { name: 'item by node id', query: `query($id: ID!) { node(id: $id) { id ... on ProjectV2Item { ${ITEM} } } }`, variables: async (h) => ({ id: (await ids(h)).itemId }) },
  { name: 'repository issue, pull request and labels', query: `{ repository(owner: "contoso", name: "contoso-web") { id name nameWithOwner isPrivate visibility url owner { login } defaultBranchRef { name }
      issue(number: 4) { ${CONTENT} id issueState: state projectItems(first: 5) { nodes { id project { number } } } comments(first: 5) { totalCount nodes { id body author { login } createdAt } } }
      pullRequest(number: 17) { ${CONTENT} prState: state merged mergedAt headRefOid }
      issues(first: 5, states: [OPEN]) { totalCount nodes { number } }
      pullRequests(first: 5, states: [MERGED]) { nodes { number } }
      labels(first: 20) { nodes { id name color description isDefault } }
      assignableUsers(first: 10) { nodes { login } }
      projectsV2(first: 5) { nodes { number } } } }` },
  { name: 'nodes by id', query: 'query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Issue { number } ... on ProjectV2 { title } } }', variables: async (h) => { const i = await ids(h); return { ids: [i.issueId, i.projectId, 'PVT_kwDOnothing'] }; } },
  { name: 'addProjectV2ItemById', query: 'mutation($p: ID!, $c: ID!) { addProjectV2ItemById(input: { projectId: $p, contentId: $c, clientMutationId: "m1" }) { clientMutationId item { id type content { ... on Issue { number } } } } }', variables: async (h) => { const i = await ids(h); return { p: i.projectId, c: i.issueId }; } },
  { name: 'updateProjectV2ItemFieldValue', query: `mutation($p: ID!, $i: ID!, $f: ID!, $o: String!) { updateProjectV2ItemFieldValue(input: { projectId: $p, itemId: $i, fieldId: $f, value: { singleSelectOptionId: $o } }) { projectV2Item { ${ITEM} } } }`, variables: async (h) => { const i = await ids(h); return { p: i.projectId, i: i.itemId, f: i.fieldId, o: i.optionId }; } },
  { name: 'addProjectV2DraftIssue', query: `mutation($p: ID!) { addProjectV2DraftIssue(input: { projectId: $p, title: "Contract draft", body: "b" }) { projectItem { ${ITEM} } } }`, variables: async (h) => ({ p: (await ids(h)).projectId }) },
  { name: 'archiveProjectV2Item', query: 'mutation($p: ID!, $i: ID!) { archiveProjectV2Item(input: { projectId: $p, itemId: $i }) { item { id isArchived } } }', variables: async (h) => { const i = await ids(h); return { p: i.projectId, i: i.itemId }; } },
  { name: 'deleteProjectV2Item', query: 'mutation($p: ID!, $i: ID!) { deleteProjectV2Item(input: { projectId: $p, itemId: $i }) { deletedItemId clientMutationId } }', variables: async (h) => { const i = await ids(h); return { p: i.projectId, i: i.itemId }; } },
];

describe('GitHub stand-in: GraphQL answers checked against GitHub’s schema', function () {
  this.timeout(60_000);
  let h: GitHubHarness;
  before(async () => {
    githubSchema();
    h = await startGitHub();
  });
  after(() => h.stop());

  it('the checker finds a wrong answer (so a pass means something)', () => {
    const doc = withTypenames('{ viewer { login createdAt } organization(login: "x") { projectV2(number: 1) { closed items(first: 1) { nodes { type } } } } }');
    const good = { viewer: { __typename: 'User', login: 'a', createdAt: '2026-01-01T00:00:00Z' }, organization: { __typename: 'Organization', projectV2: { __typename: 'ProjectV2', closed: false, items: { __typename: 'ProjectV2ItemConnection', nodes: [{ __typename: 'ProjectV2Item', type: 'ISSUE' }] } } } };
    assert.deepEqual(checkResponse(githubSchema(), doc, good), []);
    const bad = structuredClone(good) as typeof good & { viewer: { createdAt: unknown } };
    bad.viewer.createdAt = 'yesterday';
    bad.organization.projectV2.items.nodes[0]!.type = 'EPIC';
    (bad.organization.projectV2 as { closed?: boolean }).closed = undefined;
    bad.organization.projectV2.__typename = 'Issue';
    assert.equal(checkResponse(githubSchema(), doc, bad).length, 2, 'a bad DateTime and a wrong type name (fields below it are not checked)');
    const nulls = structuredClone(good);
    (nulls.organization.projectV2 as { closed: boolean | null }).closed = null;
    nulls.organization.projectV2.items.nodes[0]!.type = 'EPIC';
    assert.deepEqual(checkResponse(githubSchema(), doc, nulls), ['query.organization.projectV2.closed: null for non-null Boolean!', 'query.organization.projectV2.items.nodes[0].type: "EPIC" is not a ProjectV2ItemType']);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const query = typeof c.query === 'function' ? await c.query(h) : c.query;
      const variables = typeof c.variables === 'function' ? await c.variables(h) : (c.variables ?? {});
      const data = await h.gql()<Record<string, unknown>>(printWithTypenames(query), variables).catch((e: { errors?: unknown; data?: unknown }) => {
        // nodes(ids) with an unknown id answers null for it and no error; anything else is a failure.
        throw new Error(`${c.name}: ${JSON.stringify(e.errors ?? e)}`);
      });
      assert.deepEqual(checkResponse(githubSchema(), withTypenames(query), data), []);
    });
  }
});
