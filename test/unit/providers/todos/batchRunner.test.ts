import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DevOpsError } from '../../../../src/core/errors';
import { type BatchJournal } from '../../../../src/core/todo/batchJournal';
import { planBatch, type PlanEntry } from '../../../../src/core/todo/batchPlan';
import { formatReference, type WorkItemReference } from '../../../../src/core/todo/references';
import { type LocatedTodo } from '../../../../src/core/todo/todoGroups';
import { compileTodoMatcher, parseTodosForLanguage } from '../../../../src/core/todo/todoParser';
import { FileBatchJournalStore } from '../../../../src/providers/todos/batchJournalStore';
import { type BatchJournalStore, runBatch } from '../../../../src/providers/todos/batchRunner';
import { TrackerResolver } from '../../../../src/providers/boards/trackerResolver';
import { FakeWorkItemResolver, workItem } from '../../core/todo/fakeWorkItemResolver';
import { FakeLogger } from '../../fakes/fakeLogger';

const matcher = compileTodoMatcher(['TODO'], { defaultTracker: 'azureBoards', patterns: [] });

class MemoryStore implements BatchJournalStore {
  journal: BatchJournal | undefined;
  saves = 0;
  async load(): Promise<BatchJournal | undefined> {
    return this.journal === undefined ? undefined : structuredClone(this.journal);
  }
  async save(journal: BatchJournal): Promise<void> {
    this.saves++;
    this.journal = structuredClone(journal);
  }
  async clear(): Promise<void> {
    this.journal = undefined;
  }
}

/** Files as text, and a write-back that edits them the way the editor would. */
class Files {
  constructor(readonly text: Map<string, string>) {}
  todos(): LocatedTodo[] {
    return [...this.text].flatMap(([relativePath, source]) => parseTodosForLanguage(source, 'typescript', matcher).map((todo) => ({ file: `/w/${relativePath}`, relativePath, todo })));
  }
  writeBack = {
    write: async (entry: PlanEntry, reference: WorkItemReference): Promise<boolean> => {
      const source = this.text.get(entry.located.relativePath);
      if (source === undefined) return false;
      const lines = source.split('\n');
      const todo = parseTodosForLanguage(source, 'typescript', matcher).find((t) => t.references.length === 0 && t.title === entry.located.todo.title);
      if (todo === undefined) return false;
      const line = lines[todo.line]!;
      lines[todo.line] = `${line.slice(0, todo.insertAt.character)} ${formatReference(reference)}${line.slice(todo.insertAt.character)}`;
      this.text.set(entry.located.relativePath, lines.join('\n'));
      return true;
    },
  };
}

let ids = 0;
const newId = (): string => `client-${++ids}`;

function setup(sources: Record<string, string>) {
  const files = new Files(new Map(Object.entries(sources)));
  const all = files.todos();
  const plan = planBatch(all.filter((t) => t.todo.references.length === 0), all.filter((t) => t.todo.references.length > 0), undefined);
  return { files, plan };
}

