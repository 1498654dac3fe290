import assert from 'node:assert/strict';
import { DevOpsError } from '../../../../src/core/errors';
import { answerStatus } from '../../../../src/providers/chat/statusAnswer';
import { chatFixture, type ChatFixture, noModel } from './chatHarness';
import { demoItems, FakeOutbox, FakeWorkTracker } from './fakeWorkTracker';

describe('@devops /status', () => {
  let f: ChatFixture;
  beforeEach(() => {
    f = chatFixture(new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems()));
  });
  afterEach(() => f.dispose());

  it('lists my open items and the current sprint without a model', async () => {
    const { req, output } = f.request('status', '', noModel);
    const answer = await answerStatus(req, f.services);
    assert.match(output.text, /Azure Boards \(sandbox-org\/Contoso Web\)/);
    assert.match(output.text, /Current sprint: Sprint 2\*\* — 3 items \(1 Active, 1 Committed, 1 New\)/);
    assert.match(output.text, /My open work items \(Ana Developer\):\*\* 2/);
    assert.match(output.text, /\[AB#7\]\(https:\/\/dev\.azure\.com\/.*\/7\) Task · \*\*Active\*\* · Email the reset link/);
    assert.doesNotMatch(output.text, /Old spike/, 'a closed item is not open work');
    assert.deepEqual(answer.workItems, ['AB#3', 'AB#7']);
    assert.match(output.text, /Recent agent runs:\*\* none recorded/);
  });

  it('shows pending outbox changes with buttons to send or show them', async () => {
    f.outbox = new FakeOutbox([{ id: 'o1', tracker: 'azureBoards', description: 'Move AB#7 to Resolved', attempts: 2, lastError: 'Azure DevOps answered 503', createdAt: '2026-11-29T10:00:00Z', state: 'pending', where: 'Azure Boards sandbox · Contoso Web', elsewhere: undefined, conflict: [], url: undefined }]);
    const { req, output } = f.request('status', '', noModel);
    await answerStatus(req, f.services);
    assert.match(output.text, /Pending remote changes \(1\)[\s\S]*Move AB#7 to Resolved \(pending, 2 attempts\) — Azure DevOps answered 503/);
    assert.deepEqual(output.buttons.map((b) => b.command), ['aiDevops.outbox.retry', 'aiDevops.outbox.show']);
  });

  it('lists recent agent runs from the audit trail, newest first', async () => {
    await f.audit.sink.append({ correlationId: 'run-1', eventType: 'run.started', service: 'security' });
    await f.audit.sink.append({ correlationId: 'run-1', eventType: 'run.step', service: 'security', metadata: { summary: 'scanned 12 files' } });
    await f.audit.sink.append({ correlationId: 'run-1', eventType: 'run.completed', service: 'security' });
    f.now = new Date('2026-11-29T13:00:00Z');
    await f.audit.sink.append({ correlationId: 'run-2', eventType: 'run.started', service: 'qa', workItemId: 7 });
    await f.audit.sink.append({ correlationId: 'run-2', eventType: 'run.failed', service: 'qa', workItemId: 7 });
    const { req, output } = f.request('status', '', noModel);
    await answerStatus(req, f.services);
    const runs = output.text.slice(output.text.indexOf('Recent agent runs'));
    assert.match(runs, /❌ \*\*qa\*\* failed · 2026-11-29 13:00 UTC · 0 steps · #7\n- ✅ \*\*security\*\* succeeded · 2026-11-29 12:00 UTC · 1 step/);
  });

  it('says how to connect when no tracker is connected', async () => {
    f.azureConnected = false;
    const { req, output } = f.request('status', '', noModel);
    await answerStatus(req, f.services);
    assert.match(output.text, /No work tracker is connected/);
    assert.deepEqual(output.buttons.map((b) => b.command), ['aiDevops.signIn', 'aiDevops.trySandbox']);
  });

  it('shows one tracker when the other fails, and the failure', async () => {
    f.github = new FakeWorkTracker('github', 'ana', []);
    f.github.failNext = new DevOpsError('unauthorized', 'GitHub refused the token (401). Sign in again.');
    const { req, output } = f.request('status', '', noModel);
    await answerStatus(req, f.services);
    assert.match(output.text, /Sprint 2/);
    assert.match(output.text, /A tracker could not be read: GitHub refused the token \(401\)\. Sign in again\./);
  });

  it('stops on cancellation instead of answering half', async () => {
    f.azure.failNext = new DevOpsError('cancelled', 'Cancelled.');
    const { req } = f.request('status', '', noModel);
    await assert.rejects(answerStatus(req, f.services), /Cancelled/);
  });
});
