import assert from 'node:assert/strict';
import { isDevOpsError } from '../../../../src/core/errors';
import { type Credential } from '../../../../src/core/host';
import { GitHubClient } from '../../../../src/providers/boards/github/githubClient';
import { labelBlockedSince } from '../../../../src/providers/planning/githubBlockedSince';
import { type IssueEventRecord } from '../../../../src/sandbox/github/state/model';
import { SANDBOX_GITHUB } from '../../../../src/sandbox/identity';
import { Sandbox } from '../../../../src/sandbox/sandbox';
import { FakeLogger } from '../../fakes/fakeLogger';

const isBlocked = (name: string): boolean => /^(status:\s*)?blocked$/i.test(name);
const DAY = 86_400_000;

describe('labelBlockedSince: issue events read through the real Octokit from the GitHub stand-in', () => {
  let sandbox: Sandbox;
  before(async () => {
    sandbox = await Sandbox.start({ stateDir: undefined, log: new FakeLogger() });
  });
  after(() => sandbox.stop());
  afterEach(() => sandbox.server.faults.clear());

  const client = (fetch?: typeof globalThis.fetch): GitHubClient => {
    const credential: Credential = { kind: 'bearer', value: sandbox.credentials.githubToken, source: 'sandbox' };
    return new GitHubClient({
      endpoint: sandbox.endpoints().github!,
      credential: async () => credential,
      log: new FakeLogger(),
      timeoutMs: 10_000,
      tuning: { retries: 0, writeSpacingMs: 0, notifySpacingMs: 0 },
      ...(fetch ? { fetch } : {}),
    });
  };
  const repo = () => sandbox.github.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo)!;
  const at = (daysAgo: number): string => new Date(Date.UTC(2026, 10, 30) - daysAgo * DAY).toISOString();

  it('follows every page (150 events), and an issue that cannot be read (404) is left out while the others are counted', async () => {
    const [a, b] = repo().issues.filter((i) => !i.pull);
    const events: IssueEventRecord[] = [];
    // 74 times blocked and cleared, then blocked for good 3 days ago: the date is on the second page.
    for (let k = 0; k < 74; k++) {
      events.push({ id: 900_000 + 2 * k, event: 'labeled', label: 'blocked', color: 'b60205', actor: 'sandbox-user', createdAt: at(200 - 2 * k) });
      events.push({ id: 900_001 + 2 * k, event: 'unlabeled', label: 'blocked', color: 'b60205', actor: 'sandbox-user', createdAt: at(199 - 2 * k) });
    }
    events.push({ id: 901_000, event: 'labeled', label: 'Blocked', color: 'b60205', actor: 'sandbox-user', createdAt: at(3) });
    events.push({ id: 901_001, event: 'labeled', label: 'bug', color: 'd73a4a', actor: 'sandbox-user', createdAt: at(2) });
    a!.events = events;
    b!.events = [{ id: 902_000, event: 'labeled', label: 'status: blocked', color: 'b60205', actor: 'sandbox-user', createdAt: at(12) }];
    const gh = client();
    const found = await labelBlockedSince(gh, [a!.number, 99_999, b!.number], isBlocked);
    assert.deepEqual([...found], [
      [a!.number, at(3)],
      [b!.number, at(12)],
    ]);
    // Two pages for a, one for b, one 404.
    assert.equal(gh.requests, 4);
  });

  it('a 503 on the events leaves the issues undated instead of failing', async () => {
    const [a] = repo().issues.filter((i) => !i.pull);
    a!.events = [{ id: 903_000, event: 'labeled', label: 'blocked', color: 'b60205', actor: 'sandbox-user', createdAt: at(5) }];
    sandbox.server.faults.add({ route: 'issues.listEvents', kind: 'status', status: 503 });
    assert.deepEqual([...(await labelBlockedSince(client(), [a!.number], isBlocked))], []);
  });

  it('reads at most 4 issues at once', async () => {
    const numbers = repo().issues.filter((i) => !i.pull).slice(0, 10).map((i) => i.number);
    let running = 0;
    let most = 0;
    const counting: typeof globalThis.fetch = async (input, init) => {
      running++;
      most = Math.max(most, running);
      try {
        await new Promise((r) => setTimeout(r, 20));
        return await globalThis.fetch(input, init);
      } finally {
        running--;
      }
    };
    await labelBlockedSince(client(counting), numbers, isBlocked);
    assert.ok(numbers.length >= 8, 'enough issues to queue');
    assert.equal(most, 4);
  });

  it('cancelled: throws cancelled and sends nothing more', async () => {
    const gh = client();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(labelBlockedSince(gh, repo().issues.map((i) => i.number), isBlocked, controller.signal), (e: unknown) => isDevOpsError(e) && e.code === 'cancelled');
    assert.equal(gh.requests, 0);
  });

  it('cancelled while reading: throws cancelled, the issues not yet started are not read', async () => {
    const controller = new AbortController();
    let sent = 0;
    const aborting: typeof globalThis.fetch = async (input, init) => {
      sent++;
      controller.abort();
      return globalThis.fetch(input, init);
    };
    const numbers = repo().issues.filter((i) => !i.pull).slice(0, 10).map((i) => i.number);
    await assert.rejects(labelBlockedSince(client(aborting), numbers, isBlocked, controller.signal), (e: unknown) => isDevOpsError(e) && e.code === 'cancelled');
    assert.ok(sent <= 4, `${sent} requests sent`);
  });
});
