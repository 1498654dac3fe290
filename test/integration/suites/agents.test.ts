import assert from 'node:assert/strict';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { type AgentRun, type AuditEvent } from '../../../src/core/audit';
import { type RunResult } from '../../../src/agents/runtime/runAgent';
import { FindingsDiagnostics } from '../../../src/views/agents/findingsDiagnostics';
import { WorkspaceEditApplier } from '../../../src/views/agents/workspaceEditApplier';
import { activated, waitFor } from '../helpers/extension';

/**
 * The agent runtime's editor face in the real extension host: the scaffold agent from the
 * palette command writing a project as one WorkspaceEdit, the run in the audit trail, Re-run,
 * findings in the Problems panel, and an agent edit undone with Edit > Undo. The approval
 * setting is set to Allow for the scaffold agent's file writes here (the review list needs a
 * person; the browser end-to-end test clicks through it) and restored afterwards.
 */
const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);
const root = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

async function auditEvents(): Promise<AuditEvent[]> {
  const dir = path.join(root(), '.devops', 'audit');
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.jsonl')).sort();
  const lines = (await Promise.all(files.map((f) => fs.readFile(path.join(dir, f), 'utf8')))).flatMap((t) => t.split('\n').filter(Boolean));
  return lines.map((l) => JSON.parse(l) as AuditEvent);
}

