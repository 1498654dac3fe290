import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AgentRun, type AuditEvent, type AuditMirror, hashEvent, serializeEvent } from '../../../../src/core/audit';
import { isDevOpsError } from '../../../../src/core/errors';
import { auditDir, FileAuditSink, listAuditFiles, readLines, readPage, verifyTrail } from '../../../../src/providers/audit';
import { FakeLogger } from '../../fakes/fakeLogger';
import { canaries } from '../../core/redact/canaries';

const step = (i: number, correlationId = 'run-1') => ({ correlationId, eventType: 'run.step', service: 'qa', metadata: { i } });

describe('file audit sink (real files)', () => {
  let root: string;
  let log: FakeLogger;
  let clock: Date;
  const sinks: FileAuditSink[] = [];
  const makeSink = (extra: Partial<ConstructorParameters<typeof FileAuditSink>[0]> = {}): FileAuditSink => {
    const sink = new FileAuditSink({ workspaceRoot: root, log, now: () => clock, ...extra });
    sinks.push(sink);
    return sink;
  };
  const dir = (): string => auditDir(root);

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-audit-'));
    log = new FakeLogger();
    clock = new Date('2025-05-01T10:00:00.000Z');
  });

  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((s) => s.close()));
    await fs.rm(root, { recursive: true, force: true });
  });

  it('appends one canonical JSON line per event under .devops/audit, one file per day', async () => {
    const sink = makeSink();
    const a = await sink.append(step(0));
    const b = await sink.append(step(1));
    const files = await listAuditFiles(dir());
    assert.deepEqual(files.map((f) => path.basename(f)), ['audit-2025-05-01.jsonl']);
    const lines = await readLines(files[0]!);
    assert.deepEqual(lines, [serializeEvent(a), serializeEvent(b)]);
    assert.equal(b.prev, a.hash);
    assert.deepEqual(await verifyTrail(dir()), { ok: true, count: 2, head: b.hash, files: 1 });
  });

  it('continues the chain after a reopen and across days', async () => {
    const first = makeSink();
    await first.append(step(0));
    const last = await first.append(step(1));
    await first.close();
    clock = new Date('2025-05-02T00:00:01.000Z');
    const second = makeSink();
    const opened = await second.open();
    assert.deepEqual(opened, { head: { prev: last.hash, seq: 1 } });
    const next = await second.append(step(2));
    assert.equal(next.prev, last.hash);
    assert.equal(next.seq, 2);
    assert.equal((await listAuditFiles(dir())).length, 2);
    assert.deepEqual(await verifyTrail(dir()), { ok: true, count: 3, head: next.hash, files: 2 });
  });

  it('keeps the chain under concurrent appends', async () => {
    const sink = makeSink();
    const events = await Promise.all(Array.from({ length: 50 }, (_, i) => sink.append(step(i, `c${i % 5}`))));
    assert.deepEqual(events.map((e) => e.seq), Array.from({ length: 50 }, (_, i) => i));
    const r = await verifyTrail(dir());
    assert.ok(r.ok && r.count === 50);
  });

  it('follows another window appending to the same trail', async () => {
    const a = makeSink();
    const b = makeSink();
    for (let i = 0; i < 6; i++) await (i % 2 ? b : a).append(step(i));
    const r = await verifyTrail(dir());
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.count, 6);
  });

  it('moves a torn last line aside on open, keeps earlier events and continues', async () => {
    const sink = makeSink();
    await sink.append(step(0));
    const good = await sink.append(step(1));
    await sink.close();
    const file = (await listAuditFiles(dir()))[0]!;
    const fragment = serializeEvent({ ...good, seq: 2 }).slice(0, 57);
    await fs.appendFile(file, fragment);
    const torn = await verifyTrail(dir());
    assert.ok(!torn.ok && torn.kind === 'torn' && torn.line === 3 && torn.file === file);

    const reopened = makeSink();
    const reports: unknown[] = [];
    reopened.onDidRecover((r) => reports.push(r));
    const opened = await reopened.open();
    assert.deepEqual(opened.recovered, { file, tornFile: `${file}.torn`, length: 57 });
    assert.equal(reports.length, 1);
    assert.equal(await fs.readFile(`${file}.torn`, 'utf8'), `${fragment}\n`);
    assert.match(log.text, /was cut off .* moved to .*\.torn/);
    const next = await reopened.append(step(2));
    assert.equal(next.prev, good.hash);
    assert.deepEqual(await verifyTrail(dir()), { ok: true, count: 3, head: next.hash, files: 1 });
  });

  it('restores a lost newline after a complete event instead of dropping it', async () => {
    const sink = makeSink();
    const e = await sink.append(step(0));
    await sink.close();
    const file = (await listAuditFiles(dir()))[0]!;
    await fs.writeFile(file, serializeEvent(e));
    const opened = await makeSink().open();
    assert.deepEqual(opened, { head: { prev: e.hash, seq: 0 } });
    assert.equal(await fs.readFile(file, 'utf8'), `${serializeEvent(e)}\n`);
  });

  describe('verify names the file, line and damage', () => {
    let events: AuditEvent[];
    let file: string;
    beforeEach(async () => {
      const sink = makeSink();
      events = [];
      for (let i = 0; i < 5; i++) events.push(await sink.append(step(i)));
      await sink.close();
      file = (await listAuditFiles(dir()))[0]!;
    });
    const rewrite = (lines: string[]) => fs.writeFile(file, `${lines.join('\n')}\n`);
    const expectDamage = async (kind: string, line: number) => {
      const r = await verifyTrail(dir());
      assert.ok(!r.ok, 'expected damage');
      assert.deepEqual([r.kind, r.line, r.file], [kind, line, file]);
    };
    it('edited', async () => {
      const lines = events.map(serializeEvent);
      lines[1] = lines[1]!.replace('"run.step"', '"run.stop"');
      await rewrite(lines);
      await expectDamage('edited', 2);
    });
    it('edited and re-hashed', async () => {
      const lines = events.map(serializeEvent);
      const changed = { ...events[1]!, user: 'mallory' };
      lines[1] = serializeEvent({ ...changed, hash: hashEvent(changed) });
      await rewrite(lines);
      await expectDamage('edited', 2);
    });
    it('dropped', async () => {
      await rewrite(events.map(serializeEvent).filter((_, i) => i !== 2));
      await expectDamage('dropped', 3);
    });
    it('reordered', async () => {
      const lines = events.map(serializeEvent);
      await rewrite([lines[0]!, lines[2]!, lines[1]!, lines[3]!, lines[4]!]);
      await expectDamage('reordered', 2);
    });
    it('invalid JSON in the middle', async () => {
      const lines = events.map(serializeEvent);
      lines[2] = 'not json';
      await rewrite(lines);
      await expectDamage('invalidJson', 3);
    });
    it('a whole day file removed', async () => {
      clock = new Date('2025-05-02T00:00:00.000Z');
      const s2 = makeSink();
      await s2.append(step(5));
      await s2.close();
      clock = new Date('2025-05-03T00:00:00.000Z');
      const s3 = makeSink();
      await s3.append(step(6));
      await s3.close();
      await fs.rm(path.join(dir(), 'audit-2025-05-02.jsonl'));
      const r = await verifyTrail(dir());
      assert.ok(!r.ok && r.kind === 'dropped' && r.line === 1 && r.file.endsWith('audit-2025-05-03.jsonl'));
    });
  });

  describe('rotation by size as well as by day', () => {
    const names = async () => (await listAuditFiles(dir())).map((f) => path.basename(f));

    it('starts the day\'s next part when a file reaches the limit, never rewriting one, and verifies across parts', async () => {
      const sink = makeSink({ maxFileBytes: 700 });
      const written: AuditEvent[] = [];
      for (let i = 0; i < 4; i++) written.push(await sink.append(step(i)));
      const firstFile = await fs.readFile(path.join(dir(), 'audit-2025-05-01.jsonl'), 'utf8');
      for (let i = 4; i < 25; i++) written.push(await sink.append(step(i)));
      const files = await names();
      assert.ok(files.length >= 10, files.join(', '));
      assert.deepEqual(files.slice(0, 3), ['audit-2025-05-01.jsonl', 'audit-2025-05-01.2.jsonl', 'audit-2025-05-01.3.jsonl']);
      // Part 10 sorts after part 9.
      assert.deepEqual(files.slice(8, 10), ['audit-2025-05-01.9.jsonl', 'audit-2025-05-01.10.jsonl']);
      assert.equal(await fs.readFile(path.join(dir(), 'audit-2025-05-01.jsonl'), 'utf8'), firstFile);
      for (const f of await listAuditFiles(dir())) assert.ok((await fs.stat(f)).size < 700 + 500, f);
      assert.deepEqual(await verifyTrail(dir()), { ok: true, count: 25, head: written[24]!.hash, files: files.length });
      // A new day starts at part 1 again.
      clock = new Date('2025-05-02T00:00:00.000Z');
      const next = await sink.append(step(25));
      assert.equal(next.prev, written[24]!.hash);
      assert.equal((await names()).pop(), 'audit-2025-05-02.jsonl');
      // A removed part shows as dropped events at the start of the next one.
      await fs.rm(path.join(dir(), 'audit-2025-05-01.3.jsonl'));
      const r = await verifyTrail(dir());
      assert.ok(!r.ok && r.kind === 'dropped' && path.basename(r.file) === 'audit-2025-05-01.4.jsonl' && r.line === 1, JSON.stringify(r));
    });

    it('goes on in the next part after a reopen', async () => {
      const first = makeSink({ maxFileBytes: 1200 });
      for (let i = 0; i < 6; i++) await first.append(step(i));
      await first.close();
      const before = await names();
      const second = makeSink({ maxFileBytes: 1200 });
      const e = await second.append(step(6));
      assert.equal(e.seq, 6);
      assert.ok((await names()).length >= before.length);
      assert.ok((await verifyTrail(dir())).ok);
    });

    it('keeps one chain when two windows write and rotate the same trail', async () => {
      const a = makeSink({ maxFileBytes: 1500 });
      const b = makeSink({ maxFileBytes: 1500 });
      for (let i = 0; i < 12; i++) await (i % 3 ? b : a).append(step(i));
      clock = new Date('2025-05-02T00:00:00.000Z');
      for (let i = 12; i < 20; i++) await (i % 2 ? a : b).append(step(i));
      const r = await verifyTrail(dir());
      assert.ok(r.ok && r.count === 20, JSON.stringify(r));
      assert.ok((await names()).length > 4);
    });

    it('keeps writing at the end of the chain when the clock goes back a day', async () => {
      const sink = makeSink();
      clock = new Date('2025-05-03T10:00:00.000Z');
      await sink.append(step(0));
      clock = new Date('2025-05-02T10:00:00.000Z');
      await sink.append(step(1));
      await sink.close();
      const again = makeSink();
      await again.append(step(2));
      assert.deepEqual(await names(), ['audit-2025-05-03.jsonl']);
      assert.ok((await verifyTrail(dir())).ok);
    });
  });

  it('reads newest first, a page at a time', async () => {
    const sink = makeSink();
    for (let i = 0; i < 4; i++) await sink.append(step(i));
    clock = new Date('2025-05-02T00:00:00.000Z');
    for (let i = 4; i < 7; i++) await sink.append(step(i));
    const seen: number[] = [];
    let page = await readPage(dir(), 3);
    for (;;) {
      seen.push(...page.events.map((s) => s.event.seq));
      if (!page.next) break;
      page = await readPage(dir(), 3, page.next);
    }
    assert.deepEqual(seen, [6, 5, 4, 3, 2, 1, 0]);
    const first = await readPage(dir(), 1);
    assert.equal(first.events[0]!.line, 3);
    assert.ok(first.events[0]!.file.endsWith('audit-2025-05-02.jsonl'));
    assert.deepEqual((await readPage(path.join(root, 'none'), 5)).events, []);
  });

  it('writes no secret to disk', async () => {
    const sink = makeSink();
    const gh = canaries.githubClassic('p');
    await sink.append({ correlationId: 'c', eventType: 'command.run', service: 'release', metadata: { cmd: `git push https://${gh}@github.com/o/r`, token: gh } });
    const text = await fs.readFile((await listAuditFiles(dir()))[0]!, 'utf8');
    assert.ok(!text.includes(gh));
  });

  it('tells listeners after each event is written', async () => {
    const sink = makeSink();
    const seen: number[] = [];
    const sub = sink.onDidAppend((e) => seen.push(e.seq));
    await sink.append(step(0));
    sub.dispose();
    await sink.append(step(1));
    assert.deepEqual(seen, [0]);
  });

  it('hands finished runs to the mirror whole and events outside a run that touch a work item one by one; a failing mirror loses nothing', async () => {
    const mirrored: number[] = [];
    const published: AgentRun[] = [];
    const mirror: AuditMirror = {
      mirrorEvent: async (e) => {
        mirrored.push(e.seq);
        throw new Error('Azure DevOps is down');
      },
      publishRun: async (run) => {
        published.push(run);
      },
    };
    const sink = makeSink({ mirror });
    await sink.append({ correlationId: 'r', eventType: 'run.started', service: 'qa' });
    await sink.append({ correlationId: 'r', eventType: 'workItem.stateChanged', service: 'qa', workItemId: 5, oldState: 'New', newState: 'Active' });
    await sink.append({ correlationId: 'r', eventType: 'run.completed', service: 'qa' });
    await sink.append({ correlationId: 'c', eventType: 'workItem.stateChanged', service: 'command', workItemId: 5, oldState: 'Active', newState: 'Resolved' });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(mirrored, [3], 'the run\'s own event on AB#5 goes with the run, not alone');
    assert.equal(published.length, 1);
    assert.equal(published[0]!.outcome, 'succeeded');
    assert.equal(published[0]!.events.length, 3);
    assert.match(log.text, /Audit mirror: event 3 failed: Azure DevOps is down/);
    assert.ok((await verifyTrail(dir())).ok);
  });

  it('refuses without a workspace folder and writes nothing', async () => {
    const sink = new FileAuditSink({ workspaceRoot: undefined, log });
    await assert.rejects(sink.append(step(0)), (e: unknown) => isDevOpsError(e) && e.code === 'notConfigured' && /Open a folder first/.test(e.message));
    assert.equal(sink.directory, undefined);
  });

  it('refuses a .devops folder that is a link out of the workspace', async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-outside-'));
    try {
      await fs.symlink(outside, path.join(root, '.devops'), 'dir');
      const sink = makeSink();
      await assert.rejects(sink.append(step(0)), (e: unknown) => isDevOpsError(e) && e.code === 'refused' && /symbolic link/.test(e.message));
      assert.deepEqual(await fs.readdir(outside), []);
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses appends after close, and rejects bad input without breaking the queue', async () => {
    const sink = makeSink();
    await assert.rejects(sink.append({ correlationId: '', eventType: 'run.step', service: 'qa' }), (e: unknown) => isDevOpsError(e) && e.code === 'invalidInput');
    const ok = await sink.append(step(0));
    assert.equal(ok.seq, 0);
    await sink.close();
    await assert.rejects(sink.append(step(1)), (e: unknown) => isDevOpsError(e) && e.code === 'unavailable');
  });
});
