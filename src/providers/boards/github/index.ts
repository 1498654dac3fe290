import { type Outbox, type OutboxReplayer } from '../../../core/boards/outbox';
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
  readonly outbox: Pick<Outbox, 'enqueue' | 'registerReplayer'>;
  readonly fetch?: typeof globalThis.fetch;
  /** Per request (retries included); 30 s when omitted. */
  readonly timeoutMs?: number;
  readonly tuning?: GitHubClientTuning;
  readonly now?: () => Date;
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
  /** Unregisters the outbox replayer and saves the cache a write left pending. */
  dispose(): Promise<void>;
}

/**
 * The GitHub trackers for one endpoint, sharing one client (credential, throttling, budget), with
 * one outbox replayer for both: Status changes go to the project tracker, the rest to the issues.
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
  const shared = { storageDir: options.storageDir, cacheTtlSeconds: options.cacheTtlSeconds, outbox: options.outbox, log: options.log, ...(options.now ? { now: options.now } : {}) };
  const issues = new GitHubIssueTracker(client, shared);
  const projects = new GitHubProjectTracker(client, shared);
  const replayer: OutboxReplayer = {
    tracker: 'github',
    replay: (entry, signal) => (entry.kind === 'setStatus' ? projects.replay(entry, signal) : issues.replay(entry, signal)),
  };
  const registration = options.outbox.registerReplayer(replayer);
  return {
    issues,
    projects,
    budget: (resource) => client.budget(resource),
    client,
    get requests() {
      return client.requests;
    },
    dispose: async () => {
      registration.dispose();
      await issues.flush();
    },
  };
}
