import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type OutboxEntry, type OutboxReplayer, type ReplayResult } from '../../../../src/core/boards/outbox';
import { DevOpsError } from '../../../../src/core/errors';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { FakeLogger } from '../../fakes/fakeLogger';

/** A remote service that records applied client ids, so a second application is visible. */
class FakeRemote {
  readonly applied: string[] = [];
  readonly calls: string[] = [];
  /** Decides the answer per call; default: apply. */
  behaviour: (entry: OutboxEntry) => 'apply' | 'applyThenLoseAnswer' | 'down' | 'conflict' | 'fail' = () => 'apply';

  replayer(tracker: OutboxEntry['tracker'] = 'azureBoards'): OutboxReplayer {
    return {
      tracker,
      replay: async (entry): Promise<ReplayResult> => {
        this.calls.push(entry.clientId);
        // The replayer's half of exactly-once: recognise a change already made from its client id.
        if (this.applied.includes(entry.clientId)) return { kind: 'applied', alreadyApplied: true };
        switch (this.behaviour(entry)) {
          case 'apply':
            this.applied.push(entry.clientId);
            return { kind: 'applied' };
          case 'applyThenLoseAnswer':
            this.applied.push(entry.clientId);
            throw new Error('socket hang up');
          case 'down':
            return { kind: 'retry', error: new DevOpsError('unavailable', 'Azure DevOps is unavailable (503).', { retryAfterMs: 1 }) };
          case 'conflict':
            return { kind: 'conflict', message: 'AB#1 was changed by Avery Chen.' };
          case 'fail':
            return { kind: 'failed', message: 'AB#1 was deleted.' };
        }
      },
    };
  }
}