describe('agents in the extension host', () => {
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('aiDevops');
  let previous: unknown;

  before(async () => {
    await activated();
    previous = config().inspect('agents.approval')?.globalValue;
    await config().update('agents.approval', { agents: { scaffold: { writeFiles: 'allow' } } }, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('agents.approval', previous, vscode.ConfigurationTarget.Global);
    await fs.rm(path.join(root(), 'generated'), { recursive: true, force: true });
  });

  it('AI DevOps: Scaffold Project… writes the project, audits the run, and Re-run plans nothing new', async () => {
    const result = await vscode.commands.executeCommand<RunResult>('aiDevops.agents.scaffold', { template: 'flask', database: 'sqlite', folder: 'generated/orders-api' });
    assert.equal(result?.outcome, 'succeeded', result?.error);
    assert.ok(existsSync(path.join(root(), 'generated/orders-api/app/__init__.py')));
    assert.match(readFileSync(path.join(root(), 'generated/orders-api/Dockerfile'), 'utf8'), /HEALTHCHECK/);
    const events = await waitFor('the run in the audit trail', async () => {
      const all = (await auditEvents()).filter((e) => e.correlationId === result.runId);
      return all.some((e) => e.eventType === 'run.completed') ? all : undefined;
    });
    assert.deepEqual([...new Set(events.map((e) => e.eventType))], ['run.started', 'run.step', 'run.planned', 'run.approved', 'file.written', 'run.completed']);
    const run: Pick<AgentRun, 'agent' | 'correlationId' | 'events'> = { agent: 'scaffold', correlationId: result.runId, events };
    const again = await vscode.commands.executeCommand<RunResult>('aiDevops.agentRuns.rerun', { kind: 'run', run });
    assert.equal(again?.outcome, 'succeeded');
    assert.deepEqual(again?.plan?.edits, [], 'every file is already as the template writes it');
    const rerunStart = (await auditEvents()).find((e) => e.correlationId === again.runId && e.eventType === 'run.started');
    assert.equal(rerunStart?.metadata.rerunOf, result.runId);
  });

  it('a scaffold linked to a work item writes its wiki page in the Azure DevOps sandbox through the extension\'s own connection (no git here: no branch or pull request, the notes say so)', async () => {
    await config().update('agents.approval', { agents: { scaffold: { writeFiles: 'allow', pushPublish: 'allow', trackerWrite: 'allow', runCommand: 'allow' } } }, vscode.ConfigurationTarget.Global);
    try {
      const result = await vscode.commands.executeCommand<RunResult>('aiDevops.agents.scaffold', { template: 'flask', database: 'sqlite', folder: 'generated/linked-api', workItem: 'AB#1' });
      assert.equal(result?.outcome, 'succeeded', result?.error);
      assert.deepEqual(result.plan?.remote.map((r) => r.kind), ['wiki.page']);
      assert.ok(result.plan?.notes.some((n) => /not a git repository/.test(n)));
      const page = result.applied?.remote.find((r) => r.kind === 'wiki.page');
      assert.equal(page?.outcome, 'applied', page?.detail);
      assert.match(page?.url ?? '', /pagePath=%2FAI%20DevOps%2FScaffold%2FAB-1/);
    } finally {
      await config().update('agents.approval', { agents: { scaffold: { writeFiles: 'allow' } } }, vscode.ConfigurationTarget.Global);
    }
  });

  it('Hand to an Agent… on a tree item offers the scaffold first (it fits a User Story), asks the scaffold\'s questions, and runs it linked to the item', async () => {
    await config().update('agents.approval', { agents: { scaffold: { writeFiles: 'allow', pushPublish: 'allow', trackerWrite: 'allow', runCommand: 'allow' } } }, vscode.ConfigurationTarget.Global);
    const window = vscode.window as { showQuickPick: unknown; showInputBox: unknown };
    const original = { pick: window.showQuickPick, input: window.showInputBox };
    const picks: { title: string; labels: string[]; descriptions: string[] }[] = [];
    // The person at the keyboard: the first (fitting) agent, Flask, SQLite, a folder, every part.
    window.showQuickPick = async (items: readonly (vscode.QuickPickItem & { value?: unknown })[], options?: vscode.QuickPickOptions) => {
      const list = await Promise.resolve(items);
      picks.push({ title: options?.title ?? '', labels: list.map((i) => i.label), descriptions: list.map((i) => i.description ?? '') });
      if (options?.canPickMany) return list;
      return /Scaffold Project/.test(options?.title ?? '') && /1\/4/.test(options?.title ?? '') ? list.find((i) => i.value === 'flask') : list[0];
    };
    window.showInputBox = async () => 'generated/handed-api';
    try {
      await run('aiDevops.boards.focus');
      // The node the Azure Boards tree hands its context menu: { kind: 'item', item }.
      const story = await waitFor('AB#6 in the Azure Boards view', async () => {
        const s = await run<{ state: string; rows: readonly { key: string; title: string; state: string }[] }>('aiDevops.boards.filter', 'allOpen');
        return s.state === 'loaded' ? s.rows.find((r) => r.key === 'AB#6') : undefined;
      }, 30_000);
      const node = { kind: 'item', item: { tracker: 'azureBoards', id: 6, type: 'User Story', title: story.title, state: story.state, tags: ['auth', 'email'], url: 'https://example.invalid/6', childIds: [], description: '' } };
      const result = await run<RunResult>('aiDevops.workItem.handToAgent', node);
      assert.equal(result?.outcome, 'succeeded', result?.error);
      assert.equal(picks[0]?.title, 'AI DevOps: Hand AB#6 to an Agent');
      assert.deepEqual(picks[0]?.labels, ['Scaffold agent', 'QA agent', 'Security agent', 'Release agent']);
      assert.equal(picks[0]?.descriptions[0], 'fits: it is a User Story: new work starts with its project');
      assert.match(picks[1]?.title ?? '', /Scaffold Project for AB#6/);
      assert.ok(existsSync(path.join(root(), 'generated/handed-api/app/__init__.py')));
      // Linked to the item: its wiki page; the story is Active already, so nothing moves.
      assert.deepEqual(result.plan?.remote.map((r) => r.kind), ['wiki.page']);
      assert.match(result.applied?.remote[0]?.url ?? '', /AB-6/);
      const started = (await auditEvents()).find((e) => e.correlationId === result.runId && e.eventType === 'run.started');
      assert.equal((started?.metadata.input as { workItem?: string } | undefined)?.workItem, 'AB#6');
    } finally {
      Object.assign(window, { showQuickPick: original.pick, showInputBox: original.input });
      await config().update('agents.approval', { agents: { scaffold: { writeFiles: 'allow' } } }, vscode.ConfigurationTarget.Global);
    }
  });

  it('AI DevOps: Plan Epic… plans the demo Markdown epic and Plan Sprint… the next sprint against its capacity, creating and moving nothing without apply', async () => {
    const epic = await vscode.commands.executeCommand<RunResult>('aiDevops.agents.planEpic', { source: 'docs/checkout-epic.md' });
    assert.equal(epic?.outcome, 'succeeded', epic?.error);
    assert.equal((epic.plan?.result as { items?: unknown[] } | undefined)?.items?.length, 1);
    assert.deepEqual(epic.plan?.remote, []);
    const sprint = await vscode.commands.executeCommand<RunResult>('aiDevops.agents.planSprint', { iteration: 'Sprint 3' });
    assert.equal(sprint?.outcome, 'succeeded', sprint?.error);
    const result = sprint.plan?.result as { iteration: { name: string }; capacity: { hours: number; teamDaysOff: number } | null } | undefined;
    assert.equal(result?.iteration.name, 'Sprint 3');
    assert.ok(result?.capacity && result.capacity.hours > 0, JSON.stringify(result?.capacity));
    assert.deepEqual(sprint.plan?.remote, []);
  });

  it('an agent edit is one undoable change: Undo brings the file back', async () => {
    const file = path.join(root(), 'generated', 'undo-me.txt');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, 'before\n');
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    await new WorkspaceEditApplier().apply([{ path: 'generated/undo-me.txt', action: 'modify', content: 'after\n', absolute: file, original: 'before\n' }], new AbortController().signal);
    assert.equal(readFileSync(file, 'utf8'), 'after\n');
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), 'before\n');
    await document.save();
    assert.equal(readFileSync(file, 'utf8'), 'before\n');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('findings go to the Problems panel with severity, rule id and its link; a new run replaces them', async () => {
    const diagnostics = new FindingsDiagnostics();
    try {
      const uri = vscode.Uri.file(path.join(root(), 'package.json'));
      diagnostics.publish('platform', vscode.Uri.file(root()), [
        { ruleId: 'docker/run-as-root', category: 'hardening', severity: 'high', message: 'The container runs as root.', file: 'package.json', line: 2, fingerprint: 'a', helpUri: 'https://example.org/rules/run-as-root' },
        { ruleId: 'x/suppressed', severity: 'low', message: 'hidden', file: 'package.json', line: 1, fingerprint: 'b', suppressed: { reason: 'accepted' } },
      ]);
      const found = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'AI DevOps platform');
      assert.equal(found.length, 1);
      assert.equal(found[0]!.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(found[0]!.range.start.line, 1);
      assert.deepEqual(found[0]!.code, { value: 'docker/run-as-root', target: vscode.Uri.parse('https://example.org/rules/run-as-root') });
      diagnostics.publish('platform', vscode.Uri.file(root()), []);
      assert.equal(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'AI DevOps platform').length, 0);
    } finally {
      diagnostics.dispose();
    }
  });
});
