import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { activated, waitFor } from '../helpers/extension';

/**
 * The Azure Boards and GitHub Projects views and the work item commands in the real extension
 * host, against the sandbox's demo data (demo-workspace selects aiDevops.backend = "sandbox").
 * Commands that normally ask (quick pick, input box) take their answer as an extra argument, and
 * the refresh/filter commands resolve with a summary of what the view shows.
 */
interface Row {
  readonly key: string;
  readonly title: string;
  readonly state: string;
  readonly assignedTo?: string;
}
interface ViewSummary {
  readonly state: string;
  readonly items: number;
  readonly topLevel: readonly string[];
  readonly rows: readonly Row[];
  readonly error?: string;
}

const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);
const ref = (id: number) => ({ reference: { tracker: 'azureBoards', id }, key: `AB#${id}` });
const rowOf = (summary: ViewSummary, key: string): Row | undefined => summary.rows.find((r) => r.key === key);
const folder = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const config = () => vscode.workspace.getConfiguration('aiDevops');

/** Runs `fn` while the sandbox injects `faults` (its workspace setting), and clears them after. */
async function withFaults<T>(faults: readonly Record<string, unknown>[], fn: () => Thenable<T> | Promise<T>): Promise<T> {
  await config().update('sandbox.faults', faults, vscode.ConfigurationTarget.Workspace);
  try {
    return await fn();
  } finally {
    await config().update('sandbox.faults', undefined, vscode.ConfigurationTarget.Workspace);
  }
}

async function loadedBoards(filter = 'allOpen'): Promise<ViewSummary> {
  return waitFor(
    'the Azure Boards view to load the sandbox items',
    async () => {
      const s = await run<ViewSummary>('aiDevops.boards.filter', filter);
      return s.state === 'loaded' && s.items > 0 ? s : undefined;
    },
    30_000,
  );
}

