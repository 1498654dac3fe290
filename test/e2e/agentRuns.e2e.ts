import assert from 'node:assert/strict';
import { type AuditInput } from '../../src/core/audit';
import { FileAuditSink } from '../../src/providers/audit';
import { screenshot } from './helpers/screenshots';
import { session } from './helpers/session';
import { expandView, openViewContainer, rowsWhen } from './helpers/workbench';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('Agent Runs view in the browser VS Code', () => {
  it('shows a run as it is written: its steps one by one, then how it ended', async () => {
    const { page, workspace } = session();
    // The agent runtime writes through the same sink; here a second writer on the workspace's trail.
    const sink = new FileAuditSink({ workspaceRoot: workspace, log: quiet });
    const run = (eventType: string, metadata: AuditInput['metadata']) => sink.append({ correlationId: 'e2e-live-run', eventType, service: 'qa', workItemId: 7, metadata });
    try {
      await openViewContainer(page, 'AI DevOps');
      await run('run.started', { action: 'test', summary: 'qa agent on AB#7' });
      await run('run.step', { step: 1, summary: 'Ran the unit tests' });
      await rowsWhen(page, 'Agent Runs', (r) => r.some((t) => /^qa\s*running · 1 step · /.test(t)));
      const pane = await expandView(page, 'Agent Runs');
      await pane.locator('.monaco-list-row', { hasText: /^qa\s*running/ }).first().click();
      await rowsWhen(page, 'Agent Runs', (r) => r.some((t) => /^1\. run\.step\s*Ran the unit tests/.test(t)));
      await run('file.written', { step: 2, path: 'src/auth/reset.test.ts', summary: 'Wrote the missing test' });
      const live = await rowsWhen(page, 'Agent Runs', (r) => r.some((t) => /^2\. file\.written\s*Wrote the missing test/.test(t)));
      await screenshot(page, 'agent run live');
      assert.ok(live.some((t) => /^qa\s*running · 2 steps/.test(t)), live.join(' | '));
      await run('run.completed', { summary: 'qa run finished' });
      const done = await rowsWhen(page, 'Agent Runs', (r) => r.some((t) => /^qa\s*succeeded · 2 steps/.test(t)));
      await screenshot(page, 'agent run finished');
      assert.ok(done.some((t) => /^1\. run\.step/.test(t)) && done.some((t) => /^2\. file\.written/.test(t)), 'the expanded run keeps its step log');
    } finally {
      await sink.close();
    }
  });
});
