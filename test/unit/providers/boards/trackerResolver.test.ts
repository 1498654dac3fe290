import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Operation } from 'azure-devops-node-api/interfaces/common/VSSInterfaces';
import { type WorkTracker } from '../../../../src/core/boards/workTracker';
import { DevOpsError } from '../../../../src/core/errors';
import { referenceKey, type WorkItemReference } from '../../../../src/core/todo/references';
import { type WorkItem } from '../../../../src/core/workItem';
import { createTrackerResolver } from '../../../../src/providers/boards/trackerResolver';
import { AzureDevOpsState } from '../../../../src/sandbox/azureDevOps';
import { SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { workItem } from '../../core/todo/fakeWorkItemResolver';
import { FakeLogger } from '../../fakes/fakeLogger';
import { DEMO_NOW, type Harness, startHarness } from '../../sandbox/azureDevOps/harness';
import { makeTracker, type TrackerSetup } from './azureBoardsSetup';

/** A GitHub tracker held in memory: only routing and mapping are checked through it. */
function memoryGitHub(items: WorkItem[]): WorkTracker & { gets: number[][] } {
  const gets: number[][] = [];
  const byId = new Map(items.map((i) => [i.id, i]));
  const unsupported = (): never => {
    throw new Error('not used by the resolver');
  };
  return {
    gets,
    identity: async () => ({ kind: 'github', label: 'GitHub (contoso/contoso-web)', me: 'octo' }),
    list: async () => ({ items, syncedAt: undefined, stale: false }),
    refresh: async () => ({ changed: 0, requests: 0 }),
    get: async (ids) => {
      gets.push([...ids]);
      return new Map(ids.map((id) => [id, byId.get(id) ?? new DevOpsError('notFound', `#${id} not found`)]));
    },
    childTypes: unsupported,
    allowedStates: unsupported,
    changeState: unsupported,
    assignToMe: unsupported,
    addComment: unsupported,
    create: unsupported,
    linkBranch: unsupported,
    onDidChange: () => ({ dispose: () => undefined }),
  };
}

describe('TrackerResolver over Azure Boards (stand-in) and GitHub', () => {
  let h: Harness;
  let dir: string;
  let s: TrackerSetup;

  beforeEach(async () => {
    h = await startHarness();
    dir = mkdtempSync(path.join(tmpdir(), 'resolver-'));
    s = await makeTracker(h, dir);
  });
  afterEach(async () => {
    s.tracker.dispose();
    s.outbox.dispose();
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const resolver = (github?: WorkTracker) =>
    createTrackerResolver({
      azureBoards: { tracker: async () => s.tracker, project: SANDBOX_PROJECT },
      ...(github ? { github: { tracker: async () => github, repository: 'contoso/contoso-web' } } : {}),
      log: new FakeLogger(),
    });

  it('resolves Azure and GitHub references in one get per tracker; a missing Azure id is deleted', async () => {
    const gh = memoryGitHub([workItem({ id: 45, tracker: 'github', repository: 'contoso/contoso-web', title: 'Flaky test', state: 'open' })]);
    const r = resolver(gh);
    const refs: WorkItemReference[] = [
      { tracker: 'azureBoards', id: 1 },
      { tracker: 'azureBoards', id: 2 },
      { tracker: 'azureBoards', id: 1 },
      { tracker: 'azureBoards', id: 99_999 },
      { tracker: 'github', id: 45, owner: 'contoso', repo: 'contoso-web' },
      { tracker: 'github', id: 46 },
      { tracker: 'github', id: 7, owner: 'someone', repo: 'else' },
      { tracker: 'azureBoards', id: 3, organization: 'other', project: 'Other Project' },
    ];
    const result = await r.resolve(refs);
    assert.equal(result.get('AB#1')?.kind, 'found');
    assert.equal(result.get('AB#2')?.kind, 'found');
    assert.equal(result.get('AB#99999')?.kind, 'notFound', 'a 404 is the same for a typo and a deleted item: not found, not stale');
    const gh45 = result.get('contoso/contoso-web#45');
    assert.equal(gh45?.kind === 'found' && gh45.item.title, 'Flaky test');
    assert.equal(result.get('GH#46')?.kind, 'notFound');
    const elsewhere = result.get('someone/else#7');
    assert.ok(elsewhere?.kind === 'error' && /another repository/.test(elsewhere.error.message));
    const otherProject = result.get(referenceKey(refs[7]!));
    assert.ok(otherProject?.kind === 'error' && /Other Project/.test(otherProject.error.message));
    assert.equal(h.server.requestsTo('wit.workItemsBatch').length, 1, 'one batch for every Azure id');
    assert.deepEqual(gh.gets, [[45, 46]]);
  });

  it('asks for 450 ids in three requests of at most 200', async () => {
    const state = AzureDevOpsState.demo(DEMO_NOW);
    await h.stop();
    h = await startHarness(state);
    s = await makeTracker(h, dir);
    const wit = await h.api().getWorkItemTrackingApi();
    const created: number[] = [];
    for (let i = 0; i < 20; i++) {
      const item = await wit.createWorkItem(null, [{ op: Operation.Add, path: '/fields/System.Title', value: `Bulk ${i}` }], SANDBOX_PROJECT, 'Task');
      created.push(item.id!);
    }
    const ids = Array.from({ length: 450 }, (_, i) => i + 1);
    const result = await resolver().resolve(ids.map((id) => ({ tracker: 'azureBoards', id }) as const));
    const batches = h.server.requestsTo('wit.workItemsBatch');
    assert.equal(batches.length, 3);
    assert.equal(result.size, 450);
    assert.ok(created.every((id) => result.get(`AB#${id}`)?.kind === 'found'));
    assert.equal([...result.values()].filter((v) => v.kind === 'found').length, created.at(-1));
  });

  it('turns a failing service into an error per item, and cancellation into a rejection', async () => {
    h.server.faults.add({ route: 'wit.workItemsBatch', kind: 'status', status: 403, times: 1 });
    const result = await resolver().resolve([{ tracker: 'azureBoards', id: 1 }, { tracker: 'azureBoards', id: 2 }]);
    assert.ok([...result.values()].every((v) => v.kind === 'error' && v.error.code === 'forbidden'));
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(resolver().resolve([{ tracker: 'azureBoards', id: 5 }], controller.signal), (e: unknown) => e instanceof DevOpsError && e.code === 'cancelled');
  });

  it('answers notConfigured for a tracker that is not set up, and lists the trackers', async () => {
    const result = await resolver().resolve([{ tracker: 'github', id: 4 }]);
    const gh = result.get('GH#4');
    assert.ok(gh?.kind === 'error' && gh.error.code === 'notConfigured');
    const choices = await resolver(memoryGitHub([])).trackers();
    assert.deepEqual(
      choices.map((c) => [c.tracker, c.available]),
      [
        ['azureBoards', true],
        ['github', true],
      ],
    );
    assert.match(choices[0]!.label, /Azure Boards \(sandbox-org\/Contoso Web\)/);
    const broken = createTrackerResolver({ azureBoards: { tracker: async () => Promise.reject(new DevOpsError('unauthorized', 'Sign in again.')) }, log: new FakeLogger() });
    assert.deepEqual(await broken.trackers(), [{ tracker: 'azureBoards', label: 'Azure Boards', available: false, reason: 'Sign in again.' }]);
  });

  it('creates a Task from a TODO and finds it by title afterwards; a queued create says so', async () => {
    const r = resolver();
    const reference = await r.create({ tracker: 'azureBoards', title: 'Handle expired reset tokens', description: 'TODO in src/reset.ts:40', relativePath: 'src/reset.ts', line: 40, clientRequestId: 'todo-1' });
    assert.equal(reference.tracker, 'azureBoards');
    const found = await r.findOpenByTitle('azureBoards', '  handle EXPIRED reset tokens ');
    assert.deepEqual(found, reference);
    assert.equal(await r.findOpenByTitle('azureBoards', 'No such title anywhere'), undefined);

    h.server.faults.add({ route: 'wit.workItems.create', kind: 'status', status: 503, times: 1 });
    await assert.rejects(
      r.create({ tracker: 'azureBoards', title: 'Queued from TODO', description: 'x', relativePath: 'a.ts', line: 1, clientRequestId: 'todo-2' }),
      (e: unknown) => e instanceof DevOpsError && e.code === 'unavailable' && /queued/.test(e.message),
    );
    assert.equal(await s.outbox.flush(), 1);
    await s.tracker.refresh();
    assert.ok(await r.findOpenByTitle('azureBoards', 'Queued from TODO'));
  });

  it('fires onDidChange when a tracker changes', async () => {
    const r = resolver();
    let fired = 0;
    r.onDidChange(() => fired++);
    await r.resolve([{ tracker: 'azureBoards', id: 1 }]);
    const [item] = (await s.tracker.get([1])).values();
    await s.tracker.addComment(item as WorkItem, 'Linked from a TODO.');
    assert.ok(fired >= 1);
  });
});
