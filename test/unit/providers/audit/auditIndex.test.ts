import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { agentRuns, type AuditEvent, type AuditInput, groupByCorrelation, parseTrailLine } from '../../../../src/core/audit';
import { filterAuditEvents } from '../../../../src/core/chat/auditQuery';
import { AuditIndex, auditDir, FileAuditSink, listAuditFiles, readLines, StaleIndexError } from '../../../../src/providers/audit';
import { FakeLogger } from '../../fakes/fakeLogger';

/** A day of actions: agent runs, sidebar changes and chat tool calls, interleaved as they happen. */
function actions(day: number): AuditInput[] {
  const out: AuditInput[] = [];
  for (let a = 0; a < 6; a++) {
    const agent = ['qa', 'security', 'agent.custom', 'release'][a % 4]!;
    const run = `run-${day}-${a}`;
    out.push({ correlationId: run, eventType: 'run.started', service: agent, workItemId: 10 + a });
    out.push({ correlationId: `ui-${day}-${a}`, eventType: 'workItem.stateChanged', service: 'azureBoards', workItemId: 10 + a, oldState: 'New', newState: 'Active' });
    for (let s = 0; s < a % 3; s++) out.push({ correlationId: run, eventType: s ? 'file.written' : 'run.step', service: agent, metadata: { step: s, path: `src/é${s}.ts` } });
    if (a % 4 !== 3) out.push({ correlationId: run, eventType: ['run.completed', 'run.failed', 'run.cancelled'][a % 3]!, service: agent });
  }
  out.push({ correlationId: `chat-${day}`, eventType: 'workItem.commented', service: 'chat', workItemId: 7, metadata: { summary: 'from @devops' } });
  return out;
}

