/** The Azure DevOps stand-in: a SandboxServer mount speaking the REST protocol azure-devops-node-api uses. */
export { createAzureDevOpsMount, AZURE_DEVOPS_ROUTES, AZURE_DEVOPS_SERVICE, rateLimitHeaders } from './mount';
export { AzureDevOpsState, SANDBOX_TEAMMATES, type Clock, type StateOptions } from './state/state';
export { type StateDocument } from './state/model';
export { WIQL_RESULT_LIMIT } from './wiql/run';
export { MAX_IDS_PER_CALL } from './routes/witWorkItems';
export { SANDBOX_RESULT_VARIABLE } from './routes/pipelines';
