import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { type OutboxJson, type RemoteWriteRequest, type SettledWrite, type WriteConnection, type WriteKind } from '../../../../src/core/boards/outbox';
import { type WriteHome, type WriteTarget } from '../../../../src/core/boards/writeTarget';
import { DevOpsError } from '../../../../src/core/errors';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { FakeLogger } from '../../fakes/fakeLogger';

type Fault = 'down' | 'limited' | 'lose' | 'garbled' | 'refuse' | 'guard';

/**
 * A remote service for the protocol: items with fields and comments, and faults per request.
 * `lose`: the write is made and its answer lost; `garbled`: an answer that does not read.
 */
class FakeService {
  readonly fields = new Map<string, Record<string, OutboxJson>>();
  readonly comments: { subject: string; clientId: string; text: string }[] = [];
  readonly log: string[] = [];
  readFaults: Fault[] = [];
  writeFaults: Fault[] = [];

  private fail(fault: Fault | undefined, what: string): void {
    switch (fault) {
      case 'down':
        throw new DevOpsError('unavailable', `The service is unavailable (503) while ${what}.`);
      case 'limited':
        throw new DevOpsError('rateLimited', `Too many requests while ${what}.`, { retryAfterMs: 60_000 });
      case 'garbled':
        throw new DevOpsError('badResponse', `The answer to ${what} could not be read.`);
      case 'refuse':
        throw new DevOpsError('refused', `The service refused ${what}: TF401320 rule error.`);
      case 'guard':
        throw new DevOpsError('conflict', `Someone changed it while ${what}.`);
      default:
    }
  }

  private read(what: string): void {
    this.log.push(`read ${what}`);
    this.fail(this.readFaults.shift(), what);
  }

  /** Runs a write; `lose` makes it and then loses the answer. */
  private write(what: string, make: () => void): void {
    this.log.push(`write ${what}`);
    const fault = this.writeFaults.shift();
    if (fault === 'lose') {
      make();
      throw new Error('socket hang up');
    }
    this.fail(fault, what);
    make();
  }

  field(subject: string, field: string): OutboxJson | null {
    return this.fields.get(subject)?.[field] ?? null;
  }

  kinds(): WriteKind[] {
    const setField: WriteKind<{ subject: string; field: string; value: string }> = {
      kind: 'setField',
      payload: z.object({ subject: z.string(), field: z.string(), value: z.string() }),
      observe: async (p) => {
        this.read(`${p.subject}.${p.field}`);
        return { values: { [p.field]: this.field(p.subject, p.field) }, result: { ...this.fields.get(p.subject) }, url: `https://example.test/${p.subject}` };
      },
      send: async (p) => {
        this.write(`${p.subject}.${p.field}=${p.value}`, () => this.fields.set(p.subject, { ...this.fields.get(p.subject), [p.field]: p.value }));
        return { ...this.fields.get(p.subject) };
      },
    };
    const comment: WriteKind<{ subject: string; text: string }> = {
      kind: 'comment',
      payload: z.object({ subject: z.string(), text: z.string() }),
      observe: async (p, context) => {
        this.read(`comments of ${p.subject}`);
        return { made: this.comments.some((c) => c.clientId === context.clientId) };
      },
      send: async (p, _observed, context) => {
        this.write(`comment ${p.text}`, () => this.comments.push({ subject: p.subject, clientId: context.clientId, text: p.text }));
        return undefined;
      },
    };
    return [setField, comment] as WriteKind[];
  }

  connection(home: WriteHome, account = 'alice@example.com'): WriteConnection {
    const kinds = new Map(this.kinds().map((k) => [k.kind, k]));
    return { home: async () => home, account: async () => account, knownAccount: () => account, kinds: async () => kinds };
  }
}

const ACME: WriteHome = { service: 'github', host: 'github.com', owner: 'acme', repo: 'private-a' };
const ATTACKER: WriteHome = { service: 'github', host: 'github.com', owner: 'attacker', repo: 'public-b' };
const AS_ALICE = (home: WriteHome): WriteTarget => ({ ...home, account: 'alice@example.com' }) as WriteTarget;

