import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Backend } from '../../../../src/core/backend';
import { type Logger } from '../../../../src/core/host';
import { readSettings } from '../../../../src/core/settings';
import { type WorkItem } from '../../../../src/core/workItem';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { TrackerSet } from '../../../../src/providers/boards/trackerSet';
import { SANDBOX_CREDENTIALS } from '../../../../src/sandbox/identity';
import { type GitHubState } from '../../../../src/sandbox/github';
import { startGitHub, type GitHubHarness } from '../../sandbox/github/harness';

const none = (): void => undefined;
const log: Logger = { trace: none, debug: none, info: none, warn: none, error: none };

/** Two more repositories on the stand-in, copies of the demo one: the user's private one and someone else's public one. */
function addRepositories(state: GitHubState): void {
  const demo = state.repo('contoso', 'contoso-web')!;
  for (const [owner, name] of [
    ['acme', 'private-a'],
    ['attacker', 'public-b'],
  ] as const) {
    const copy = structuredClone(demo);
    Object.assign(copy, { id: state.nextId(), owner, name, issues: copy.issues.map((i) => ({ ...i, id: state.nextId(), comments: [], parent: null, subIssues: [] })) });
    state.doc.repos.push(copy);
    state.doc.users.push({ id: state.nextId(), login: owner, name: owner, email: null, type: 'Organization', createdAt: state.nowIso() });
  }
}

/**
 * A VS Code window as the composition root builds it (src/host/activateFeatures.ts): live settings naming a
 * repository (as a workspace's .vscode/settings.json can), the TrackerSet, and the machine's one
 * outbox file, with the set's connections given to the outbox.
 */
async function openWindow(gh: GitHubHarness, storageDir: string, owner: string, repo: string): Promise<{ trackers: TrackerSet; outbox: FileOutbox; close(): void }> {
  const settings = readSettings((key) => ({ backend: 'live', 'github.owner': owner, 'github.repo': repo })[key]).settings;
  // The client talks to the stand-in; everything else is as for github.com.
  const backend: Backend = {
    endpoints: async () => ({ kind: 'live', azureDevOps: undefined, github: { baseUrl: gh.baseUrl, owner, repo, projectNumber: null }, models: undefined }),
    onDidChange: () => ({ dispose: none }),
  };
  const outbox = await FileOutbox.open({ storageDir, log, baseDelayMs: 1, maxDelayMs: 5, autoReplay: false });
  const trackers = new TrackerSet({
    backend,
    settings: () => settings,
    log,
    storageDir,
    getCredential: async () => ({ kind: 'pat', value: SANDBOX_CREDENTIALS.githubToken, source: 'secretStorage' }),
    outbox: async () => outbox,
    tuning: { github: { timeoutMs: 5_000, tuning: { retries: 0, retryBaseMs: 5, writeSpacingMs: 0, notifySpacingMs: 0, maxRateLimitWaitSeconds: 1 } } },
  });
  const connections = trackers.writeConnections().map((c) => outbox.connect(c));
  return {
    trackers,
    outbox,
    close: () => {
      connections.forEach((c) => c.dispose());
      trackers.dispose();
      outbox.dispose();
    },
  };
}

describe('Outbox targets: a queued change goes only where it was asked for (issue 10, item 3)', () => {
  let gh: GitHubHarness;
  let storageDir: string;
  const comments = (owner: string, repo: string, n: number) => gh.state.repo(owner, repo)!.issues.find((i) => i.number === n)!.comments;

  beforeEach(async () => {
    gh = await startGitHub();
    addRepositories(gh.state);
    storageDir = await mkdtemp(path.join(tmpdir(), 'outbox-targets-'));
  });
  afterEach(async () => {
    await gh.stop();
    await rm(storageDir, { recursive: true, force: true });
  });

  it('a comment queued for acme/private-a is never posted to attacker/public-b after another window opens that repository', async () => {
    // Window A works on the private repository; GitHub answers 503 to the comment.
    const a = await openWindow(gh, storageDir, 'acme', 'private-a');
    const github = a.trackers.github()!;
    const four = (await github.get([4])).get(4) as WorkItem;
    gh.server.faults.add({ route: 'issues.createComment', kind: 'status', status: 503 });
    const outcome = await github.addComment(four, 'Internal: the customer is Globex, contract value in the CRM.');
    assert.equal(outcome.kind, 'queued');
    gh.server.faults.clear();
    a.close();

    // The entry on disk names its repository and account.
    const line = JSON.parse((await readFile(path.join(storageDir, 'boards-outbox.jsonl'), 'utf8')).trim()) as { target: unknown };
    assert.deepEqual(line.target, { service: 'github', host: 'github.com', owner: 'acme', repo: 'private-a', account: 'sandbox-user' });

    // Window B opens a cloned repository whose workspace settings point at attacker/public-b.
    const b = await openWindow(gh, storageDir, 'attacker', 'public-b');
    assert.equal(await b.outbox.flush(), 0, 'Send Now sends nothing there');
    assert.equal(comments('attacker', 'public-b', 4).length, 0);
    assert.equal(comments('acme', 'private-a', 4).length, 0);
    assert.equal(gh.server.requests.filter((r) => r.path.includes('/attacker/')).length, 0, 'not even a read of the attacker\'s repository for it');
    const [listed] = b.outbox.pending();
    assert.equal(listed?.where, 'GitHub acme/private-a (as sandbox-user)');
    assert.match(listed?.elsewhere ?? '', /goes to GitHub acme\/private-a \(as sandbox-user\) only, and this window is connected to GitHub attacker\/public-b/);
    // B's own writes still go to B's repository, and do not carry A's change along.
    const bFour = (await b.trackers.github()!.get([4])).get(4) as WorkItem;
    assert.equal((await b.trackers.github()!.addComment(bFour, 'Public note.')).kind, 'applied');
    assert.deepEqual(comments('attacker', 'public-b', 4).map((c) => c.body.split('\n')[0]), ['Public note.']);
    assert.equal(await b.outbox.flush(), 0);
    b.close();

    // Back in a window on acme/private-a: sent there, once.
    const again = await openWindow(gh, storageDir, 'acme', 'private-a');
    assert.equal(await again.outbox.flush(), 1, 'sent without any view having opened the tracker first');
    assert.equal(comments('acme', 'private-a', 4).length, 1);
    assert.match(comments('acme', 'private-a', 4)[0]!.body, /^Internal: the customer is Globex/);
    assert.deepEqual(comments('attacker', 'public-b', 4).map((c) => c.body.split('\n')[0]), ['Public note.']);
    again.close();
  });
});
