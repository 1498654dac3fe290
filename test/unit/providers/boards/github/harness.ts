import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CredentialRefresh, type Credential } from '../../../../../src/core/host';
import { createFileOutbox, type FileOutbox } from '../../../../../src/providers/boards/outbox/fileOutbox';
import { createGitHubTrackers, type GitHubTrackers, type GitHubTrackersOptions } from '../../../../../src/providers/boards/github';
import { SANDBOX_CREDENTIALS, SANDBOX_GITHUB } from '../../../../../src/sandbox/identity';
import { startGitHub, type GitHubHarness } from '../../../sandbox/github/harness';
import { FakeLogger } from '../../../fakes/fakeLogger';

export interface TrackerHarness {
  readonly gh: GitHubHarness;
  readonly outbox: FileOutbox;
  readonly log: FakeLogger;
  readonly storageDir: string;
  /** Credential requests the trackers made, in order. */
  readonly credentialRequests: (CredentialRefresh | undefined)[];
  trackers: GitHubTrackers;
  /** A second set of trackers on the same storage (a restarted window). */
  open(over?: Partial<GitHubTrackersOptions>): GitHubTrackers;
  /** Tokens handed out in turn; the last one repeats. */
  tokens: string[];
  stop(): Promise<void>;
}

/** Tests wait for nothing: no write spacing, millisecond back-off. */
export const FAST = { retries: 1, retryBaseMs: 5, writeSpacingMs: 0, notifySpacingMs: 0, maxRateLimitWaitSeconds: 1 } as const;

export async function startTrackers(over: Partial<GitHubTrackersOptions> = {}): Promise<TrackerHarness> {
  const gh = await startGitHub();
  const storageDir = await mkdtemp(path.join(tmpdir(), 'gh-tracker-'));
  const log = new FakeLogger();
  const outbox = await createFileOutbox({ storageDir: path.join(storageDir, 'outbox'), log, baseDelayMs: 1, now: gh.clock.now });
  const credentialRequests: (CredentialRefresh | undefined)[] = [];
  const harness: TrackerHarness = {
    gh,
    outbox,
    log,
    storageDir,
    credentialRequests,
    tokens: [SANDBOX_CREDENTIALS.githubToken],
    trackers: undefined as unknown as GitHubTrackers, // set just below
    open: (more = {}) =>
      createGitHubTrackers({
        endpoint: { baseUrl: gh.baseUrl, owner: SANDBOX_GITHUB.owner, repo: SANDBOX_GITHUB.repo, projectNumber: SANDBOX_GITHUB.projectNumber },
        credential: async (request): Promise<Credential | undefined> => {
          credentialRequests.push(request);
          const value = harness.tokens.length > 1 ? harness.tokens.shift()! : harness.tokens[0];
          return value === undefined ? undefined : { kind: 'pat', value, source: 'secretStorage' };
        },
        log,
        storageDir: path.join(storageDir, 'cache'),
        cacheTtlSeconds: 300,
        outbox,
        // The stand-in builds GitHub's GraphQL schema on its first query (seconds).
        timeoutMs: 20_000,
        tuning: FAST,
        // The stand-in's clock, so "since" look-ups and the tracker agree on the time.
        now: gh.clock.now,
        ...over,
        ...more,
      }),
    stop: async () => {
      await harness.trackers.dispose();
      outbox.dispose();
      await gh.stop();
      await rm(storageDir, { recursive: true, force: true });
    },
  };
  harness.trackers = harness.open();
  return harness;
}