let n = 0;
const setField = (subject: string, field: string, seen: string | null, value: string, target: WriteTarget = AS_ALICE(ACME)): RemoteWriteRequest => ({
  target,
  kind: 'setField',
  subject,
  touches: [field],
  changes: [{ field, bases: [seen], want: value }],
  payload: { subject, field, value },
  description: `${subject}: ${field} → ${value}`,
  clientId: `c${++n}`,
});
const comment = (subject: string, text: string, target: WriteTarget = AS_ALICE(ACME)): RemoteWriteRequest => ({
  target,
  kind: 'comment',
  subject,
  touches: ['comments'],
  payload: { subject, text },
  description: `${subject}: comment "${text}"`,
  clientId: `c${++n}`,
});

describe('FileOutbox: the one write protocol', () => {
  let dir: string;
  let log: FakeLogger;
  let service: FakeService;
  const open = (autoReplay = false): Promise<FileOutbox> => FileOutbox.open({ storageDir: dir, log, baseDelayMs: 1, maxDelayMs: 5, pollMs: 50, autoReplay });
  const connected = async (home: WriteHome = ACME, account?: string): Promise<FileOutbox> => {
    const outbox = await open();
    outbox.connect(service.connection(home, account));
    return outbox;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outbox-'));
    log = new FakeLogger();
    service = new FakeService();
    service.fields.set('#1', { State: 'New' });
    service.fields.set('#2', { State: 'New' });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('the first attempt', () => {
    it('sends a change and says applied, with what the adapter answered', async () => {
      const outbox = await connected();
      const outcome = await outbox.send(setField('#1', 'State', 'New', 'Active'));
      assert.deepEqual(outcome, { kind: 'applied', result: { State: 'Active' }, alreadyApplied: false });
      assert.deepEqual(service.log, ['read #1.State', 'write #1.State=Active']);
      assert.equal(outbox.pending().length, 0);
    });

    it('queues when the service is down, and the replay sends it exactly once', async () => {
      const outbox = await connected();
      service.writeFaults = ['down'];
      const outcome = await outbox.send(setField('#1', 'State', 'New', 'Active'));
      assert.equal(outcome.kind, 'queued');
      assert.match(outcome.kind === 'queued' ? outcome.reason : '', /503/);
      assert.equal(service.field('#1', 'State'), 'New');
      assert.equal(await outbox.flush(), 1);
      assert.equal(service.field('#1', 'State'), 'Active');
      assert.equal(await outbox.flush(), 0);
      assert.equal(service.log.filter((l) => l.startsWith('write')).length, 2, 'the refused attempt and the replay');
    });

    it('a lost answer is looked for at once: made, it is applied; not to be read, it is queued and never sent twice', async () => {
      const outbox = await connected();
      service.writeFaults = ['lose'];
      const found = await outbox.send(comment('#1', 'first'));
      assert.deepEqual(found, { kind: 'applied', result: undefined, alreadyApplied: true });

      service.writeFaults = ['lose'];
      service.readFaults = ['garbled'];
      const unknown = await outbox.send(comment('#1', 'second'));
      assert.equal(unknown.kind, 'queued');
      assert.match(unknown.kind === 'queued' ? unknown.reason : '', /socket hang up/);
      assert.equal(await outbox.flush(), 1);
      assert.deepEqual(service.comments.map((c) => c.text), ['first', 'second']);
    });

    it('a refusal is an outcome with the service\'s reason, not queued', async () => {
      const outbox = await connected();
      service.writeFaults = ['refuse'];
      const outcome = await outbox.send(setField('#1', 'State', 'New', 'Closed'));
      assert.deepEqual(outcome, { kind: 'refused', code: 'refused', message: 'The service refused #1.State=Closed: TF401320 rule error.' });
      assert.equal(outbox.pending().length, 0);
    });

    it('a field someone else changed is a conflict, field by field; another field they changed is not', async () => {
      const outbox = await connected();
      service.fields.set('#1', { State: 'Resolved', Title: 'Renamed by Avery' });
      const conflict = await outbox.send(setField('#1', 'State', 'New', 'Active'));
      assert.equal(conflict.kind, 'conflict');
      assert.deepEqual(conflict.kind === 'conflict' ? conflict.fields : [], [{ field: 'State', theirs: 'Resolved', seen: 'New', yours: 'Active' }]);
      assert.equal(conflict.kind === 'conflict' && conflict.message, '#1: State → Active: someone else changed it: State is Resolved on the service (you saw New).');
      assert.equal(service.field('#1', 'State'), 'Resolved', 'nothing written');
      const other = await outbox.send(setField('#1', 'Owner', null, 'alice'));
      assert.equal(other.kind, 'applied');
      const overwrite = await outbox.send({ ...setField('#1', 'State', 'New', 'Active'), overwrite: true });
      assert.equal(overwrite.kind, 'applied');
      assert.equal(service.field('#1', 'State'), 'Active');
    });

    it('a guard that fails (changed between read and write) reads and decides again', async () => {
      const outbox = await connected();
      service.writeFaults = ['guard'];
      assert.equal((await outbox.send(setField('#1', 'State', 'New', 'Active'))).kind, 'applied');
      assert.deepEqual(service.log, ['read #1.State', 'write #1.State=Active', 'read #1.State', 'write #1.State=Active']);
    });

    it('waits behind a change to the same field that is still queued, and composes with it; other fields go at once', async () => {
      const outbox = await connected();
      service.writeFaults = ['down'];
      assert.equal((await outbox.send(setField('#1', 'State', 'New', 'Active'))).kind, 'queued');
      // The view still shows New: the user moves it on again, offline.
      const second = await outbox.send(setField('#1', 'State', 'New', 'Resolved'));
      assert.equal(second.kind, 'queued');
      assert.match(second.kind === 'queued' ? second.reason : '', /waits for an earlier change, "#1: State → Active"/);
      assert.deepEqual(outbox.entries()[1]!.changes[0]!.bases, ['New', 'Active']);
      // Another field of the same item, and another item, do not wait.
      assert.equal((await outbox.send(setField('#1', 'Owner', null, 'alice'))).kind, 'applied');
      assert.equal((await outbox.send(setField('#2', 'State', 'New', 'Active'))).kind, 'applied');
      assert.equal(await outbox.flush(), 2);
      assert.equal(service.field('#1', 'State'), 'Resolved', 'the user\'s last intent, no conflict with their own change');
      assert.equal(outbox.pending().length, 0);
    });

    it('a change made from a stale view composes with what this window wrote just before', async () => {
      const outbox = await connected();
      assert.equal((await outbox.send(setField('#1', 'State', 'New', 'Active'))).kind, 'applied');
      assert.equal((await outbox.send(setField('#1', 'State', 'New', 'Resolved'))).kind, 'applied', 'Active is this window\'s own write');
    });

    it('will not send through a connection to another target', async () => {
      const outbox = await open();
      const attacker = service.connection(ATTACKER);
      outbox.connect(attacker);
      await assert.rejects(outbox.send(comment('#1', 'x')), (e: unknown) => e instanceof DevOpsError && e.code === 'notConfigured' && /goes to GitHub acme\/private-a/.test(e.message));
      await assert.rejects(outbox.send(comment('#1', 'x'), { via: attacker }), (e: unknown) => e instanceof DevOpsError && /connected to GitHub attacker\/public-b/.test(e.message));
      assert.equal(service.comments.length, 0);
    });
  });

  describe('the replay', () => {
    it('persists changes across windows and replays them in order after a restart, by itself', async () => {
      const a = await connected();
      service.writeFaults = ['down', 'down', 'down'];
      for (const text of ['one', 'two', 'three']) await a.send(comment('#1', text));
      a.dispose();
      const b = await FileOutbox.open({ storageDir: dir, log, baseDelayMs: 1, maxDelayMs: 5, pollMs: 20, autoReplay: true });
      assert.deepEqual(b.entries().map((e) => e.description), ['#1: comment "one"', '#1: comment "two"', '#1: comment "three"']);
      // Nothing has opened a tracker: connecting is enough for the timer to send them.
      b.connect(service.connection(ACME));
      const deadline = Date.now() + 5_000;
      while (service.comments.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      b.dispose();
      assert.deepEqual(service.comments.map((c) => c.text), ['one', 'two', 'three']);
    });

    it('records the attempt on disk before sending', async () => {
      const outbox = await connected();
      service.writeFaults = ['down'];
      await outbox.send(comment('#1', 'in flight'));
      let attemptsOnDisk = -1;
      const kinds = new Map(service.kinds().map((k) => [k.kind, k]));
      const comments = kinds.get('comment')!;
      kinds.set('comment', {
        ...comments,
        send: async (p, o, c) => {
          attemptsOnDisk = (JSON.parse(readFileSync(outbox.path, 'utf8').trim()) as { attempts: number }).attempts;
          return comments.send(p, o, c);
        },
      });
      const b = await open();
      b.connect({ ...service.connection(ACME), kinds: async () => kinds });
      assert.equal(await b.flush(), 1);
      assert.equal(attemptsOnDisk, 1);
    });

    it('a read that fails during replay (garbled, down) is retried with backoff and never fails the change', async () => {
      const outbox = await connected();
      service.writeFaults = ['down'];
      await outbox.send(comment('#1', 'patient'));
      for (const fault of ['garbled', 'down', 'garbled'] as const) {
        service.readFaults = [fault];
        assert.equal(await outbox.flush(), 0);
        const entry = outbox.entries()[0]!;
        assert.equal(entry.state, 'pending');
        assert.ok(entry.notBefore !== undefined, 'backing off');
      }
      assert.equal(outbox.entries()[0]!.attempts, 3);
      assert.equal(await outbox.flush(), 1);
      assert.deepEqual(service.comments.map((c) => c.text), ['patient']);
    });

    it('a change whose answer was lost during replay is found by the next one, not made twice', async () => {
      const outbox = await connected();
      service.writeFaults = ['down'];
      await outbox.send(comment('#1', 'once'));
      service.writeFaults = ['lose'];
      service.readFaults = ['none' as Fault, 'down'];
      assert.equal(await outbox.flush(), 0, 'made, but the look right after failed');
      assert.equal(await outbox.flush(), 1);
      assert.equal(service.comments.length, 1);
      assert.match(log.text, /sent "#1: comment "once"" \(it had already been made\)/);
    });

    it('stops a connection for the rest of a pass at a transient failure, keeps the order, honours Retry-After', async () => {
      const outbox = await connected();
      service.writeFaults = ['down', 'down'];
      await outbox.send(comment('#1', 'a'));
      await outbox.send(comment('#2', 'b'));
      service.writeFaults = ['limited'];
      assert.equal(await outbox.flush(), 0);
      assert.equal(service.log.filter((l) => l.startsWith('write')).length, 3, 'the second was not tried while the service refused');
      const [first, second] = outbox.entries();
      assert.ok(Date.parse(first!.notBefore!) - Date.now() > 50_000, 'Retry-After honoured');
      assert.equal(second!.attempts, 0);
      assert.equal(await outbox.flush(), 2);
      assert.deepEqual(service.comments.map((c) => c.text), ['a', 'b']);
    });

    it('a conflict is told at once with the fields and waits for the user; later changes to other fields of the item go on', async () => {
      const outbox = await connected();
      const settled: SettledWrite[] = [];
      outbox.onDidSettle((s) => settled.push(s));
      service.writeFaults = ['down', 'down', 'down'];
      await outbox.send(setField('#1', 'State', 'New', 'Active'));
      // (Queued behind the first without a request.)
      await outbox.send(setField('#1', 'State', 'New', 'Closed'));
      await outbox.send(setField('#1', 'Owner', null, 'alice'));
      await outbox.send(comment('#1', 'note'));
      service.fields.set('#1', { State: 'Removed' });
      assert.equal(await outbox.flush(), 2, 'the owner and the comment');
      assert.deepEqual(
        outbox.pending().map((e) => [e.description, e.state]),
        [
          ['#1: State → Active', 'conflict'],
          ['#1: State → Closed', 'pending'],
        ],
      );
      assert.deepEqual(settled.map((s) => s.outcome), ['conflict', 'applied', 'applied']);
      assert.deepEqual(settled[0]!.fields, [{ field: 'State', theirs: 'Removed', seen: 'New', yours: 'Active' }]);
      assert.equal(settled[0]!.url, 'https://example.test/#1');
      assert.equal(settled[0]!.where, 'GitHub acme/private-a (as alice@example.com)');
      // Flushing again does not overwrite it; the later change to the same field waits for the user.
      assert.equal(await outbox.flush(), 0);
      assert.equal(service.field('#1', 'State'), 'Removed');
      // "Overwrite with Mine": sent over theirs, then the user's later change builds on it.
      await outbox.resolve(outbox.pending()[0]!.id, 'overwrite');
      assert.equal(await outbox.flush(), 2);
      assert.equal(service.field('#1', 'State'), 'Closed');
    });

    it('a refusal is told at once, kept for the user, holds only later changes to the same field, and is sent again when asked', async () => {
      const outbox = await connected();
      const settled: SettledWrite[] = [];
      // What a listener reads of the change when it is told (the notification's choices come from its state).
      const statesSeen: (string | undefined)[] = [];
      outbox.onDidSettle((s) => {
        settled.push(s);
        statesSeen.push(outbox.pending().find((e) => e.id === s.id)?.state);
      });
      service.writeFaults = ['down', 'down'];
      await outbox.send(comment('#1', 'refused one'));
      await outbox.send(comment('#1', 'next one'));
      service.writeFaults = ['refuse'];
      assert.equal(await outbox.flush(), 1, 'the next comment is not stranded');
      assert.deepEqual(outbox.pending().map((e) => [e.state, e.lastError]), [['refused', 'The service refused comment refused one: TF401320 rule error.']]);
      assert.deepEqual(settled.map((s) => `${s.outcome}: ${s.message}`), ['refused: The service refused comment refused one: TF401320 rule error.', 'applied: #1: comment "next one": sent.']);
      assert.deepEqual(statesSeen, ['refused', undefined], 'told after the outbox holds the refusal, and after the sent one left it');
      await outbox.resolve(outbox.pending()[0]!.id, 'retry');
      assert.equal(await outbox.flush(), 1);
      assert.deepEqual(service.comments.map((c) => c.text).sort(), ['next one', 'refused one']);
    });

    it('a change for another repository, or queued as another account, waits and is listed; it is never sent here', async () => {
      const a = await connected(ACME);
      service.fields.set('#4', { State: 'New' });
      service.writeFaults = ['down', 'down'];
      await a.send(comment('#4', 'for acme only'));
      await a.send(setField('#4', 'State', 'New', 'Closed'));
      a.dispose();
      // Another window, connected to another repository (its settings chose it), shares the outbox file.
      const b = await connected(ATTACKER);
      assert.equal(await b.flush(), 0);
      assert.equal(service.comments.length, 0);
      assert.equal(service.log.filter((l) => l.startsWith('write')).length, 2, 'nothing written from this window');
      const listed = b.pending();
      assert.deepEqual(listed.map((e) => [e.where, e.state]), [
        ['GitHub acme/private-a (as alice@example.com)', 'pending'],
        ['GitHub acme/private-a (as alice@example.com)', 'pending'],
      ]);
      assert.match(listed[0]!.elsewhere ?? '', /goes to GitHub acme\/private-a \(as alice@example.com\) only, and this window is connected to GitHub attacker\/public-b/);
      b.dispose();
      // The right repository, another account: still waits.
      const c = await connected(ACME, 'mallory@example.com');
      assert.equal(await c.flush(), 0);
      assert.match(c.pending()[0]!.elsewhere ?? '', /asked for as alice@example.com, and this window is signed in as mallory@example.com/);
      c.dispose();
      // Back where it was asked for: sent.
      const d = await connected(ACME);
      assert.equal(await d.flush(), 2);
      assert.deepEqual(service.comments.map((c) => c.text), ['for acme only']);
      assert.equal(service.field('#4', 'State'), 'Closed');
    });

    it('reads entries an earlier version wrote: listed, never sent, and can be discarded', async () => {
      const old = { id: 'old-1', clientId: 'x', tracker: 'azureBoards', kind: 'addComment', payload: { id: 1, html: 'hi' }, target: 'azureBoards:1', description: 'AB#1: comment', createdAt: '2026-11-01T10:00:00.000Z', attempts: 2, state: 'failed', lastError: 'gone' };
      writeFileSync(path.join(dir, 'boards-outbox.jsonl'), `${JSON.stringify(old)}\n`);
      const outbox = await connected(ACME);
      assert.equal(await outbox.flush(), 0);
      const [entry] = outbox.pending();
      assert.deepEqual([entry?.state, entry?.where], ['refused', 'no recorded connection']);
      assert.match(entry?.elsewhere ?? '', /earlier version .* never sent; discard it/);
      assert.equal(service.log.length, 0);
      await outbox.discard('old-1');
      assert.equal(outbox.pending().length, 0);
    });

    it('a kind the connection cannot send is refused and told, not retried for ever', async () => {
      const outbox = await connected();
      service.writeFaults = ['down'];
      await outbox.send({ ...comment('#1', 'x') });
      const b = await open();
      b.connect({ ...service.connection(ACME), kinds: async () => new Map() });
      const settled: string[] = [];
      b.onDidSettle((s) => settled.push(s.outcome));
      assert.equal(await b.flush(), 0);
      assert.equal(b.pending()[0]!.state, 'refused');
      assert.deepEqual(settled, ['refused']);
    });

    it('a cancelled flush stops and keeps the rest', async () => {
      const outbox = await connected();
      service.writeFaults = ['down', 'down'];
      await outbox.send(comment('#1', 'k1'));
      await outbox.send(comment('#2', 'k2'));
      const controller = new AbortController();
      const kinds = new Map(service.kinds().map((k) => [k.kind, k]));
      const comments = kinds.get('comment')!;
      kinds.set('comment', { ...comments, send: async (p, o, c) => ((await comments.send(p, o, c)), controller.abort(), undefined) });
      const b = await open();
      b.connect({ ...service.connection(ACME), kinds: async () => kinds });
      await assert.rejects(b.flush(controller.signal), (e: unknown) => e instanceof DevOpsError && e.code === 'cancelled');
      assert.deepEqual(b.entries().map((e) => e.description), ['#2: comment "k2"']);
    });

    it('only one window replays at a time; each change is made once', async () => {
      const a = await connected();
      const b = await connected();
      service.writeFaults = Array.from({ length: 5 }, () => 'down' as const);
      for (let i = 0; i < 5; i++) await a.send(comment(`#${i}`, `r${i}`));
      const [sa, sb] = await Promise.all([a.flush(), b.flush()]);
      assert.equal(sa + sb, 5);
      assert.equal(service.comments.length, 5);
    });
  });

  describe('the file', () => {
    const queue = async (outbox: FileOutbox, text: string): Promise<void> => {
      service.writeFaults = ['down'];
      await outbox.send(comment('#1', text));
    };

    it('does not add a change twice for the same client id', async () => {
      const outbox = await connected();
      const request = comment('#1', 'same');
      service.writeFaults = ['down', 'down'];
      const first = await outbox.send(request);
      const second = await outbox.send({ ...request, touches: [] });
      assert.equal(first.kind === 'queued' && second.kind === 'queued' && first.outboxId === second.outboxId, true);
      assert.equal(outbox.entries().length, 1);
    });

    it('recovers from a damaged file: keeps the readable lines and a copy of the original', async () => {
      const a = await connected();
      await queue(a, 'good1');
      await queue(a, 'good2');
      a.dispose();
      const text = readFileSync(a.path, 'utf8').split('\n');
      writeFileSync(a.path, [text[0], '{"id": "half', '[1,2]', 'not json at all', text[1], ''].join('\n'));
      const b = await open();
      assert.deepEqual(b.entries().map((e) => e.description), ['#1: comment "good1"', '#1: comment "good2"']);
      assert.match(log.text, /3 unreadable line\(s\)/);
      assert.ok(readdirSync(dir).some((f) => f.includes('.damaged-')));
      const warned = log.lines.length;
      await open();
      assert.equal(log.lines.length, warned, 'the file was rewritten clean');
    });

    it('starts empty on an unreadable file of the wrong shape', async () => {
      writeFileSync(path.join(dir, 'boards-outbox.jsonl'), '\u0000\u0001garbage');
      const a = await connected();
      assert.equal(a.entries().length, 0);
      await queue(a, 'after');
      assert.equal((await open()).entries().length, 1);
    });

    it('opened in the background: made at once, its entries heard of once read, a change sent at once waits for the file', async () => {
      const a = await connected();
      await queue(a, 'queued before the restart');
      a.dispose();
      const { outbox, ready } = FileOutbox.openInBackground({ storageDir: dir, log, baseDelayMs: 1, maxDelayMs: 5, pollMs: 50 });
      assert.equal(outbox.pending().length, 0, 'nothing is read before activation has returned');
      let heard = 0;
      outbox.onDidChange(() => heard++);
      outbox.connect(service.connection(ACME));
      service.writeFaults = ['down'];
      const sent = outbox.send(comment('#1', 'asked for before the file was read'));
      assert.equal(await ready, outbox);
      assert.ok(heard >= 1, 'listeners hear when the entries arrive');
      assert.equal((await sent).kind, 'queued');
      assert.deepEqual(outbox.pending().map((e) => e.description), ['#1: comment "queued before the restart"', '#1: comment "asked for before the file was read"']);
    });

    it('a storage folder that cannot be made: ready, sends, choices and Send Now all say why, and nothing is written', async () => {
      const blocked = path.join(dir, 'not-a-folder');
      writeFileSync(blocked, 'a file where the storage folder should be');
      const { outbox, ready } = FileOutbox.openInBackground({ storageDir: blocked, log });
      outbox.connect(service.connection(ACME));
      const why = (e: unknown) => e instanceof DevOpsError && e.code === 'unavailable' && /outbox for remote changes could not be opened in .*not-a-folder/.test(e.message);
      await assert.rejects(ready, why);
      await assert.rejects(outbox.send(comment('#1', 'lost?')), why);
      await assert.rejects(outbox.discard('x'), why);
      await assert.rejects(outbox.flush(), why);
      assert.deepEqual(service.log, [], 'nothing was sent without its outbox');
      assert.equal(readFileSync(blocked, 'utf8'), 'a file where the storage folder should be');
    });

    it('two windows queueing at once lose nothing', async () => {
      const a = await connected();
      const b = await connected();
      service.writeFaults = Array.from({ length: 20 }, () => 'down' as const);
      await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).send(comment(`#${i}`, `w${i}`))));
      const c = await open();
      assert.equal(c.entries().length, 20);
      assert.equal(new Set(c.entries().map((e) => e.clientId)).size, 20);
    });
  });
});
