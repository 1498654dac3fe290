import { type AuditSink } from '../../../core/audit/sink';
import { type AzureDevOpsEndpoint } from '../../../core/backend';
import { type Outbox } from '../../../core/boards/outbox';
import { type WriteHome } from '../../../core/boards/writeTarget';
import { type Logger } from '../../../core/host';
import { AzureConnection, type CredentialSource } from './azureConnection';
import { AzureBoardsTracker } from './azureBoardsTracker';

export { AzureBoardsTracker } from './azureBoardsTracker';
export { AzureConnection } from './azureConnection';
export { SIGN_IN_AGAIN } from './azureErrors';

export interface CreateAzureBoardsTrackerOptions {
  readonly endpoint: AzureDevOpsEndpoint;
  /** The Host's getCredential for 'azureDevOps'; called again with forceRefresh once when the service refuses it. */
  readonly credential: CredentialSource;
  readonly log: Logger;
  /** Host.storageDir: the cache lives in `<storageDir>/azure-boards/`. */
  readonly storageDir: string;
  /** How long a cached list counts as fresh (aiDevops.workItems.cacheTtlSeconds). */
  readonly cacheTtlSeconds: number;
  readonly outbox: Outbox;
  readonly audit?: AuditSink;
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number;
  /** Per-request time-out in ms (default 30,000). */
  readonly timeoutMs?: number;
  /** Retries of a read after a transient failure (default 3), and the first retry delay in ms (default 500). */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  /** Repository branches are linked in (default: the one named like the project, else the first). */
  readonly repository?: string;
  /** The connection as the outbox records it; the sandbox's is `sandbox` whatever its port (the TrackerSet says). */
  readonly home?: WriteHome;
  /** Which cache files it uses; the sandbox's names no port (the TrackerSet says), else from the endpoint. */
  readonly cacheKey?: string;
  /** The clock for the cache's time-to-live and the lists' periodic check (tests move it). */
  readonly now?: () => Date;
}

/** The Azure Boards WorkTracker, connected to the outbox (its changes are sent, and replayed, through it). Call `dispose()` when the endpoint changes. */
export function createAzureBoardsTracker(options: CreateAzureBoardsTrackerOptions): AzureBoardsTracker {
  const connection = new AzureConnection({
    endpoint: options.endpoint,
    credential: options.credential,
    log: options.log,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.retries !== undefined ? { retries: options.retries } : {}),
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
  });
  const tracker = new AzureBoardsTracker({
    connection,
    log: options.log,
    storageDir: options.storageDir,
    cacheTtlSeconds: options.cacheTtlSeconds,
    outbox: options.outbox,
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.repository !== undefined ? { repository: options.repository } : {}),
    ...(options.home !== undefined ? { home: options.home } : {}),
    ...(options.cacheKey !== undefined ? { cacheKey: options.cacheKey } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  tracker.connectOutbox();
  return tracker;
}
