import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDevOpsError } from '../../../../src/core/errors';
import { auditDir, auditStateDir, FileAuditSink, listAuditFiles, TrailVerifier, VerifiedHeadStore } from '../../../../src/providers/audit';
import { FakeLogger } from '../../fakes/fakeLogger';

const step = (i: number) => ({ correlationId: `run-${Math.floor(i / 4)}`, eventType: 'run.step', service: 'qa', metadata: { i } });

describe('verify with a remembered head (incremental)', () => {
  let root: string;
  let storage: string;
  let headFile: string;
  const sinks: FileAuditSink[] = [];
  let clock: Date;
  const sink = (maxFileBytes?: number): FileAuditSink => {
    const s = new FileAuditSink({ workspaceRoot: root, log: new FakeLogger(), now: () => clock, ...(maxFileBytes ? { maxFileBytes } : {}) });
    sinks.push(s);
    return s;
  };
  /** A verifier as a fresh window (or a restart after a crash) makes it. */
  const verifier = () => new TrailVerifier(auditDir(root), new VerifiedHeadStore(headFile), () => clock);
  const append = async (s: FileAuditSink, from: number, n: number) => {
    for (let i = from; i < from + n; i++) await s.append(step(i));
    await s.flush();
  };

  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-head-'));
    storage = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-storage-'));
    headFile = path.join(auditStateDir(storage, root), 'verified-head.json');
    clock = new Date('2025-06-01T09:00:00.000Z');
  });
  afterEach(async () => {
    await Promise.all(sinks.splice(0).map((s) => s.close()));
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(storage, { recursive: true, force: true });
  });

  it('checks every line the first time, then only the events written since', async () => {
    const s = sink();
    await append(s, 0, 10);
    const first = await verifier().verify();
    assert.equal(first.mode, 'full');
    assert.equal(first.report.checked, 10);
    assert.equal(first.fellBack, undefined);
    await append(s, 10, 3);
    const second = await verifier().verify();
    assert.equal(second.mode, 'incremental');
    assert.equal(second.since, clock.toISOString());
    assert.equal(second.report.checked, 3);
    assert.deepEqual([second.report.result.ok, second.report.result.ok && second.report.result.count], [true, 13]);
    const third = await verifier().verify();
    assert.deepEqual([third.mode, third.report.checked], ['incremental', 0]);
    const full = await verifier().verify({ full: true });
    assert.deepEqual([full.mode, full.report.checked], ['full', 13]);
  });

  it('after a crash between writing an event and saving the head, checks the event on the next verify', async () => {
    const s = sink();
    await append(s, 0, 5);
    await verifier().verify();
    // The event reached the file; the head was never saved (the window died before a verify).
    await append(s, 5, 1);
    await s.close();
    const after = await verifier().verify();
    assert.deepEqual([after.mode, after.report.checked, after.report.result.ok], ['incremental', 1, true]);
  });

  it('after a crash that kept the head but lost the event it names, verifies everything instead', async () => {
    const s = sink();
    await append(s, 0, 5);
    await s.close();
    const file = (await listAuditFiles(auditDir(root)))[0]!;
    const before = (await fs.stat(file)).size;
    const again = sink();
    await append(again, 5, 1);
    await verifier().verify();
    // The head file was synced, the event's write was not: the file is back to its old length.
    await fs.truncate(file, before);
    const after = await verifier().verify();
    assert.equal(after.mode, 'full');
    assert.match(after.fellBack!, /shorter than when it was last verified/);
    assert.deepEqual([after.report.result.ok, after.report.result.ok && after.report.result.count], [true, 5]);
  });

  it('verifies everything when the saved head is cut off or not a head', async () => {
    await append(sink(), 0, 4);
    await verifier().verify();
    const text = await fs.readFile(headFile, 'utf8');
    await fs.writeFile(headFile, text.slice(0, 20));
    const torn = await verifier().verify();
    assert.deepEqual([torn.mode, torn.fellBack], ['full', 'the remembered position could not be read']);
    await fs.writeFile(headFile, JSON.stringify({ ...(JSON.parse(text) as object), offset: -3 }));
    assert.equal((await verifier().verify()).mode, 'full');
  });

  it('verifies everything when the trail was replaced behind its back', async () => {
    const s = sink();
    await append(s, 0, 4);
    await verifier().verify();
    await s.close();
    const file = (await listAuditFiles(auditDir(root)))[0]!;
    // Another trail of the same length (a checkout of another branch, say).
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace(/"i":3/, '"i":9'));
    const after = await verifier().verify();
    assert.equal(after.mode, 'full');
    assert.match(after.fellBack!, /no longer at the end of line 4/);
    assert.ok(!after.report.result.ok && after.report.result.kind === 'edited');
  });

  it('finds damage before the head only in a full verify, then forgets the head until the trail is fixed', async () => {
    const s = sink();
    await append(s, 0, 6);
    await verifier().verify();
    await s.close();
    const file = (await listAuditFiles(auditDir(root)))[0]!;
    const text = await fs.readFile(file, 'utf8');
    await fs.writeFile(file, text.replace('"i":1', '"i":7'));
    assert.equal((await verifier().verify()).report.result.ok, true);
    const full = await verifier().verify({ full: true });
    assert.ok(!full.report.result.ok && full.report.result.line === 2);
    const next = await verifier().verify();
    assert.equal(next.mode, 'full');
    assert.ok(!next.report.result.ok);
  });

  it('goes on from a head in a file that has since been rotated away from', async () => {
    const s = sink(900);
    await append(s, 0, 3);
    await verifier().verify();
    await append(s, 3, 12);
    clock = new Date('2025-06-02T00:00:00.000Z');
    await append(s, 15, 2);
    assert.ok((await listAuditFiles(auditDir(root))).length > 4);
    const after = await verifier().verify();
    assert.deepEqual([after.mode, after.report.checked, after.report.result.ok], ['incremental', 14, true]);
    assert.deepEqual([(await verifier().verify({ full: true })).report.checked], [17]);
  });

  it('keeps its memory outside the workspace: a head the repository brings is never read', async () => {
    const s = sink();
    await append(s, 0, 6);
    await s.close();
    const file = (await listAuditFiles(auditDir(root)))[0]!;
    const lines = (await fs.readFile(file, 'utf8')).split('\n');
    const last = JSON.parse(lines[5]!) as { seq: number; hash: string };
    const claim = { version: 1, file: path.basename(file), offset: (await fs.stat(file)).size, line: 6, seq: last.seq, hash: last.hash, count: 6, verifiedAt: clock.toISOString() };
    // A cloned repository ships a "verified up to the end" head and a damaged first line.
    await fs.writeFile(path.join(auditDir(root), 'verified-head.json'), JSON.stringify(claim));
    await fs.mkdir(path.join(root, '.vscode'), { recursive: true });
    await fs.writeFile(path.join(root, '.vscode', 'verified-head.json'), JSON.stringify(claim));
    await fs.writeFile(file, lines.join('\n').replace('"i":0', '"i":5'));
    const r = await verifier().verify();
    assert.equal(r.mode, 'full');
    assert.ok(!r.report.result.ok && r.report.result.line === 1);
    assert.ok(!headFile.startsWith(root));
  });

  it('stops when cancelled and keeps the head it had', async () => {
    await append(sink(), 0, 3);
    await verifier().verify();
    const saved = await fs.readFile(headFile, 'utf8');
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(verifier().verify({ full: true, signal: controller.signal }), (e: unknown) => isDevOpsError(e) && e.code === 'cancelled');
    assert.equal(await fs.readFile(headFile, 'utf8'), saved);
  });
});
