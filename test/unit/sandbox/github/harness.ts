import { Octokit } from '@octokit/rest';
import { graphql } from '@octokit/graphql';
import { SandboxServer } from '../../../../src/sandbox/http/server';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { createGitHubMount, GITHUB_SERVICE, GitHubState } from '../../../../src/sandbox/github';

import { DEMO_NOW, ManualClock } from '../manualClock';

export { DEMO_NOW, ManualClock } from '../manualClock';

export interface GitHubHarness {
  readonly server: SandboxServer;
  readonly state: GitHubState;
  readonly clock: ManualClock;
  /** `http://127.0.0.1:PORT/github`: what @octokit/rest and @octokit/graphql take as baseUrl. */
  readonly baseUrl: string;
  /** @octokit/rest with the sandbox token (or another), no retries, 5 s time-out. */
  rest(token?: string): Octokit;
  /** @octokit/graphql with the sandbox token (or another). */
  gql(token?: string): typeof graphql;
  stop(): Promise<void>;
}

export async function startGitHub(state?: GitHubState): Promise<GitHubHarness> {
  const clock = new ManualClock(DEMO_NOW.getTime());
  const s = state ?? GitHubState.demo(DEMO_NOW, { clock: clock.now });
  if (state) state.clock = clock.now;
  const server = new SandboxServer();
  server.mount(createGitHubMount(s));
  await server.start();
  const baseUrl = server.urlOf(GITHUB_SERVICE);
  return {
    server,
    state: s,
    clock,
    baseUrl,
    rest: (token = SANDBOX_CREDENTIALS.githubToken) => new Octokit({ auth: token, baseUrl, request: { retries: 0, signal: AbortSignal.timeout(5_000) }, log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } }),
    gql: (token = SANDBOX_CREDENTIALS.githubToken) => graphql.defaults({ baseUrl, headers: { authorization: `token ${token}` } }),
    stop: () => server.stop(),
  };
}

export const PROJECT_QUERY = `query($owner: String!, $number: Int!, $first: Int, $after: String) {
  organization(login: $owner) {
    projectV2(number: $number) {
      id number title url closed
      field(name: "Status") { ... on ProjectV2SingleSelectField { id name options { id name } } }
      items(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes {
          id type
          fieldValueByName(name: "Status") { ... on ProjectV2ItemFieldSingleSelectValue { name optionId } }
          content {
            __typename
            ... on Issue { id number title state url assignees(first: 10) { nodes { login } } labels(first: 10) { nodes { name } } }
            ... on PullRequest { id number title prState: state isDraft }
            ... on DraftIssue { id title body }
          }
        }
      }
    }
  }
}`;