describe('Azure Boards view (sandbox)', function () {
  this.timeout(60_000);
  before(async () => {
    await activated();
    await run('aiDevops.boards.focus');
  });

  it('shows the open demo items as a hierarchy under the two epics', async () => {
    await run('aiDevops.boards.groupBy', 'hierarchy');
    const s = await loadedBoards('allOpen');
    assert.ok(s.items >= 10 && s.items < 24, `open items: ${s.items}`);
    assert.ok(s.topLevel.some((l) => /Customer self-service portal/.test(l)), s.topLevel.join(' | '));
    assert.ok(s.topLevel.some((l) => /Platform reliability/.test(l)), s.topLevel.join(' | '));
    assert.ok(s.rows.every((r) => !['Closed', 'Removed'].includes(r.state)), 'no closed items under "All open"');
    assert.equal(rowOf(s, 'AB#7')?.title, 'Email the reset link');
  });

  it('groups by state and by iteration, and remembers the choice', async () => {
    const byState = await run<ViewSummary>('aiDevops.boards.groupBy', 'state');
    assert.ok(byState.topLevel.length >= 2, byState.topLevel.join(' | '));
    assert.ok(byState.topLevel.includes('New') && byState.topLevel.includes('Active'), byState.topLevel.join(' | '));
    assert.ok(byState.topLevel.indexOf('New') < byState.topLevel.indexOf('Active'));
    const byIteration = await run<ViewSummary>('aiDevops.boards.groupBy', 'iteration');
    assert.ok(byIteration.topLevel.includes('Sprint 2'), byIteration.topLevel.join(' | '));
    const again = await run<ViewSummary & { groupBy: string }>('aiDevops.boards.refresh');
    assert.equal(again.groupBy, 'iteration');
    await run('aiDevops.boards.groupBy', 'hierarchy');
  });

  it('filters to the current iteration and to my items', async () => {
    const all = await loadedBoards('allOpen');
    const sprint = await run<ViewSummary>('aiDevops.boards.filter', 'currentIteration');
    assert.equal(sprint.state, 'loaded');
    assert.ok(sprint.items > 0 && sprint.items < 24, `current iteration: ${sprint.items}`);
    const mine = await run<ViewSummary>('aiDevops.boards.filter', 'assignedToMe');
    assert.ok(mine.items > 0 && mine.items < all.items, `mine ${mine.items} of ${all.items}`);
    assert.ok(mine.rows.every((r) => /Sandbox User/i.test(r.assignedTo ?? '')), JSON.stringify(mine.rows));
    await run('aiDevops.boards.filter', 'allOpen');
  });

  it('copies the id and the link of an item named by a TODO lens argument', async () => {
    assert.equal(await run<string>('aiDevops.workItem.copyId', ref(7)), 'AB#7');
    assert.equal(await vscode.env.clipboard.readText(), 'AB#7');
    const link = await run<string>('aiDevops.workItem.copyLink', ref(7));
    assert.match(link, /_workitems\/edit\/7$/);
    assert.equal(await vscode.env.clipboard.readText(), link);
  });

  it('changes the state of an item to one its process allows, and refuses one it does not', async () => {
    assert.equal(await run<string>('aiDevops.workItem.changeState', ref(8), 'Active'), 'applied');
    const s = await run<ViewSummary>('aiDevops.boards.refresh');
    assert.equal(rowOf(s, 'AB#8')?.state, 'Active');
    // Not a state of an Agile Task: refused before anything is sent (the error is shown, the command resolves undefined).
    assert.equal(await run('aiDevops.workItem.changeState', ref(8), 'Resolved'), undefined);
    assert.equal(rowOf(await run<ViewSummary>('aiDevops.boards.refresh'), 'AB#8')?.state, 'Active');
  });

  it('assigns to me and adds a comment', async () => {
    assert.equal(await run<string>('aiDevops.workItem.assignToMe', ref(20)), 'applied');
    const mine = await run<ViewSummary>('aiDevops.boards.filter', 'assignedToMe');
    assert.ok(rowOf(mine, 'AB#20'), `AB#20 among my items: ${mine.rows.map((r) => r.key).join(', ')}`);
    await run('aiDevops.boards.filter', 'allOpen');
    assert.equal(await run<string>('aiDevops.workItem.addComment', ref(20), 'Picked up from the integration test.'), 'applied');
  });

  it('creates a work item and a child under it, checking the hierarchy', async () => {
    assert.equal(await run<string>('aiDevops.boards.createWorkItem', 'Epic', 'Integration test epic'), 'applied');
    const s = await run<ViewSummary>('aiDevops.boards.refresh');
    const epic = s.rows.find((r) => r.title === 'Integration test epic');
    assert.ok(epic, 'the new epic is in the view');
    const id = Number(epic.key.slice(3));
    // An Epic takes Features, not Tasks.
    assert.equal(await run('aiDevops.workItem.createChild', ref(id), 'Task', 'Not allowed here'), undefined);
    assert.equal(await run<string>('aiDevops.workItem.createChild', ref(id), 'Feature', 'Integration test feature'), 'applied');
    const after = await run<ViewSummary>('aiDevops.boards.refresh');
    assert.ok(after.rows.some((r) => r.title === 'Integration test feature'));
    assert.ok(!after.rows.some((r) => r.title === 'Not allowed here'));
  });

  it('marks an item done', async () => {
    assert.equal(await run<string>('aiDevops.workItem.markDone', ref(23)), 'applied');
    const all = await run<ViewSummary>('aiDevops.boards.refresh');
    assert.equal(rowOf(all, 'AB#23'), undefined, 'a closed item leaves "All open"');
  });

  it('shows a failed refresh as an error row, keeping the cached items, and recovers', async () => {
    await loadedBoards('allOpen');
    await config().update('sandbox.faults', [{ route: 'wit.wiql', kind: 'status', status: 503, times: 100 }], vscode.ConfigurationTarget.Workspace);
    try {
      const failed = await waitFor(
        'a refresh that fails',
        async () => {
          const s = await run<ViewSummary>('aiDevops.boards.refresh');
          return s.error ? s : undefined;
        },
        40_000,
      );
      assert.equal(failed.state, 'loaded', 'cached items stay');
      assert.ok(failed.items > 0);
      assert.ok(failed.topLevel.some((l) => /Refresh failed/.test(l)), failed.topLevel.join(' | '));
      assert.ok(failed.topLevel.includes('Retry'), failed.topLevel.join(' | '));
    } finally {
      await config().update('sandbox.faults', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const ok = await waitFor('a refresh that works again', async () => {
      const s = await run<ViewSummary>('aiDevops.boards.refresh');
      return s.error ? undefined : s;
    }, 40_000);
    assert.ok(ok.items > 0);
  });

  it('queues a change while the service is down and sends it when it is back', async () => {
    await loadedBoards('allOpen');
    const outcome = await withFaults([{ route: 'wit.workItems.update', kind: 'status', status: 503, times: 1000 }], () => run<string>('aiDevops.workItem.changeState', ref(9), 'Active'));
    assert.equal(outcome, 'queued');
    await waitFor(
      'the queued change to reach the service',
      async () => {
        await run('aiDevops.outbox.retry');
        const s = await run<ViewSummary>('aiDevops.boards.refresh');
        return rowOf(s, 'AB#9')?.state === 'Active';
      },
      40_000,
    );
  });

  it('says so when the service refuses a change, and queues nothing', async () => {
    await loadedBoards('allOpen');
    const outcome = await withFaults([{ route: 'wit.workItems.update', kind: 'status', status: 400, times: 1 }], () => run<string>('aiDevops.workItem.changeState', ref(9), 'Closed'));
    assert.equal(outcome, 'refused');
    assert.equal(await run<number>('aiDevops.outbox.show'), 0, 'nothing waits');
  });

  it('tells at once of a queued change the service then refuses, with its choices, and sends it again when asked', async () => {
    // The notification is answered by replacing window.showErrorMessage: the extension and this test share one `vscode` API object.
    const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
    const original = window.showErrorMessage;
    const shown: { message: string; items: unknown[] }[] = [];
    window.showErrorMessage = ((message: string, ...items: unknown[]) => {
      shown.push({ message, items });
      return Promise.resolve(message.includes('AB#9') ? 'Send Again' : undefined);
    }) as typeof vscode.window.showErrorMessage;
    try {
      await loadedBoards('allOpen');
      const outcome = await withFaults([{ route: 'wit.workItems.update', kind: 'status', status: 503, times: 1000 }], () => run<string>('aiDevops.workItem.changeState', ref(9), 'Closed'));
      assert.equal(outcome, 'queued');
      // The service is back but refuses the change once (a rule): the replay is told so, and the user at once.
      await withFaults([{ route: 'wit.workItems.update', kind: 'status', status: 400, times: 1 }], () => run('aiDevops.outbox.retry'));
      const told = await waitFor('the refusal to be shown', async () => shown.find((s) => /AB#9: State → Closed — .* refused it/.test(s.message)), 20_000);
      assert.deepEqual(told.items.slice(0, 2), ['Send Again', 'Discard']);
      await waitFor(
        'the change sent again',
        async () => {
          const s = await run<ViewSummary>('aiDevops.boards.refresh');
          return rowOf(s, 'AB#9') === undefined ? s : undefined;
        },
        40_000,
      );
      assert.equal(await run<number>('aiDevops.outbox.show'), 0, 'nothing waits');
    } finally {
      window.showErrorMessage = original;
    }
  });
});

describe('Start work and commit references (sandbox)', function () {
  this.timeout(60_000);
  let madeRepository = false;
  before(async () => {
    await activated();
    const root = folder();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 't@example.com' } });
    try {
      git('rev-parse', '--verify', 'HEAD');
    } catch {
      git('init', '-q', '-b', 'main');
      madeRepository = true;
      git('add', '-A');
      git('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Demo workspace');
    }
  });

  // Later suites expect the demo copy as it was: not a repository.
  after(async () => {
    if (!madeRepository) return;
    await run('git.close').then(undefined, () => undefined);
    // The git extension may still have a command running on the repository it just closed; removing
    // .git under it makes that command fail with EPIPE in this extension host. Let it finish first.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    rmSync(path.join(folder(), '.git'), { recursive: true, force: true });
  });

  it('starts work: branch task-<id>-<slug> from main, item In Progress, branch linked', async () => {
    const result = await run<{ branch: string; from: string; created: boolean; state: string; link: string }>('aiDevops.workItem.startWork', ref(14));
    assert.ok(result, 'start work returned a result');
    assert.equal(result.branch, 'task-14-download-an-invoice-as-pdf');
    assert.equal(result.from, 'main');
    assert.equal(result.created, true);
    assert.equal(result.state, 'applied');
    assert.equal(result.link, 'applied');
    const head = execFileSync('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: folder(), encoding: 'utf8' }).trim();
    assert.equal(head, 'task-14-download-an-invoice-as-pdf');
    const s = await run<ViewSummary>('aiDevops.boards.refresh');
    assert.equal(rowOf(s, 'AB#14')?.state, 'Active');
  });

  it('puts AB#<id> into the Source Control commit message once', async () => {
    await run('git.openRepository', folder());
    const first = await waitFor('the git extension to pick up the repository', async () => (await run<string | undefined>('aiDevops.workItem.insertInCommitMessage', ref(7))) ?? undefined, 20_000);
    assert.match(first, /AB#7/);
    const second = await run<string>('aiDevops.workItem.insertInCommitMessage', ref(7));
    assert.equal(second, first, 'the reference is not added twice');
  });
});

describe('GitHub Projects view (sandbox)', function () {
  this.timeout(60_000);
  before(activated);

  it('shows project 1 grouped by Status in the option order, "No Status" last', async () => {
    await run('aiDevops.githubProjects.focus');
    const s = await waitFor(
      'the project board',
      async () => {
        const r = await run<ViewSummary>('aiDevops.githubProjects.selectProject', 1);
        return r?.state === 'loaded' ? r : undefined;
      },
      30_000,
    );
    assert.ok(s.items > 0, JSON.stringify(s));
    assert.match(s.topLevel[s.topLevel.length - 1]!, /^No Status \(\d+\)$/);
    assert.ok(s.topLevel.length >= 2, s.topLevel.join(' | '));
    const refreshed = await run<ViewSummary>('aiDevops.githubProjects.refresh');
    assert.deepEqual(refreshed.topLevel.map((l) => l.replace(/ \(\d+\)$/, '')), s.topLevel.map((l) => l.replace(/ \(\d+\)$/, '')));
  });

  it('copies an issue reference named by a lens argument', async () => {
    const s = await run<ViewSummary>('aiDevops.githubProjects.refresh');
    const issue = s.rows.find((r) => /#\d+$/.test(r.key));
    assert.ok(issue, 'the board has an issue');
    const [repo, n] = issue.key.split('#') as [string, string];
    const [owner, name] = repo.split('/') as [string, string];
    const copied = await run<string>('aiDevops.workItem.copyId', { reference: { tracker: 'github', id: Number(n), owner, repo: name }, key: issue.key });
    assert.equal(copied, issue.key);
  });
});