describe('batch creation of work items for unlinked TODOs', () => {
  it('creates one at a time, writes every id back, shares twins, skips open duplicates, and clears its journal', async () => {
    const { files, plan } = setup({ 'a.ts': '// TODO one\n// TODO two\n// TODO one', 'b.ts': '// TODO already tracked' });
    const resolver = new FakeWorkItemResolver().add(workItem({ id: 50, title: 'already tracked', state: 'Active' }));
    const store = new MemoryStore();
    const progress: string[] = [];
    const run = await runBatch({ entries: plan, tracker: 'azureBoards', resolver, store, writeBack: files.writeBack, describe: async (e) => `about ${e.title}`, newId, progress: (d, t) => progress.push(`${d}/${t}`) });
    assert.equal(run.complete, true);
    assert.deepEqual(run.outcomes.map((o) => o.result), ['created', 'created', 'sameAs', 'skipped']);
    assert.equal(files.text.get('a.ts'), '// TODO AB#1000 one\n// TODO AB#1001 two\n// TODO AB#1000 one');
    assert.equal(files.text.get('b.ts'), '// TODO already tracked');
    assert.equal(resolver.count('create'), 2);
    assert.equal(store.journal, undefined);
    assert.deepEqual(progress, ['0/4', '1/4', '2/4', '3/4', '4/4']);
    const request = resolver.calls.find((c) => c.method === 'create')!.args as { description: string; clientRequestId: string; relativePath: string };
    assert.equal(request.description, 'about one');
    assert.equal(request.relativePath, 'a.ts');
  });

  it('resumes after a crash between create and write-back without creating again', async () => {
    const { files, plan } = setup({ 'a.ts': '// TODO one\n// TODO two' });
    const resolver = new FakeWorkItemResolver();
    const store = new MemoryStore();
    resolver.afterCreate = (reference) => {
      if (reference.id === 1001) throw new Error('window closed');
    };
    const first = await runBatch({ entries: plan, tracker: 'azureBoards', resolver, store, writeBack: files.writeBack, describe: async () => '', newId });
    assert.equal(first.complete, false);
    assert.equal(files.text.get('a.ts'), '// TODO AB#1000 one\n// TODO two');
    assert.deepEqual(store.journal?.entries.map((e) => e.state), ['written', 'pending']);

    // The tracker did create #1001 before the crash: the resumed batch finds it by title and links it.
    resolver.afterCreate = undefined;
    const again = files.todos();
    const resumedPlan = planBatch(again.filter((t) => t.todo.references.length === 0), again.filter((t) => t.todo.references.length > 0), await store.load());
    const second = await runBatch({ entries: resumedPlan, tracker: 'azureBoards', resolver, store, writeBack: files.writeBack, describe: async () => '', newId });
    assert.equal(second.complete, true);
    assert.deepEqual(second.outcomes.map((o) => o.result), ['linkedExisting']);
    assert.equal(files.text.get('a.ts'), '// TODO AB#1000 one\n// TODO AB#1001 two');
    assert.equal(resolver.count('create'), 2);
    assert.equal(store.journal, undefined);
  });

  it('writes back what was created when only the write-back was lost', async () => {
    const { files, plan } = setup({ 'a.ts': '// TODO one' });
    const resolver = new FakeWorkItemResolver();
    const store = new MemoryStore();
    let failWrite = true;
    const flaky = { write: async (e: PlanEntry, r: WorkItemReference) => (failWrite ? Promise.reject(new Error('editor went away')) : files.writeBack.write(e, r)) };
    const first = await runBatch({ entries: plan, tracker: 'azureBoards', resolver, store, writeBack: flaky, describe: async () => '', newId });
    assert.equal(first.complete, false);
    assert.deepEqual(store.journal?.entries.map((e) => e.state), ['created']);
    failWrite = false;
    const resumedPlan = planBatch(files.todos(), [], await store.load());
    assert.equal(resumedPlan[0]!.decision.kind, 'resume');
    const second = await runBatch({ entries: resumedPlan, tracker: 'azureBoards', resolver, store, writeBack: flaky, describe: async () => '', newId });
    assert.deepEqual(second.outcomes.map((o) => o.result), ['resumed']);
    assert.equal(files.text.get('a.ts'), '// TODO AB#1000 one');
    assert.equal(resolver.count('create'), 1);
  });

  it('stops on a rate limit or sign-out and keeps its place; skips only the item the tracker refuses', async () => {
    const { files, plan } = setup({ 'a.ts': '// TODO one\n// TODO two\n// TODO three' });
    const resolver = new FakeWorkItemResolver();
    resolver.createFailures = [new DevOpsError('invalidInput', 'Title not allowed.'), undefined, new DevOpsError('rateLimited', 'Slow down.', { retryAfterMs: 60_000 })];
    const store = new MemoryStore();
    const run = await runBatch({ entries: plan, tracker: 'github', resolver, store, writeBack: files.writeBack, describe: async () => '', newId });
    assert.equal(run.complete, false);
    assert.equal(run.stoppedBecause?.code, 'rateLimited');
    assert.deepEqual(run.outcomes.map((o) => o.result), ['failed', 'created', 'failed']);
    assert.equal(files.text.get('a.ts'), '// TODO one\n// TODO contoso/web#1000 two\n// TODO three');
    assert.deepEqual(store.journal?.entries.map((e) => [e.title, e.state]), [['two', 'written'], ['three', 'pending']]);
  });

  it('stops when cancelled, before or during a create', async () => {
    const { files, plan } = setup({ 'a.ts': '// TODO one\n// TODO two' });
    const resolver = new FakeWorkItemResolver();
    const controller = new AbortController();
    resolver.afterCreate = () => controller.abort();
    const run = await runBatch({ entries: plan, tracker: 'azureBoards', resolver, store: new MemoryStore(), writeBack: files.writeBack, describe: async () => '', newId, signal: controller.signal });
    assert.equal(run.stoppedBecause?.code, 'cancelled');
    assert.equal(resolver.count('create'), 1);
  });

  it('reports a TODO that vanished before its id could be written', async () => {
    const { plan } = setup({ 'a.ts': '// TODO one' });
    const resolver = new FakeWorkItemResolver();
    const run = await runBatch({ entries: plan, tracker: 'azureBoards', resolver, store: new MemoryStore(), writeBack: { write: async () => false }, describe: async () => '', newId });
    assert.equal(run.outcomes[0]!.result, 'notWritten');
    assert.match(run.outcomes[0]!.message ?? '', /AB#1000 was created but the TODO is no longer in a.ts/);
  });

  it('fails honestly when no tracker is connected', async () => {
    const { files, plan } = setup({ 'a.ts': '// TODO one' });
    // The extension's resolver with no tracker configured.
    const resolver = new TrackerResolver({ log: new FakeLogger() });
    const run = await runBatch({ entries: plan, tracker: 'azureBoards', resolver, store: new MemoryStore(), writeBack: files.writeBack, describe: async () => '', newId });
    assert.equal(run.stoppedBecause?.code, 'notConfigured');
    assert.match(run.stoppedBecause?.message ?? '', /Azure Boards is not connected\. Sign in/);
    const resolutions = await resolver.resolve([{ tracker: 'github', id: 3 }]);
    const only = [...resolutions.values()][0];
    assert.equal(only?.kind === 'error' ? only.error.code : '', 'notConfigured');
    // Nothing to offer: the Create commands then say how to connect one.
    assert.deepEqual(await resolver.trackers(), []);
  });
});

describe('batch journal on disk', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'todo-journal-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('saves atomically, loads, clears, and moves a damaged file aside', async () => {
    const log = new FakeLogger();
    const store = new FileBatchJournalStore(dir, '/work/space', log);
    assert.equal(await store.load(), undefined);
    const journal: BatchJournal = { version: 1, batchId: 'b', tracker: 'azureBoards', startedAt: '2025-01-01T00:00:00.000Z', entries: [] };
    await store.save(journal);
    assert.deepEqual(await store.load(), journal);
    assert.deepEqual(readdirSync(path.dirname(store.path)), [path.basename(store.path)]);
    writeFileSync(store.path, '{"version": 1, "batch');
    assert.equal(await store.load(), undefined);
    assert.match(log.text, /unreadable/);
    assert.ok(readdirSync(path.dirname(store.path)).some((f) => f.includes('.damaged-')));
    await store.save(journal);
    await store.clear();
    assert.equal(await store.load(), undefined);
    assert.ok(readdirSync(path.dirname(store.path)).every((f) => f.includes('.damaged-')));
    assert.equal(readFileSync(path.join(path.dirname(store.path), readdirSync(path.dirname(store.path))[0]!), 'utf8'), '{"version": 1, "batch');
  });
});
