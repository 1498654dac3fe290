import { randomUUID } from 'node:crypto';
import { type ServiceMount } from '../http/types';
import { authenticate } from './http/auth';
import { AZURE_DEVOPS_PREFIX } from './http/context';
import { errorBodyForStatus } from './http/errors';
import { notServedRoutes } from './http/notServed';
import { type AdoRouteDef, buildRoutes } from './http/routes';
import { approvalRoutes } from './routes/approvals';
import { coreRoutes } from './routes/core';
import { gitPullRequestRoutes } from './routes/gitPullRequests';
import { gitRepoRoutes } from './routes/gitRepos';
import { locationRoutes } from './routes/location';
import { pipelineRoutes } from './routes/pipelines';
import { policyRoutes } from './routes/policy';
import { testRoutes } from './routes/test';
import { wikiRoutes } from './routes/wiki';
import { witHistoryRoutes } from './routes/witHistory';
import { witMetaRoutes } from './routes/witMeta';
import { witQueryRoutes } from './routes/witQuery';
import { witWorkItemRoutes } from './routes/witWorkItems';
import { workRoutes } from './routes/work';
import { type AzureDevOpsState } from './state/state';

export const AZURE_DEVOPS_SERVICE = 'azureDevOps';

/** Every route the stand-in serves, by area (names are what fault injection and the request log use). */
export const AZURE_DEVOPS_ROUTES: readonly AdoRouteDef[] = [
  ...locationRoutes,
  ...coreRoutes,
  ...witWorkItemRoutes,
  ...witQueryRoutes,
  ...witHistoryRoutes,
  ...witMetaRoutes,
  ...workRoutes,
  ...gitRepoRoutes,
  ...gitPullRequestRoutes,
  ...policyRoutes,
  ...wikiRoutes,
  ...pipelineRoutes,
  ...approvalRoutes,
  ...testRoutes,
];

/** The headers Azure DevOps sends with a throttled request (see "Rate limits" in its docs). */
export function rateLimitHeaders(retryAfterSeconds: number): Record<string, string> {
  return {
    'x-ratelimit-resource': 'ATCPU',
    'x-ratelimit-delay': retryAfterSeconds.toFixed(3),
    'x-ratelimit-limit': '200',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + retryAfterSeconds),
  };
}

/**
 * The Azure DevOps stand-in as a SandboxServer mount: clients use `<server>/ado/sandbox-org` as
 * their organization URL with azure-devops-node-api's PAT or bearer handler.
 */
export function createAzureDevOpsMount(state: AzureDevOpsState): ServiceMount {
  return {
    name: AZURE_DEVOPS_SERVICE,
    prefix: AZURE_DEVOPS_PREFIX,
    routes: [...buildRoutes(AZURE_DEVOPS_ROUTES, state), ...notServedRoutes()],
    authenticate,
    errorBody: errorBodyForStatus,
    rateLimitHeaders,
    commonHeaders: (req) => {
      const who = req.principal ? state.identity(req.principal) : undefined;
      return {
        activityid: randomUUID(),
        'x-tfs-session': randomUUID(),
        'x-vss-e2eid': randomUUID(),
        'x-content-type-options': 'nosniff',
        ...(who ? { 'x-vss-userdata': `${who.id}:${who.uniqueName}` } : {}),
      };
    },
  };
}
