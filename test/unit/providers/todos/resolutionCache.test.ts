import { strict as assert } from 'node:assert';
import { DevOpsError } from '../../../../src/core/errors';
import { type WorkItemReference } from '../../../../src/core/todo/references';
import { type Resolution } from '../../../../src/core/todo/workItemResolver';
import { ResolutionCache } from '../../../../src/providers/todos/resolutionCache';
import { FakeWorkItemResolver, workItem } from '../../core/todo/fakeWorkItemResolver';
import { FakeLogger } from '../../fakes/fakeLogger';

const ab = (id: number): WorkItemReference => ({ tracker: 'azureBoards', id });

describe('work item resolution cache', () => {
  it('batches what lenses ask for into one resolve call and answers from memory after', async () => {
    const resolver = new FakeWorkItemResolver().add(workItem({ id: 1, title: 'One' }));
    resolver.deleted.add('AB#2');
    const cache = new ResolutionCache(resolver, new FakeLogger(), 5);
    let changes = 0;
    cache.onDidChange(() => changes++);
    cache.want([ab(1), ab(2)]);
    cache.want([ab(1), ab(3)]);
    await cache.flush();
    cache.want([ab(1), ab(2), ab(3)]);
    await cache.flush();
    assert.equal(resolver.count('resolve'), 1);
    assert.deepEqual(resolver.calls[0]!.args, ['AB#1', 'AB#2', 'AB#3']);
    assert.equal(cache.get(ab(1))?.kind, 'found');
    assert.equal(cache.get(ab(2))?.kind, 'deleted');
    assert.equal(cache.get(ab(3))?.kind, 'notFound');
    assert.equal(changes, 1);
    cache.dispose();
  });

  it('asks again after the tracker reports a change', async () => {
    const resolver = new FakeWorkItemResolver().add(workItem({ id: 1, state: 'Active' }));
    const cache = new ResolutionCache(resolver, new FakeLogger(), 5);
    cache.want([ab(1)]);
    await cache.flush();
    resolver.add(workItem({ id: 1, state: 'Done' }));
    resolver.fireChange();
    assert.equal(cache.get(ab(1)), undefined);
    cache.want([ab(1)]);
    await cache.flush();
    const r = cache.get(ab(1));
    assert.equal(r?.kind === 'found' ? r.item.state : '', 'Done');
    cache.dispose();
  });

  it('turns a failed or incomplete resolve into per-item errors, never a throw', async () => {
    const failing = new (class extends FakeWorkItemResolver {
      override async resolve(): Promise<ReadonlyMap<string, Resolution>> {
        throw new DevOpsError('unavailable', 'Azure DevOps answered 503.');
      }
    })();
    const log = new FakeLogger();
    const cache = new ResolutionCache(failing, log, 5);
    cache.want([ab(1)]);
    await cache.flush();
    const r = cache.get(ab(1));
    assert.equal(r?.kind === 'error' ? r.error.code : '', 'unavailable');
    assert.match(log.text, /503/);

    const partial = new (class extends FakeWorkItemResolver {
      override async resolve(): Promise<ReadonlyMap<string, Resolution>> {
        return new Map();
      }
    })();
    const cache2 = new ResolutionCache(partial, log, 5);
    cache2.want([ab(4)]);
    await cache2.flush();
    const r2 = cache2.get(ab(4));
    assert.equal(r2?.kind === 'error' ? r2.error.code : '', 'badResponse');
    cache.dispose();
    cache2.dispose();
  });

  it('drops an answer that arrives after a refresh', async () => {
    let release: (() => void) | undefined;
    const slow = new (class extends FakeWorkItemResolver {
      override async resolve(refs: readonly WorkItemReference[]): Promise<ReadonlyMap<string, Resolution>> {
        await new Promise<void>((r) => (release = r));
        return super.resolve(refs);
      }
    })().add(workItem({ id: 1 }));
    const cache = new ResolutionCache(slow, new FakeLogger(), 5);
    cache.want([ab(1)]);
    const pending = cache.flush();
    await new Promise((r) => setImmediate(r));
    cache.clear();
    release?.();
    await pending;
    assert.equal(cache.get(ab(1)), undefined);
    cache.dispose();
  });
});
