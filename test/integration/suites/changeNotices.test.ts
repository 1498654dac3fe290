import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activated, waitFor } from '../helpers/extension';

/**
 * Change notices for a GitHub Project in the real extension host (sandbox): an issue of the board
 * newly assigned to me raises a notification offering the agent that fits it after the GitHub
 * Projects view's refresh; with aiDevops.planning.changeNotices off, the same change raises none.
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
  readonly rows: readonly Row[];
}

const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);
const config = () => vscode.workspace.getConfiguration('aiDevops');
const ME = 'sandbox-user';

describe('GitHub Projects change notices (sandbox)', function () {
  this.timeout(90_000);
  // The extension and the tests share one `vscode` API object: its messages are read (and left unanswered) here.
  const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
  const original = window.showInformationMessage;
  const shown: { message: string; actions: string[] }[] = [];

  before(async () => {
    await activated();
    window.showInformationMessage = ((message: string, ...rest: unknown[]) => {
      shown.push({ message, actions: rest.filter((r): r is string => typeof r === 'string') });
      return Promise.resolve(undefined);
    }) as typeof vscode.window.showInformationMessage;
    await run('aiDevops.githubProjects.focus');
    // The board read before the changes is the baseline.
    await waitFor('the project board', async () => {
      const r = await run<ViewSummary>('aiDevops.githubProjects.selectProject', 1);
      return r?.state === 'loaded' && r.items > 0 ? r : undefined;
    }, 30_000);
    await run<ViewSummary>('aiDevops.githubProjects.refresh');
  });
  after(async () => {
    window.showInformationMessage = original;
    await config().update('planning.changeNotices', undefined, vscode.ConfigurationTarget.Workspace);
  });

  /** Open issues of this repository on the board not assigned to me, by number. */
  async function notMine(): Promise<{ key: string; number: number; title: string }[]> {
    const s = await run<ViewSummary>('aiDevops.githubProjects.refresh');
    return s.rows
      .filter((r) => /^contoso\/contoso-web#\d+$/.test(r.key) && !/done|closed/i.test(r.state) && !(r.assignedTo ?? '').split(', ').includes(ME))
      .map((r) => ({ key: r.key, number: Number(r.key.split('#')[1]), title: r.title }));
  }
  /** Refreshes the view until the board shows the issue assigned to me. */
  const mine = (key: string) =>
    waitFor(`the board to show ${key} assigned to me`, async () => {
      const s = await run<ViewSummary>('aiDevops.githubProjects.refresh');
      return (s.rows.find((r) => r.key === key)?.assignedTo ?? '').split(', ').includes(ME);
    }, 30_000);
  const assign = (number: number) => run<string>('aiDevops.workItem.assignToMe', { reference: { tracker: 'github', id: number, owner: 'contoso', repo: 'contoso-web' }, key: `#${number}` });

  it('an issue newly assigned to me raises one notification naming it, offering Hand to an Agent and Show Details', async () => {
    const [target] = await notMine();
    assert.ok(target, 'the board has an open issue not assigned to me');
    shown.length = 0;
    assert.equal(await assign(target.number), 'applied');
    await mine(target.key);
    const notice = await waitFor('the change notice', () => shown.find((s) => s.message.includes(`${target.key} "${target.title}" was assigned to you.`)), 15_000);
    assert.match(notice.message, /^AI DevOps: /);
    assert.ok(notice.actions.some((a) => a.startsWith('Hand to ')), notice.actions.join(' | '));
    assert.ok(notice.actions.includes('Show Details'), notice.actions.join(' | '));
  });

  it('with aiDevops.planning.changeNotices off, the same change raises nothing', async () => {
    await config().update('planning.changeNotices', false, vscode.ConfigurationTarget.Workspace);
    const [target] = await notMine();
    assert.ok(target, 'the board has another open issue not assigned to me');
    shown.length = 0;
    assert.equal(await assign(target.number), 'applied');
    await mine(target.key);
    // The identity is read already: a notice would follow the refresh at once; give it time to show.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(shown.filter((s) => s.message.includes('was assigned to you') || s.message.includes('is Ready')), []);
  });
});
