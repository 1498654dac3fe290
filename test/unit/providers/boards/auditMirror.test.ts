import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type AuditEvent } from '../../../../src/core/audit/event';
import { agentRuns } from '../../../../src/core/audit/runs';
import { type AzureAuditMirror, createAzureAuditMirror } from '../../../../src/providers/boards/azureBoards/auditMirror';
import { SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { type Harness, startHarness } from '../../sandbox/azureDevOps/harness';
import { makeTracker, type TrackerSetup } from './azureBoardsSetup';
import { canaries } from '../../core/redact/canaries';

// A token-shaped canary built at run time, so no token-like literal lands in the repository.
const GITHUB_TOKEN_CANARY = canaries.githubClassic('p');

let seq = 0;
function event(overrides: Partial<AuditEvent>): AuditEvent {
  const base = {
    seq: seq++,
    correlationId: 'run-1',
    eventType: 'run.step',
    service: 'planner',
    workItemId: null,
    repository: null,
    oldState: null,
    newState: null,
    metadata: {},
    timestamp: new Date(Date.UTC(2026, 2, 18, 10, 0, seq)).toISOString(),
    user: 'Sandbox User',
    prev: '0'.repeat(64),
    ...overrides,
  };
  return { ...base, hash: createHash('sha256').update(JSON.stringify(base)).digest('hex') } as AuditEvent;
}

describe('AzureAuditMirror against the Azure DevOps stand-in', () => {
  let h: Harness;
  let dir: string;
  let s: TrackerSetup;
  let mirror: AzureAuditMirror;
  const storyId = 6;

  beforeEach(async () => {
    h = await startHarness();
    dir = mkdtempSync(path.join(tmpdir(), 'audit-mirror-'));
    s = await makeTracker(h, dir);
    mirror = createAzureAuditMirror({ tracker: s.tracker, outbox: s.outbox, log: s.log });
  });
  afterEach(async () => {
    s.tracker.dispose();
    s.outbox.dispose();
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const comments = async (id: number) => (await (await h.api().getWorkItemTrackingApi()).getComments(SANDBOX_PROJECT, id)).comments ?? [];
  const pageText = async (pagePath: string): Promise<string> => {
    const wiki = await h.api().getWikiApi();
    const [w] = await wiki.getAllWikis(SANDBOX_PROJECT);
    let body = '';
    for await (const chunk of await wiki.getPageText(SANDBOX_PROJECT, w?.id ?? '', pagePath)) body += String(chunk);
    return body;
  };

  it('comments on the work item for an agent event, with the event hash as client id, and writes no audit event of its own', async () => {
    const before = (await comments(storyId)).length;
    const e = event({ workItemId: storyId, eventType: 'workItem.stateChanged', service: 'planner', oldState: 'New', newState: 'Active', metadata: { token: GITHUB_TOKEN_CANARY } });
    await mirror.mirrorEvent(e);
    const after = await comments(storyId);
    assert.equal(after.length, before + 1);
    const text = after[0]?.text ?? '';
    assert.match(text, /AI DevOps audit: workItem.stateChanged by planner \(New → Active\)/);
    assert.match(text, new RegExp(`ai-devops:audit-${e.hash}`));
    assert.ok(!text.includes('ghp_'), 'metadata is not copied');
    assert.equal(s.audit.events.length, 0, 'the mirror comment is not audited again');
    await mirror.mirrorEvent(e);
    assert.equal((await comments(storyId)).length, before + 1, 'the same event mirrored again is recognised');
  });

  it('skips events without a work item, the trackers\' own changes and GitHub events', async () => {
    await mirror.mirrorEvent(event({ workItemId: null }));
    await mirror.mirrorEvent(event({ workItemId: storyId, service: 'azureBoards', eventType: 'workItem.commented' }));
    await mirror.mirrorEvent(event({ workItemId: storyId, service: 'github', eventType: 'workItem.stateChanged' }));
    assert.equal(h.server.requestsTo('wit.comments.add').length, 0);
  });

  it('queues a comment the service cannot take (503) and the replay posts it once, even after a lost answer', async () => {
    const before = (await comments(storyId)).length;
    h.server.faults.add({ route: 'wit.comments.add', kind: 'status', status: 503, times: 1 });
    await mirror.mirrorEvent(event({ workItemId: storyId, service: 'qa', eventType: 'run.step' }));
    h.server.faults.add({ route: 'wit.comments.add', kind: 'truncate', times: 1 });
    await mirror.mirrorEvent(event({ workItemId: storyId, service: 'qa', eventType: 'run.completed' }));
    assert.equal(s.outbox.pending().length, 2);
    assert.equal(await s.outbox.flush(), 2);
    assert.equal((await comments(storyId)).length, before + 2, 'one comment per event, none twice');
  });

  const dayPage = (run: { firstAt: string }) => `/AI DevOps/Agent runs/${run.firstAt.slice(0, 10)}`;
  const sectionCount = (text: string, id: string) => text.split(`<!-- ai-devops:section ${id} -->`).length - 1;

  it('a finished run is one comment on each item it touched and one section of its day\'s wiki page; published again, nothing doubles', async () => {
    const otherId = 7;
    const [before6, before7] = [(await comments(storyId)).length, (await comments(otherId)).length];
    const events = [
      event({ correlationId: 'run-42', eventType: 'run.started', service: 'planner' }),
      event({ correlationId: 'run-42', eventType: 'run.step', service: 'planner', workItemId: storyId, metadata: { summary: 'Split | the story' } }),
      event({ correlationId: 'run-42', eventType: 'workItem.stateChanged', service: 'planner', workItemId: storyId, oldState: 'New', newState: 'Active' }),
      event({ correlationId: 'run-42', eventType: 'workItem.commented', service: 'azureBoards', workItemId: otherId }),
      event({ correlationId: 'run-42', eventType: 'workItem.commented', service: 'github', workItemId: 99 }),
      event({ correlationId: 'run-42', eventType: 'run.completed', service: 'planner' }),
    ];
    const [run] = agentRuns(events);
    assert.equal(run?.outcome, 'succeeded');
    await mirror.publishRun(run!);
    const on6 = await comments(storyId);
    assert.equal(on6.length, before6 + 1, 'three events on AB#6, one comment');
    assert.match(on6[0]?.text ?? '', /AI DevOps audit: planner run run-42 succeeded/);
    assert.match(on6[0]?.text ?? '', /run.step: Split \| the story/);
    assert.match(on6[0]?.text ?? '', /workItem.stateChanged \(New → Active\)/);
    assert.match(on6[0]?.text ?? '', /ai-devops:audit-run-run-42-6/);
    assert.equal((await comments(otherId)).length, before7 + 1, 'AB#7 gets its own comment');
    assert.equal(h.server.requestsTo('wit.comments.add').filter((r) => r.status < 300).length, 2, 'no comment for the GitHub issue number');

    const first = await pageText(dayPage(run!));
    assert.match(first, /^# AI DevOps agent runs on \d{4}-\d{2}-\d{2}/);
    assert.match(first, /## \d{2}:\d{2}:\d{2} planner run run-42/);
    assert.match(first, /Outcome: \*\*succeeded\*\*/);
    assert.match(first, /Split \\\| the story/);
    assert.equal(h.server.requestsTo('wiki.pages.put').at(-1)?.status, 201);

    await mirror.publishRun(run!);
    assert.equal((await comments(storyId)).length, before6 + 1, 'the same run published again is recognised');
    assert.equal(sectionCount(await pageText(dayPage(run!)), 'run-42'), 1, 'its section is replaced, not added again');
  });

  it('adds each run of the day to the same page, replaces a run\'s section in place after a 412, and keeps what people wrote on the page', async () => {
    const runA = agentRuns([event({ correlationId: 'run-a', eventType: 'run.started', service: 'qa' }), event({ correlationId: 'run-a', eventType: 'run.completed', service: 'qa' })])[0]!;
    const runB = agentRuns([event({ correlationId: 'run-b', eventType: 'run.started', service: 'security' }), event({ correlationId: 'run-b', eventType: 'run.failed', service: 'security' })])[0]!;
    await mirror.publishRun(runA);
    await mirror.publishRun(runB);
    // Someone adds a note at the end of the day's page in the wiki.
    const page = h.state.doc.wikis.flatMap((w) => w.pages).find((p) => p.path === dayPage(runA)) ?? assert.fail('no day page');
    page.content += '\nChecked by the release manager.\n';
    page.version += 1;

    const [again] = agentRuns([...runA.events, event({ correlationId: 'run-a', eventType: 'run.step', service: 'qa', metadata: { summary: 'Late note' } })]);
    h.server.faults.add({ route: 'wiki.pages.put', kind: 'status', status: 412, times: 1 });
    await mirror.publishRun(again!);
    const after = await pageText(dayPage(runA));
    assert.match(after, /Late note/);
    assert.equal(sectionCount(after, 'run-a'), 1);
    assert.equal(sectionCount(after, 'run-b'), 1);
    assert.match(after, /Outcome: \*\*failed\*\*/);
    assert.match(after, /Checked by the release manager\./);
    assert.ok(after.indexOf('run-a') < after.indexOf('run-b'), 'run-a\'s section stays where it was');
    const puts = h.server.requestsTo('wiki.pages.put');
    assert.equal(puts.at(-1)?.status, 200);
    assert.equal(puts.at(-2)?.status, 412);
  });

  it('two windows adding runs to a new day page at once both keep their run (409, read again, added to what is there)', async () => {
    const other = createAzureAuditMirror({ tracker: s.tracker, outbox: s.outbox, log: s.log });
    const runC = agentRuns([event({ correlationId: 'run-c', eventType: 'run.started', service: 'qa' }), event({ correlationId: 'run-c', eventType: 'run.completed', service: 'qa' })])[0]!;
    const runD = agentRuns([event({ correlationId: 'run-d', eventType: 'run.started', service: 'release' }), event({ correlationId: 'run-d', eventType: 'run.completed', service: 'release' })])[0]!;
    await Promise.all([mirror.publishRun(runC), other.publishRun(runD)]);
    const text = await pageText(dayPage(runC));
    assert.equal(sectionCount(text, 'run-c'), 1);
    assert.equal(sectionCount(text, 'run-d'), 1);
  });

  it('does not publish a run still under way; queues a page when the wiki is down and the outbox writes it', async () => {
    const running = agentRuns([event({ correlationId: 'run-7', eventType: 'run.started', service: 'qa' })]);
    await mirror.publishRun(running[0]!);
    assert.equal(h.server.requestsTo('wiki.pages.put').length, 0);

    const [done] = agentRuns([event({ correlationId: 'run-8', eventType: 'run.started', service: 'qa' }), event({ correlationId: 'run-8', eventType: 'run.failed', service: 'qa' })]);
    h.server.faults.add({ route: 'wiki.pages.*', kind: 'status', status: 503, times: 8 });
    await mirror.publishRun(done!);
    assert.equal(s.outbox.pending().length, 1);
    h.server.faults.clear();
    assert.equal(await s.outbox.flush(), 1);
    assert.match(await pageText(dayPage(done!)), /qa run run-8[\s\S]*Outcome: \*\*failed\*\*/);
  });

  it('writes over a page created in between (409 once) after reading it again', async () => {
    const [run] = agentRuns([event({ correlationId: 'run-9', eventType: 'run.started', service: 'security' }), event({ correlationId: 'run-9', eventType: 'run.cancelled', service: 'security' })]);
    h.server.faults.add({ route: 'wiki.pages.put', kind: 'status', status: 409, times: 1 });
    await mirror.publishRun(run!);
    assert.match(await pageText(dayPage(run!)), /Outcome: \*\*cancelled\*\*/);
  });

  it('keeps secrets out of the run comment and the page', async () => {
    const [run] = agentRuns([
      event({ correlationId: 'run-s', eventType: 'run.started', service: 'qa' }),
      event({ correlationId: 'run-s', eventType: 'run.step', service: 'qa', workItemId: storyId, metadata: { summary: `token ${GITHUB_TOKEN_CANARY}` } }),
      event({ correlationId: 'run-s', eventType: 'run.completed', service: 'qa' }),
    ]);
    await mirror.publishRun(run!);
    assert.ok(!(await comments(storyId)).some((c) => (c.text ?? '').includes(GITHUB_TOKEN_CANARY)));
    assert.ok(!(await pageText(dayPage(run!))).includes(GITHUB_TOKEN_CANARY));
  });
});
