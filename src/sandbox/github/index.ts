/** The GitHub stand-in: a SandboxServer mount speaking GitHub's REST API and its GraphQL API (Projects v2). */
export { createGitHubMount, GITHUB_ROUTES, GITHUB_SERVICE, rateLimitHeaders } from './mount';
export { GitHubState, SANDBOX_GITHUB_USERS, type Clock, type StateOptions } from './state/state';
export { type StateDocument } from './state/model';
export { DEMO_STATUS_OPTIONS } from './state/demo';
export { RateLimits, type RateResource } from './state/rateLimits';
export { MAX_PAGE_SIZE } from './graphql/connection';
export { MAX_NODES } from './graphql/limits';
export { setGitHubSchemaPath, githubSchema } from './graphql/schema';
export { GITHUB_PREFIX } from './http/context';
export { SANDBOX_RESULT_INPUT } from './routes/actions';
export { RUN_QUEUED_MS, RUN_IN_PROGRESS_MS } from './state/runs';
export { MAX_SUB_ISSUES } from './routes/subIssues';
