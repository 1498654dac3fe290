import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { FileAuditSink, listAuditFiles } from '../../../src/providers/audit';
import { type VerifyCommandResult } from '../../../src/views/audit/auditCommands';
import { activated } from '../helpers/extension';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
type Verified = Exclude<VerifyCommandResult, undefined | { cancelled: true }>;
const verify = async (args?: { full: boolean }): Promise<Verified> => {
  const r = await vscode.commands.executeCommand<VerifyCommandResult>('aiDevops.audit.verify', args);
  assert.ok(r && !('cancelled' in r), `verify returned ${JSON.stringify(r)}`);
  return r;
};

describe('audit trail in the extension host', () => {
  const root = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  // Another writer on the workspace's trail, as a second window would be.
  let sink: FileAuditSink;
  before(async () => {
    await activated();
    sink = new FileAuditSink({ workspaceRoot: root(), log: quiet });
  });
  after(() => sink.close());

  const append = async (n: number, correlationId: string) => {
    for (let i = 0; i < n; i++) await sink.append({ correlationId, eventType: i ? 'run.step' : 'run.started', service: 'qa', metadata: { step: i } });
    await sink.flush();
  };

  it('verifies every event, then only the events written since, and every event again when asked', async () => {
    await append(5, 'it-verify-1');
    const full = await verify({ full: true });
    assert.equal(full.mode, 'full');
    assert.ok(full.result.ok && full.result.count >= 5, JSON.stringify(full));
    await append(3, 'it-verify-2');
    const next = await verify();
    assert.deepEqual([next.mode, next.checked, next.result.ok], ['incremental', 3, true]);
    assert.ok(next.result.ok && full.result.ok && next.result.count === full.result.count + 3);
    const again = await verify({ full: true });
    assert.ok(again.mode === 'full' && again.result.ok && again.checked === next.result.count);
  });

  it('names the first damaged line, and verifies every event until it is fixed', async () => {
    await append(2, 'it-verify-3');
    const files = await listAuditFiles(sink.directory!);
    const file = files[files.length - 1]!;
    const text = await fs.readFile(file, 'utf8');
    try {
      await fs.writeFile(file, text.replace('"it-verify-3"', '"it-verify-X"'));
      const damaged = await verify({ full: true });
      assert.ok(!damaged.result.ok && damaged.result.kind === 'edited' && damaged.result.file === file, JSON.stringify(damaged));
      const next = await verify();
      assert.equal(next.mode, 'full');
      assert.ok(!next.result.ok);
    } finally {
      await fs.writeFile(file, text);
    }
    assert.ok((await verify()).result.ok);
  });

  it('refreshes and pages the Audit Trail and Agent Runs views', async () => {
    await vscode.commands.executeCommand('aiDevops.audit.refresh');
    await vscode.commands.executeCommand('aiDevops.agentRuns.refresh');
    await vscode.commands.executeCommand('aiDevops.audit.showMore');
    await vscode.commands.executeCommand('aiDevops.agentRuns.showMore');
    await vscode.commands.executeCommand('aiDevops.audit.focus');
    await vscode.commands.executeCommand('aiDevops.agentRuns.focus');
  });
});
