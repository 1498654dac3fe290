import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { FileAuditSink } from '../../../src/providers/audit';
import { activated } from '../helpers/extension';
import { askRelease, quiet, releaseRunner } from '../helpers/releaseRunner';

/**
 * The release agent in the real extension host: `@devops /release as minor` through the chat
 * handler with the editor's agent runner on a git repository the test builds (plan mode: nothing
 * written or tagged; the plan shown with its Review and Apply button), and `AI DevOps: Prepare
 * Release…` registered for the palette.
 */
const git = (cwd: string, ...args: string[]): string => execFileSync('git', ['-c', 'user.name=Release Test', '-c', 'user.email=release@example.com', ...args], { cwd, encoding: 'utf8' });

describe('release agent in the extension host', () => {
  let repo: string;

  before(async () => {
    await activated();
    repo = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'release-it-')));
    git(repo, 'init', '-q', '-b', 'main');
    await fs.writeFile(path.join(repo, 'package.json'), '{\n  "name": "shop",\n  "version": "1.4.2"\n}\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'chore: init');
    git(repo, 'tag', '-a', 'v1.4.2', '-m', 'v1.4.2');
    await fs.writeFile(path.join(repo, 'a.txt'), 'a\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'fix: rounding of the cart total');
  });
  after(async () => {
    await fs.rm(repo, { recursive: true, force: true });
  });

  it('@devops /release says what it understood, plans 1.5.0 without writing or tagging, and offers Review and Apply', async () => {
    const sink = new FileAuditSink({ workspaceRoot: repo, log: quiet });
    const runner = releaseRunner(repo, sink);
    try {
      const { text, buttons } = await askRelease(repo, runner, sink, 'as minor, notes nowhere: without publishing');
      assert.match(text, /\*\*What I understood:\*\* version: minor \(instead of the recommendation\) · notes: not published · no deployment/);
      assert.match(text, /1\.4\.2 → 1\.5\.0 \(minor\)/);
      assert.match(text, /CHANGELOG\.md/);
      assert.match(text, /v1\.5\.0/);
      assert.deepEqual(buttons.map((b) => [b.command, b.title]), [['aiDevops.agents.applyPlan', 'Review and Apply…']]);
      assert.equal(git(repo, 'tag', '--list', 'v1.5.0').trim(), '', 'plan mode tags nothing');
      assert.match(await fs.readFile(path.join(repo, 'package.json'), 'utf8'), /"version": "1\.4\.2"/);
      await assert.rejects(fs.stat(path.join(repo, 'CHANGELOG.md')), 'plan mode writes nothing');
    } finally {
      runner.dispose();
      await sink.close();
    }
  });

  it('AI DevOps: Prepare Release… is registered for the palette', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('aiDevops.agents.release'));
  });
});
