/**
 * What paging a large Project (v2) through the GitHub stand-in's GraphQL costs. Run:
 * `npx tsx bench/github/projectItems.bench.ts [items=5000]`.
 *
 * Side by side, interleaved rounds, medians of the time to read every item 100 at a time
 * (items(first: 100, after: cursor) until hasNextPage is false) with @octokit/graphql:
 *   standIn             the stand-in: auth, rate limit, parse (cached) and validate against GitHub's
 *                       schema, pagination checks, resolvers
 *   baseline:plainHttp  a plain node http server answering the same pages as prebuilt JSON strings
 *                       (HTTP, JSON and client cost only: the floor)
 */
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { graphql } from '@octokit/graphql';
import { createGitHubMount, GITHUB_SERVICE, GitHubState, githubSchema } from '../../src/sandbox/github';
import { SandboxServer } from '../../src/sandbox/http/server';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/identity';

const now = new Date('2026-03-18T10:00:00Z');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const QUERY = `query($cursor: String) { organization(login: "contoso") { projectV2(number: 1) { items(first: 100, after: $cursor) {
  pageInfo { hasNextPage endCursor }
  nodes { id type status: fieldValueByName(name: "Status") { ... on ProjectV2ItemFieldSingleSelectValue { name optionId } }
    content { __typename ... on DraftIssue { title } ... on Issue { number title issueState: state } ... on PullRequest { number title prState: state } } } } } } }`;

interface Page {
  organization: { projectV2: { items: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: unknown[] } } };
}

async function readAll(client: typeof graphql): Promise<number> {
  let cursor: string | null = null;
  let count = 0;
  for (;;) {
    const page: Page = await client<Page>(QUERY, { cursor });
    const items = page.organization.projectV2.items;
    count += items.nodes.length;
    if (!items.pageInfo.hasNextPage) return count;
    cursor = items.pageInfo.endCursor;
  }
}

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 5_000);
  const state = GitHubState.demo(now, { clock: () => now });
  const project = state.doc.projects[0]!;
  const status = project.fields.find((f) => f.name === 'Status')!;
  for (let i = project.items.length; i < size; i++) {
    project.items.push({ id: state.nextId(), contentType: 'DRAFT_ISSUE', repoId: null, number: null, draft: { id: state.nextId(), title: `Draft ${i}`, body: '', assignees: [], creator: 'sandbox-user' }, values: { [String(status.id)]: { optionId: status.options[i % 4]!.id } }, archived: false, creator: 'sandbox-user', createdAt: now.toISOString(), updatedAt: now.toISOString() });
  }
  // A budget that does not run out across the rounds.
  state.limits.windows.graphql.limit = 1_000_000;
  const t0 = performance.now();
  githubSchema();
  const schemaMs = performance.now() - t0;

  const server = new SandboxServer();
  server.mount(createGitHubMount(state));
  await server.start();
  const standIn = graphql.defaults({ baseUrl: server.urlOf(GITHUB_SERVICE), headers: { authorization: `token ${SANDBOX_CREDENTIALS.githubToken}` } });

  // The baseline answers exactly the stand-in's pages, recorded once, keyed by cursor.
  const pages = new Map<string, string>();
  const recorder = graphql.defaults({
    baseUrl: server.urlOf(GITHUB_SERVICE),
    headers: { authorization: `token ${SANDBOX_CREDENTIALS.githubToken}` },
    request: {
      fetch: async (url: string, init: RequestInit) => {
        const res = await fetch(url, init);
        const text = await res.text();
        const cursor = (JSON.parse(String(init.body)) as { variables: { cursor: string | null } }).variables.cursor ?? '';
        pages.set(cursor, text);
        return new Response(text, { status: res.status, headers: res.headers });
      },
    },
  });
  const recorded = await readAll(recorder);
  if (recorded !== size) throw new Error(`read ${recorded} items, expected ${size}`);
  const plain = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const cursor = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: { cursor: string | null } }).variables.cursor ?? '';
      const body = pages.get(cursor) ?? '{}';
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const baseline = graphql.defaults({ baseUrl: `http://127.0.0.1:${(plain.address() as AddressInfo).port}`, headers: { authorization: 'token x' } });

  const candidates: Record<string, () => Promise<number>> = { standIn: () => readAll(standIn), 'baseline:plainHttp': () => readAll(baseline) };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (const run of Object.values(candidates)) await run(); // warm-up
  for (let round = 0; round < 7; round++) {
    for (const [name, run] of Object.entries(candidates)) {
      const start = performance.now();
      await run();
      times[name]!.push(performance.now() - start);
    }
  }
  const pagesPerRead = Math.ceil(size / 100);
  console.log(`GitHub schema build (first GraphQL request in a process): ${schemaMs.toFixed(0)} ms`);
  console.log(`${size} project items, ${pagesPerRead} pages of 100, median of 7 rounds (node ${process.version}):`);
  for (const [name, xs] of Object.entries(times)) {
    const m = median(xs);
    console.log(`  ${name.padEnd(20)} ${m.toFixed(0).padStart(6)} ms total  ${(m / pagesPerRead).toFixed(1).padStart(6)} ms/page`);
  }
  plain.close();
  await server.stop();
}

void main();
