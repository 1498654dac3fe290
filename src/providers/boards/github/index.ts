import { type Outbox, type WriteKind } from '../../../core/boards/outbox';
import { pullRequestWriteKind } from '../pullRequestWrites';
import { GitHubPullRequests } from './githubPullRequests';
import { githubHome, type WriteHome } from '../../../core/boards/writeTarget';
import { type GitHubEndpoint } from '../../../core/backend';
import { type Logger } from '../../../core/host';
import { type CredentialSource, GitHubClient, type GitHubClientTuning, type RateBudget } from './githubClient';
import { GitHubIssueTracker } from './githubIssueTracker';
import { GitHubProjectTracker } from './githubProjectTracker';

export { GitHubIssueTracker } from './githubIssueTracker';
export { GitHubProjectTracker } from './githubProjectTracker';
export { GitHubClient, type RateBudget, type GitHubClientTuning, type CredentialSource } from './githubClient';

export interface GitHubTrackersOptions {
  readonly endpoint: GitHubEndpoint;
  /** `(request) => host.getCredential('github', request)`; called again with forceRefresh after a 401. */
  readonly credential: CredentialSource;
  readonly log: Logger;
  /** The extension's storage directory (the cache goes under `github/`). */
  readonly storageDir: string;
  /** aiDevops.cache.ttlSeconds */
  readonly cacheTtlSeconds: number;
  readonly outbox: Pick<Outbox, 'send' | 'connect'>;
  /** The connection as the outbox records it; the sandbox's is `sandbox` whatever its port (the TrackerSet says). */
  readonly home?: WriteHome;
  readonly fetch?: typeof globalThis.fetch;
  /** Per request (retries included); 30 s when omitted. */
  readonly timeoutMs?: number;
  readonly tuning?: GitHubClientTuning;
  readonly now?: () => Date;
  /** Items per chunk file of a Project board's disk cache (1,000; tests use fewer). */
  readonly boardChunkItems?: number;
}

export interface GitHubTrackers {
  /** The repository's issues and pull requests (WorkTracker). */
  readonly issues: GitHubIssueTracker;
  /** The owner's Projects v2 (ProjectTracker); `endpoint.projectNumber` is the one to open first. */
  readonly projects: GitHubProjectTracker;
  /** The last rate-limit headers (the status bar tooltip), by resource (`core`, `graphql`) or the latest. */
  budget(resource?: string): RateBudget | undefined;
  /** HTTP requests sent so far (retries included). */
  readonly requests: number;
  /** The shared client (credential, throttling, budget) for calls beyond issues and projects: releases, workflow runs, environments, the planner's reads. */
  readonly client: GitHubClient;
  /** The adapters of every kind of GitHub write (issues and Project Status), for the outbox. */
  writeKinds(): ReadonlyMap<string, WriteKind>;
  /** Disconnects from the outbox and saves the cache a write left pending. */
  dispose(): Promise<void>;
}

/**
 * The GitHub trackers for one endpoint, sharing one client (credential, throttling, budget),
 * connected to the outbox as one connection: issue writes and Project Status changes alike are
 * sent, and replayed, through it.
 */
export function createGitHubTrackers(options: GitHubTrackersOptions): GitHubTrackers {
  const client = new GitHubClient({
    endpoint: options.endpoint,
    credential: options.credential,
    log: options.log,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
  });
  const home = options.home ?? githubHome(options.endpoint, 'live');
  const shared = { storageDir: options.storageDir, cacheTtlSeconds: options.cacheTtlSeconds, outbox: options.outbox, log: options.log, home, ...(options.now ? { now: options.now } : {}) };
  const issues = new GitHubIssueTracker(client, shared);
  const projects = new GitHubProjectTracker(client, { ...shared, ...(options.boardChunkItems ? { boardChunkItems: options.boardChunkItems } : {}), account: (signal) => issues.account(signal), knownAccount: () => issues.writeConnection.knownAccount() });
  let kinds: ReadonlyMap<string, WriteKind> | undefined;
  const writeKinds = (): ReadonlyMap<string, WriteKind> =>
    (kinds ??= new Map([...issues.writeKinds(), ...projects.writeKinds(), pullRequestWriteKind(new GitHubPullRequests(client)) as WriteKind].map((k) => [k.kind, k])));
  const registration = options.outbox.connect({ ...issues.writeConnection, kinds: async () => writeKinds() });
  return {
    issues,
    projects,
    budget: (resource) => client.budget(resource),
    client,
    writeKinds,
    get requests() {
      return client.requests;
    },
    dispose: async () => {
      registration.dispose();
      await Promise.all([issues.flush(), projects.settled()]);
    },
  };
}