describe('FileOutbox', () => {
  let dir: string;
  let log: FakeLogger;
  const open = (): Promise<FileOutbox> => FileOutbox.open({ storageDir: dir, log, baseDelayMs: 1, maxDelayMs: 5 });
  const enqueue = (outbox: FileOutbox, clientId: string, target = 'azureBoards:1'): Promise<OutboxEntry> =>
    outbox.enqueue({ tracker: 'azureBoards', kind: 'addComment', clientId, payload: { id: 1, text: clientId }, target, description: `comment ${clientId}`, reason: 'Azure DevOps is unavailable (503).' });

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outbox-'));
    log = new FakeLogger();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('persists entries across instances and replays them in order', async () => {
    const a = await open();
    for (const id of ['c1', 'c2', 'c3']) await enqueue(a, id, `azureBoards:${id}`);
    assert.equal(a.pending().length, 3);
    a.dispose();

    const b = await open();
    assert.deepEqual(b.entries().map((e) => e.clientId), ['c1', 'c2', 'c3']);
    assert.equal(b.entries()[0]!.lastError, 'Azure DevOps is unavailable (503).');
    const remote = new FakeRemote();
    b.registerReplayer(remote.replayer());
    assert.equal(await b.flush(), 3);
    assert.deepEqual(remote.applied, ['c1', 'c2', 'c3']);
    assert.equal(b.pending().length, 0);
    assert.equal((await open()).pending().length, 0);
  });

  it('does not add a change twice for the same client id', async () => {
    const a = await open();
    const first = await enqueue(a, 'same');
    const second = await enqueue(a, 'same');
    assert.equal(first.id, second.id);
    assert.equal(a.entries().length, 1);
  });

  it('recognises a change applied before the answer was lost and does not apply it again', async () => {
    const a = await open();
    await enqueue(a, 'lost-ack');
    const remote = new FakeRemote();
    remote.behaviour = () => 'applyThenLoseAnswer';
    a.registerReplayer(remote.replayer());
    assert.equal(await a.flush(), 0);
    const kept = a.entries()[0]!;
    assert.equal(kept.attempts, 1);
    assert.match(kept.lastError ?? '', /socket hang up/);
    a.dispose();

    // A new window (after a crash) replays it: the replayer sees its client id and only acknowledges.
    const b = await open();
    remote.behaviour = () => 'apply';
    b.registerReplayer(remote.replayer());
    assert.equal(await b.flush(), 1);
    assert.deepEqual(remote.applied, ['lost-ack']);
    assert.deepEqual(remote.calls, ['lost-ack', 'lost-ack']);
    assert.equal(b.entries().length, 0);
    assert.match(log.text, /had already been applied/);
  });

  it('records the attempt on disk before sending, so a window that stops mid-send leaves it behind', async () => {
    const a = await open();
    await enqueue(a, 'in-flight');
    let seenOnDisk: OutboxEntry | undefined;
    a.registerReplayer({
      tracker: 'azureBoards',
      replay: async () => {
        seenOnDisk = JSON.parse(readFileSync(a.path, 'utf8').trim()) as OutboxEntry;
        return { kind: 'applied' };
      },
    });
    await a.flush();
    assert.equal(seenOnDisk?.attempts, 1);
  });

  it('stops a tracker at a transient failure and keeps the order for the next pass', async () => {
    const a = await open();
    await enqueue(a, 'c1', 'azureBoards:1');
    await enqueue(a, 'c2', 'azureBoards:2');
    const remote = new FakeRemote();
    remote.behaviour = () => 'down';
    a.registerReplayer(remote.replayer());
    assert.equal(await a.flush(), 0);
    assert.deepEqual(remote.calls, ['c1'], 'the second is not tried while the service is down');
    const [first, second] = a.entries();
    assert.equal(first!.attempts, 1);
    assert.ok(first!.notBefore !== undefined);
    assert.equal(second!.attempts, 0);

    remote.behaviour = () => 'apply';
    assert.equal(await a.flush(), 2);
    assert.deepEqual(remote.applied, ['c1', 'c2']);
  });

  it('holds back later changes of an item in conflict, sends other items, and lets the user discard it', async () => {
    const a = await open();
    await enqueue(a, 'c1', 'azureBoards:1');
    await enqueue(a, 'c2', 'azureBoards:1');
    await enqueue(a, 'c3', 'azureBoards:2');
    const remote = new FakeRemote();
    remote.behaviour = (e) => (e.clientId === 'c1' ? 'conflict' : 'apply');
    a.registerReplayer(remote.replayer());
    let changes = 0;
    a.onDidChange(() => changes++);
    assert.equal(await a.flush(), 1);
    assert.deepEqual(remote.applied, ['c3']);
    const summary = a.pending();
    assert.deepEqual(summary.map((s) => [s.description, s.state]), [['comment c1', 'conflict'], ['comment c2', 'pending']]);
    assert.equal(summary[0]!.lastError, 'AB#1 was changed by Avery Chen.');
    assert.ok(changes > 0);

    // Flushing again does not overwrite the conflict.
    assert.equal(await a.flush(), 0);
    await a.discard(summary[0]!.id);
    assert.equal(await a.flush(), 1);
    assert.deepEqual(remote.applied, ['c3', 'c2']);
  });

  it('keeps a permanently failed change as failed', async () => {
    const a = await open();
    await enqueue(a, 'gone');
    const remote = new FakeRemote();
    remote.behaviour = () => 'fail';
    a.registerReplayer(remote.replayer());
    assert.equal(await a.flush(), 0);
    assert.equal(a.pending()[0]!.state, 'failed');
    assert.equal(await a.flush(), 0);
    assert.equal(remote.calls.length, 1);
  });

  it('maps errors a replayer throws: conflict, permanent, transient', async () => {
    const a = await open();
    await enqueue(a, 'x1', 'azureBoards:1');
    await enqueue(a, 'x2', 'azureBoards:2');
    await enqueue(a, 'x3', 'azureBoards:3');
    const thrown: Record<string, DevOpsError> = {
      x1: new DevOpsError('conflict', 'Changed elsewhere.'),
      x2: new DevOpsError('forbidden', 'No permission.'),
      x3: new DevOpsError('rateLimited', 'Too many requests.', { retryAfterMs: 60_000 }),
    };
    a.registerReplayer({ tracker: 'azureBoards', replay: async (e) => Promise.reject(thrown[e.clientId]!) });
    await a.flush();
    const byId = new Map(a.entries().map((e) => [e.clientId, e]));
    assert.equal(byId.get('x1')!.state, 'conflict');
    assert.equal(byId.get('x2')!.state, 'failed');
    assert.equal(byId.get('x3')!.state, 'pending');
    assert.ok(Date.parse(byId.get('x3')!.notBefore!) - Date.now() > 50_000, 'Retry-After is honoured');
  });

  it('waits for a replayer before sending a tracker\'s entries', async () => {
    const a = await open();
    await a.enqueue({ tracker: 'github', kind: 'addComment', clientId: 'g1', payload: {}, description: 'gh' });
    await enqueue(a, 'c1');
    const remote = new FakeRemote();
    a.registerReplayer(remote.replayer('azureBoards'));
    assert.equal(await a.flush(), 1);
    assert.deepEqual(a.entries().map((e) => e.clientId), ['g1']);
  });

  it('recovers from a damaged file: keeps the readable lines and a copy of the original', async () => {
    const a = await open();
    await enqueue(a, 'good1');
    await enqueue(a, 'good2');
    a.dispose();
    const text = readFileSync(a.path, 'utf8').split('\n');
    writeFileSync(a.path, [text[0], '{"id": "half', '[1,2]', 'not json at all', text[1], ''].join('\n'));

    const b = await open();
    assert.deepEqual(b.entries().map((e) => e.clientId), ['good1', 'good2']);
    assert.match(log.text, /3 unreadable line\(s\)/);
    assert.ok(readdirSync(dir).some((f) => f.includes('.damaged-')));
    // The file was rewritten clean, so the next window does not warn again.
    const warned = log.lines.length;
    await open();
    assert.equal(log.lines.length, warned);
  });

  it('starts empty on an unreadable file of the wrong shape', async () => {
    writeFileSync(path.join(dir, 'boards-outbox.jsonl'), '\u0000\u0001garbage');
    const a = await open();
    assert.equal(a.entries().length, 0);
    await enqueue(a, 'after');
    assert.equal((await open()).entries().length, 1);
  });

  it('two instances (two windows) enqueueing at once lose nothing', async () => {
    const a = await open();
    const b = await open();
    await Promise.all(Array.from({ length: 20 }, (_, i) => enqueue(i % 2 ? a : b, `w${i}`, `azureBoards:${i}`)));
    const c = await open();
    assert.equal(c.entries().length, 20);
    assert.deepEqual(new Set(c.entries().map((e) => e.clientId)).size, 20);
  });

  it('only one window replays at a time; each change is applied once', async () => {
    const a = await open();
    const b = await open();
    for (let i = 0; i < 5; i++) await enqueue(a, `r${i}`, `azureBoards:${i}`);
    const remote = new FakeRemote();
    const slow = (tracker: 'azureBoards'): OutboxReplayer => ({
      tracker,
      replay: async (e) => {
        await new Promise((r) => setTimeout(r, 5));
        return remote.replayer().replay(e);
      },
    });
    a.registerReplayer(slow('azureBoards'));
    b.registerReplayer(slow('azureBoards'));
    const [sa, sb] = await Promise.all([a.flush(), b.flush()]);
    assert.equal(sa + sb, 5);
    assert.equal(remote.applied.length, 5);
    assert.equal(remote.calls.length, 5);
  });

  it('a cancelled flush stops and keeps the rest', async () => {
    const a = await open();
    await enqueue(a, 'k1', 'azureBoards:1');
    await enqueue(a, 'k2', 'azureBoards:2');
    const controller = new AbortController();
    a.registerReplayer({
      tracker: 'azureBoards',
      replay: async () => {
        controller.abort();
        return { kind: 'applied' };
      },
    });
    await assert.rejects(a.flush(controller.signal), (e: unknown) => e instanceof DevOpsError && e.code === 'cancelled');
    assert.deepEqual(a.entries().map((e) => e.clientId), ['k2']);
  });

  it('replays on its own timer when autoReplay is on', async () => {
    const a = await FileOutbox.open({ storageDir: dir, log, baseDelayMs: 5, maxDelayMs: 20, pollMs: 50, autoReplay: true });
    const remote = new FakeRemote();
    let downs = 2;
    remote.behaviour = () => (downs-- > 0 ? 'down' : 'apply');
    a.registerReplayer(remote.replayer());
    await enqueue(a, 'timer');
    const deadline = Date.now() + 5_000;
    while (remote.applied.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    a.dispose();
    assert.deepEqual(remote.applied, ['timer']);
    assert.equal(remote.calls.length, 3);
  });
});
