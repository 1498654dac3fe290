import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DevOpsError } from '../../../../src/core/errors';
import { type Harness, startHarness } from '../../sandbox/azureDevOps/harness';
import { makeTracker, type TrackerSetup } from './azureBoardsSetup';

const cancelled = (e: unknown): boolean => e instanceof DevOpsError && e.code === 'cancelled';

/**
 * The tree, the TODO lenses and @devops ask the tracker at once on start-up and share one load.
 * A caller that gives up (the view reloading aborts its previous load) must not cancel the load
 * for the callers still waiting: that left the Azure Boards view without items.
 */
describe('AzureBoardsTracker: a shared load outlives a caller that gives up', () => {
  let h: Harness;
  let dir: string;
  let s: TrackerSetup;

  beforeEach(async () => {
    h = await startHarness();
    h.server.latencyMs = 30;
    dir = mkdtempSync(path.join(tmpdir(), 'azure-boards-shared-'));
    s = await makeTracker(h, dir);
  });
  afterEach(async () => {
    s.tracker.dispose();
    s.outbox.dispose();
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('list: the first caller aborting gets "cancelled", the second still gets the items', async () => {
    const first = new AbortController();
    const second = new AbortController();
    const a = s.tracker.list('allOpen', { signal: first.signal });
    const b = s.tracker.list('allOpen', { signal: second.signal });
    first.abort();
    const [ra, rb] = await Promise.allSettled([a, b]);
    assert.ok(ra.status === 'rejected' && cancelled(ra.reason), `the first caller: ${ra.status}`);
    assert.ok(rb.status === 'fulfilled', `the second caller: ${rb.status === 'rejected' ? String(rb.reason) : ''}`);
    const snapshot = rb.value;
    assert.ok(snapshot.items.some((i) => i.title === 'Email the reset link'), snapshot.items.map((i) => i.title).join(', '));
    // One load served both: a single WIQL.
    assert.equal(h.server.requestsTo('wit.wiql').length, 1);
  });

  it('identity: the first caller aborting does not cancel the project read the second waits for', async () => {
    const first = new AbortController();
    const a = s.tracker.identity(first.signal);
    const b = s.tracker.identity(new AbortController().signal);
    first.abort();
    const [ra, rb] = await Promise.allSettled([a, b]);
    assert.ok(ra.status === 'rejected' && cancelled(ra.reason), `the first caller: ${ra.status}`);
    assert.ok(rb.status === 'fulfilled', `the second caller: ${rb.status === 'rejected' ? String(rb.reason) : ''}`);
    assert.equal(rb.value.me, 'Sandbox User');
  });

  it('a caller that aborts alone still stops waiting at once, and the next caller is served', async () => {
    const only = new AbortController();
    const a = s.tracker.list('assignedToMe', { signal: only.signal });
    only.abort();
    await assert.rejects(a, cancelled);
    const later = await s.tracker.list('assignedToMe');
    assert.ok(later.items.length > 0);
  });

  it('a caller whose signal is already aborted is refused before any request', async () => {
    const gone = AbortSignal.abort();
    await assert.rejects(s.tracker.list('allOpen', { signal: gone }), cancelled);
    await assert.rejects(s.tracker.identity(gone), cancelled);
  });
});
