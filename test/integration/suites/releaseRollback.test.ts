import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { FileAuditSink } from '../../../src/providers/audit';
import { type AgentRunner } from '../../../src/views/agents/agentRunner';
import { collectRollback } from '../../../src/views/agents/releaseCommands';
import { activated } from '../helpers/extension';
import { allowReleaseSteps, askRelease, assertTrustedPaletteCommand, quiet, releaseRunner, runEvents, WindowPickers } from '../helpers/releaseRunner';

/**
 * Roll Back Release… and `@devops /release rollback` in the extension host, on a repository the
 * test builds with a local bare remote: the command's picks answered by the test, the plan (revert
 * of the release's own commits, the commit, the push) made by the editor's agent runner, applied
 * under an approval setting that allows the release agent's commands and pushes here (the review
 * list needs a person; restored afterwards), and audited with the reason.
 */
const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('aiDevops');
const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'user.name=Rollback Test', '-c', 'user.email=rollback@example.com', ...args], { cwd, encoding: 'utf8' });

describe('Roll Back Release… and @devops /release rollback in the extension host', function () {
  this.timeout(90_000);
  let restoreApprovals: () => Promise<void>;
  let repo: string;
  let bare: string;
  let sink: FileAuditSink;
  let runner: AgentRunner;
  let pickers: WindowPickers;

  before(async () => {
    await activated();
    restoreApprovals = await allowReleaseSteps({ runCommand: 'allow', pushPublish: 'allow' });
    repo = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'rollback-it-')));
    bare = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'rollback-it-remote-')));
    git(bare, 'init', '-q', '--bare', '-b', 'main');
    git(repo, 'init', '-q', '-b', 'main');
    // The agent's own `git commit` runs without the -c options above.
    git(repo, 'config', 'user.name', 'Rollback Test');
    git(repo, 'config', 'user.email', 'rollback@example.com');
    await fs.writeFile(path.join(repo, 'cart.txt'), 'cart v1\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'feat: cart');
    git(repo, 'tag', '-a', 'v1.0.0', '-m', 'v1.0.0');
    await fs.writeFile(path.join(repo, 'cart.txt'), 'cart v2: remembers items\n');
    git(repo, 'commit', '-q', '-am', 'feat: remember the cart');
    git(repo, 'tag', '-a', 'v1.1.0', '-m', 'v1.1.0');
    // The same releases under another prefix, for aiDevops.release.tagPrefix.
    git(repo, 'tag', 'web-1.0.0', 'v1.0.0^{}');
    git(repo, 'tag', 'web-1.1.0', 'v1.1.0^{}');
    git(repo, 'remote', 'add', 'origin', bare);
    git(repo, 'push', '-q', 'origin', 'main', 'v1.0.0', 'v1.1.0');
    sink = new FileAuditSink({ workspaceRoot: repo, log: quiet });
    runner = releaseRunner(repo, sink);
  });
  beforeEach(() => {
    pickers = new WindowPickers();
  });
  afterEach(() => pickers.restore());
  after(async () => {
    await restoreApprovals();
    runner.dispose();
    await sink.close();
    await fs.rm(repo, { recursive: true, force: true });
    await fs.rm(bare, { recursive: true, force: true });
  });

  it('is contributed for the palette with its title and icon, in trusted folders only, and registered by the extension', async () => {
    await assertTrustedPaletteCommand('aiDevops.agents.releaseRollback', 'Roll Back Release…', '$(history)');
  });

  it('@devops /release rollback by revert says what it understood and previews the revert, commit and push without changing anything', async () => {
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    const { text, buttons } = await askRelease(repo, runner, sink, 'rollback by revert because the cart loses items');
    assert.match(text, /\*\*What I understood:\*\* roll back the latest release to the release before it · by reverting its commits · reason: the cart loses items/);
    assert.match(text, /Roll back v1\.1\.0 to v1\.0\.0/);
    assert.match(text, /git revert --no-commit [0-9a-f]{40}/);
    assert.deepEqual(buttons.map((b) => [b.command, b.title]), [['aiDevops.agents.applyPlan', 'Review and Apply…']]);
    assert.equal(git(repo, 'rev-parse', 'HEAD').trim(), head, 'the preview changes nothing');
  });

  it('Roll Back Release… offers the tags with aiDevops.release.tagPrefix (web-), and the plan rolls those back', async () => {
    const saved = config().inspect('release.tagPrefix')?.globalValue;
    await config().update('release.tagPrefix', 'web-', vscode.ConfigurationTarget.Global);
    try {
      const answers = ['', '', 'the cart loses items'];
      pickers.answerPicks((list, step) => (step === 1 ? list[0] : list.find((i) => /Revert/.test(i.label)))).answerInputs((_o, step) => answers[step - 1]);
      const input = await collectRollback([], runner);
      assert.deepEqual(pickers.shown[0]!.map((i) => [i.label, i.description]), [['web-1.1.0', 'back to web-1.0.0 (the latest release)']]);
      assert.deepEqual(input, { from: 'web-1.1.0', to: 'web-1.0.0', tagPrefix: 'web-', method: 'revert', reason: 'the cart loses items' });
      const result = await runner.run('release', 'rollback', input, { mode: 'plan', notify: false });
      assert.equal(result.outcome, 'succeeded', result.error);
      assert.equal(result.plan?.title, 'Roll back web-1.1.0 to web-1.0.0');
    } finally {
      await config().update('release.tagPrefix', saved, vscode.ConfigurationTarget.Global);
    }
  });

  it('Roll Back Release… picks the release, the method and the reason; the revert is committed, pushed and audited with the reason', async () => {
    const answers = ['', '', 'the cart loses items'];
    pickers.answerPicks((list, step) => (step === 1 ? list[0] : list.find((i) => /Revert/.test(i.label)))).answerInputs((_o, step) => answers[step - 1]);
    const input = await collectRollback([], runner);
    assert.deepEqual(pickers.shown[0]!.map((i) => [i.label, i.description]), [['v1.1.0', 'back to v1.0.0 (the latest release)']]);
    assert.equal(pickers.inputs[2]?.validateInput?.(''), 'Say why it is rolled back');
    assert.deepEqual(input, { from: 'v1.1.0', to: 'v1.0.0', method: 'revert', reason: 'the cart loses items' });
    const result = await runner.run('release', 'rollback', input, { notify: false });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.equal(await fs.readFile(path.join(repo, 'cart.txt'), 'utf8'), 'cart v1\n');
    assert.match(git(repo, 'log', '-1', '--format=%B'), /^revert: roll back v1\.1\.0 to v1\.0\.0\n\nReason: the cart loses items/);
    assert.equal(git(bare, 'rev-parse', 'main').trim(), git(repo, 'rev-parse', 'HEAD').trim(), 'the revert was pushed');
    const events = await runEvents(repo, result.runId);
    assert.ok(events.some((e) => e.eventType === 'run.step' && /Rolling back v1\.1\.0 to v1\.0\.0 \(revert\)/.test(JSON.stringify(e))), JSON.stringify(events.map((e) => e.eventType)));
    assert.ok(events.some((e) => e.eventType === 'remote.applied' && e.metadata['kind'] === 'git.push'));
  });
});