describe('audit index', () => {
  let root: string;
  let state: string;
  let clock: Date;
  const sinks: FileAuditSink[] = [];
  const dir = () => auditDir(root);
  const sink = () => {
    const s = new FileAuditSink({ workspaceRoot: root, log: new FakeLogger(), now: () => clock, maxFileBytes: 4000 });
    sinks.push(s);
    return s;
  };
  const write = async (s: FileAuditSink, days: number[]) => {
    for (const d of days) {
      clock = new Date(Date.UTC(2025, 6, d, 8));
      for (const input of actions(d)) {
        clock = new Date(clock.getTime() + 60_000);
        await s.append(input);
      }
    }
    await s.flush();
  };
  /** Every event on disk, the plain way, as the oracle. */
  const allEvents = async (): Promise<AuditEvent[]> => {
    const out: AuditEvent[] = [];
    for (const f of await listAuditFiles(dir())) for (const l of await readLines(f)) {
      const p = parseTrailLine(l);
      if (p.kind === 'event') out.push(p.event);
    }
    return out;
  };
  const groupsOf = async (index: AuditIndex) => {
    const ids = index.newestGroups(10_000);
    return Promise.all(ids.map(async (g) => ({ correlationId: index.summary(g).correlationId, events: (await index.readEvents(index.groupRows(g))).map((s) => s.event) })));
  };
  const assertMatchesTrail = async (index: AuditIndex) => {
    const events = await allEvents();
    assert.equal(index.eventCount, events.length);
    const expected = groupByCorrelation(events);
    const got = await groupsOf(index);
    assert.deepEqual(got.map((g) => g.correlationId), expected.map((g) => g.correlationId));
    assert.deepEqual(got.map((g) => g.events), expected.map((g) => g.events));
    const runs = agentRuns(events);
    const indexed = index.newestGroups(10_000, -1, true).map((g) => index.summary(g));
    assert.deepEqual(
      indexed.map((r) => [r.correlationId, r.agent, r.outcome, r.steps, r.workItemIds, r.firstAt, r.lastAt, r.count]),
      runs.map((r) => [r.correlationId, r.agent, r.outcome, r.steps.length, r.workItemIds, r.firstAt, r.lastAt, r.events.length]),
    );
    const groups = index.newestGroups(10_000).map((g) => index.summary(g));
    assert.deepEqual(
      groups.map((g) => [g.services, g.firstType, g.lastType]),
      expected.map((g) => [[...new Set(g.events.map((e) => e.service))], g.events[0]!.eventType, g.events[g.events.length - 1]!.eventType]),
    );
  };

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-index-'));
    state = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-index-state-')), 'index.bin');
  });
  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((s) => s.close()));
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(path.dirname(state), { recursive: true, force: true });
  });

  it('answers groups, runs and pages in one pass over a rotated, multi-day trail, as the events themselves say', async () => {
    await write(sink(), [1, 2, 3]);
    assert.ok((await listAuditFiles(dir())).length > 3);
    const index = await AuditIndex.open(dir(), state);
    const r = await index.refresh();
    assert.equal(r.added, (await allEvents()).length);
    await assertMatchesTrail(index);
    const newest = await index.readEvents(index.newestRows(5));
    const events = await allEvents();
    assert.deepEqual(newest.map((s) => s.event), events.slice(-5).reverse());
    const files = await listAuditFiles(dir());
    const last = files[files.length - 1]!;
    assert.deepEqual([newest[0]!.file, newest[0]!.line], [last, (await readLines(last)).length]);
  });

  it('reads only what was appended, and saves and reopens without reading the trail again', async () => {
    const s = sink();
    await write(s, [1]);
    const index = await AuditIndex.open(dir(), state);
    await index.refresh();
    await index.save();
    await write(s, [2]);
    const more = await index.refresh();
    assert.deepEqual([more.added, more.rebuiltFrom], [actions(2).length, undefined]);
    await assertMatchesTrail(index);
    await index.save();
    const again = await AuditIndex.open(dir(), state);
    assert.equal(again.eventCount, index.eventCount);
    assert.deepEqual(await again.refresh(), { added: 0, changed: false });
    await assertMatchesTrail(again);
  });

  it('waits for a line that is still being written', async () => {
    const s = sink();
    await write(s, [1]);
    const files = await listAuditFiles(dir());
    const last = files[files.length - 1]!;
    const line = (await readLines(last))[0]!;
    await fs.appendFile(last, line.slice(0, 30));
    const index = await AuditIndex.open(dir());
    await index.refresh();
    assert.equal(index.eventCount, actions(1).length);
    await fs.appendFile(last, `${line.slice(30).replace('"seq":', '"seq":9')}\n`);
    assert.equal((await index.refresh()).added, 1);
    // Indexed as the event it says it is: whether it belongs in the chain is verify's business.
    const [newest] = await index.readEvents(index.newestRows(1));
    assert.equal(String(newest!.event.seq)[0], '9');
  });

  describe('is rebuilt when a file changes behind its back', () => {
    let index: AuditIndex;
    let files: string[];
    beforeEach(async () => {
      await write(sink(), [1, 2, 3]);
      await Promise.all(sinks.splice(0).map((s) => s.close()));
      index = await AuditIndex.open(dir(), state);
      await index.refresh();
      await index.save();
      files = await listAuditFiles(dir());
    });
    const reopened = async () => {
      const again = await AuditIndex.open(dir(), state);
      return { again, report: await again.refresh() };
    };

    it('a file in the middle edited', async () => {
      const middle = files[2]!;
      const lines = await readLines(middle);
      lines.splice(1, 1);
      await fs.writeFile(middle, `${lines.join('\n')}\n`);
      const { again, report } = await reopened();
      assert.equal(report.rebuiltFrom, path.basename(middle));
      await assertMatchesTrail(again);
      const same = await index.refresh();
      assert.equal(same.rebuiltFrom, path.basename(middle));
      await assertMatchesTrail(index);
    });

    it('a file rewritten to the same length', async () => {
      const middle = files[1]!;
      const text = await fs.readFile(middle, 'utf8');
      await new Promise((r) => setTimeout(r, 5));
      await fs.writeFile(middle, text.replace('"New"', '"Old"'));
      assert.equal((await index.refresh()).rebuiltFrom, path.basename(middle));
      await assertMatchesTrail(index);
    });

    it('the last file cut short (a torn line moved aside)', async () => {
      const last = files[files.length - 1]!;
      const lines = await readLines(last);
      await fs.writeFile(last, `${lines.slice(0, -2).join('\n')}\n`);
      assert.equal((await index.refresh()).rebuiltFrom, path.basename(last));
      await assertMatchesTrail(index);
    });

    it('a file deleted, or a file put in before the others', async () => {
      await fs.rm(files[1]!);
      assert.equal((await index.refresh()).rebuiltFrom, path.basename(files[1]!));
      await assertMatchesTrail(index);
      await fs.writeFile(path.join(dir(), 'audit-2025-06-30.jsonl'), (await fs.readFile(files[0]!, 'utf8')).split('\n')[0] + '\n');
      assert.equal((await index.refresh()).rebuiltFrom, path.basename(files[0]!));
      await assertMatchesTrail(index);
    });

    it('an edit that kept the size and the time: reading the event finds it, and the file is read again', async () => {
      const middle = files[1]!;
      // A time utimes can put back exactly (whole milliseconds).
      const when = new Date('2025-07-02T12:00:00.000Z');
      await fs.utimes(middle, when, when);
      await index.refresh();
      const text = await fs.readFile(middle, 'utf8');
      // The first line is no longer JSON; every byte count stays the same.
      await fs.writeFile(middle, `[${text.slice(1)}`);
      await fs.utimes(middle, when, when);
      assert.equal((await index.refresh()).changed, false);
      const rows = index.newestRows(index.eventCount).reverse();
      await assert.rejects(index.readEvents(rows), (e: unknown) => e instanceof StaleIndexError && e.file === path.basename(middle));
      index.invalidate(path.basename(middle));
      assert.equal((await index.refresh()).rebuiltFrom, path.basename(middle));
      await assertMatchesTrail(index);
    });

    it('a saved index that does not read back is built again', async () => {
      const data = await fs.readFile(state);
      await fs.writeFile(state, data.subarray(0, data.length - 7));
      const { again, report } = await reopened();
      assert.equal(report.added, index.eventCount);
      await assertMatchesTrail(again);
    });
  });

  it('searches the whole trail by work item, service, agent, day and kind, as the chat filter does', async () => {
    await write(sink(), [1, 2, 3]);
    const index = await AuditIndex.open(dir());
    await index.refresh();
    const events = [...(await allEvents())].reverse();
    const day2 = { from: Date.UTC(2025, 6, 2), to: Date.UTC(2025, 6, 3) };
    const queries = [
      [{ workItemId: 7 }, { workItemId: 7 }],
      [{ services: ['security', 'agent.security'] }, { service: 'security' }],
      [{ services: ['custom', 'agent.custom'] }, { service: 'custom' }],
      [{ ...day2, eventTypes: ['run.failed'] }, { period: { from: new Date(day2.from).toISOString(), to: new Date(day2.to).toISOString(), label: 'x' }, eventTypes: ['run.failed'] }],
      [{ workItemId: 12, services: ['azureBoards'] }, { workItemId: 12, service: 'azureBoards' }],
      [{ workItemId: 999 }, { workItemId: 999 }],
    ] as const;
    for (const [q, chat] of queries) {
      const expected = filterAuditEvents(events, chat);
      const found = index.search(q, 5);
      assert.equal(found.total, expected.length, JSON.stringify(q));
      assert.equal(found.groups, new Set(expected.map((e) => e.correlationId)).size);
      assert.deepEqual((await index.readEvents(found.rows)).map((s) => s.event), expected.slice(0, 5));
    }
  });
});
