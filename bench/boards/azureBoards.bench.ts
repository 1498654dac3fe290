/**
 * What reading Azure Boards through our provider costs, against the same reads through
 * azure-devops-node-api called directly. Run:
 * `npx tsx bench/boards/azureBoards.bench.ts [openItems=10000] [latencyMs=20] [rounds=3] [concurrency=8]`.
 *
 * The Azure DevOps stand-in on loopback with `latencyMs` added to every request, grown to
 * `openItems` open work items (growOpenWorkItems, as the large bench and the paging tests grow it:
 * Features with 49 Tasks). Side by side, interleaved rounds, medians, and the requests each made:
 *   load:ours          AzureBoardsTracker.list('allOpen') on an empty cache: WIQL, batches of 200
 *                      under the bulkhead, validated, mapped, written to disk (discovery included)
 *   load:node-api      the same WIQL pages and batches with azure-devops-node-api directly (nodeApiLoad.ts,
 *                      shared with the large bench), same concurrency, no validation or cache (the floor)
 *   refresh:nochange   refresh() when nothing changed (goal: one request)
 *   list:fromDisk      a new tracker instance answering list('allOpen') from the cache file (no request)
 * and the ideal wall time: requests / concurrency × latency.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAzureBoardsTracker } from '../../src/providers/boards/azureBoards';
import { FileOutbox } from '../../src/providers/boards/outbox/fileOutbox';
import { AZURE_DEVOPS_SERVICE, AzureDevOpsState, createAzureDevOpsMount } from '../../src/sandbox/azureDevOps';
import { growOpenWorkItems } from '../../src/sandbox/azureDevOps/state/grow';
import { SandboxServer } from '../../src/sandbox/http/server';
import { SANDBOX_CREDENTIALS, SANDBOX_ORGANIZATION, SANDBOX_PROJECT } from '../../src/sandbox/identity';
import { nodeApiLoad } from './nodeApiLoad';

const now = new Date('2026-03-18T10:00:00Z');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const quiet = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

async function main(): Promise<void> {
  const openItems = Number(process.argv[2] ?? 10_000);
  const latencyMs = Number(process.argv[3] ?? 20);
  const rounds = Number(process.argv[4] ?? 3);
  const concurrency = Number(process.argv[5] ?? 8);
  const state = AzureDevOpsState.demo(now, { clock: () => now });
  growOpenWorkItems(state, openItems);
  const server = new SandboxServer();
  server.maxLogEntries = 100_000;
  server.mount(createAzureDevOpsMount(state));
  await server.start();
  server.latencyMs = latencyMs;
  const orgUrl = `${server.urlOf(AZURE_DEVOPS_SERVICE)}/${SANDBOX_ORGANIZATION}`;
  const endpoint = { organizationUrl: orgUrl, project: SANDBOX_PROJECT, team: `${SANDBOX_PROJECT} Team` };
  const credential = async () => ({ kind: 'pat' as const, value: SANDBOX_CREDENTIALS.azureDevOpsPat, source: 'sandbox' as const });

  const samples: Record<string, number[]> = { 'load:ours': [], 'load:node-api': [], 'refresh:nochange': [], 'list:fromDisk': [] };
  const requests: Record<string, string> = {};
  let loaded = 0;

  const routeCounts = (from: number): string => {
    const counts = new Map<string, number>();
    for (const r of server.requests.slice(from)) counts.set(r.route ?? '?', (counts.get(r.route ?? '?') ?? 0) + 1);
    return [...counts].map(([k, v]) => `${k}=${v}`).join(' ');
  };

  for (let round = 0; round < rounds; round++) {
    // ours
    const dir = await mkdtemp(path.join(tmpdir(), 'ab-bench-'));
    const outbox = await FileOutbox.open({ storageDir: dir, log: quiet });
    const tracker = createAzureBoardsTracker({ endpoint, credential, log: quiet, storageDir: dir, cacheTtlSeconds: 600, outbox, concurrency });
    let from = server.requests.length;
    let start = performance.now();
    const snapshot = await tracker.list('allOpen');
    samples['load:ours']!.push(performance.now() - start);
    requests['load:ours'] = `${server.requests.length - from} (${routeCounts(from)})`;
    loaded = snapshot.items.length;

    from = server.requests.length;
    start = performance.now();
    const quietRefresh = await tracker.refresh();
    samples['refresh:nochange']!.push(performance.now() - start);
    requests['refresh:nochange'] = `${server.requests.length - from} (tracker counted ${quietRefresh.requests}, changed ${quietRefresh.changed})`;
    tracker.dispose();

    const again = createAzureBoardsTracker({ endpoint, credential, log: quiet, storageDir: dir, cacheTtlSeconds: 600, outbox, concurrency });
    from = server.requests.length;
    start = performance.now();
    const fromDisk = await again.list('allOpen');
    samples['list:fromDisk']!.push(performance.now() - start);
    requests['list:fromDisk'] = `${server.requests.length - from} (${fromDisk.items.length} items)`;
    again.dispose();
    outbox.dispose();
    await rm(dir, { recursive: true, force: true });

    // azure-devops-node-api directly
    from = server.requests.length;
    start = performance.now();
    const { fetched } = await nodeApiLoad({ url: orgUrl, concurrency, pages: 'all' });
    samples['load:node-api']!.push(performance.now() - start);
    requests['load:node-api'] = `${server.requests.length - from} (${routeCounts(from)}; ${fetched} items)`;
  }
  await server.stop();

  console.log(`Open work items: ${loaded} (asked for ${openItems}); latency ${latencyMs} ms a request; concurrency ${concurrency}; ${rounds} interleaved rounds, medians`);
  for (const [name, xs] of Object.entries(samples)) console.log(`${name.padEnd(18)} median ${median(xs).toFixed(0).padStart(6)} ms   requests ${requests[name]}`);
  const batches = Math.ceil(loaded / 200);
  const ideal = (1 + Math.ceil(batches / concurrency)) * latencyMs;
  console.log(`ideal load (1 WIQL + ${batches} batches / ${concurrency} at a time × ${latencyMs} ms): ${ideal} ms`);
  console.log(`load:ours / load:node-api = ${(median(samples['load:ours']!) / median(samples['load:node-api']!)).toFixed(2)}x`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
