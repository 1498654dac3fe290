/**
 * What reading Azure Boards through our provider costs, against the same reads through
 * azure-devops-node-api called directly. Run:
 * `npx tsx bench/boards/azureBoards.bench.ts [openItems=10000] [latencyMs=20] [rounds=3] [concurrency=8]`.
 *
 * The Azure DevOps stand-in on loopback with `latencyMs` added to every request, grown to
 * `openItems` open work items. Side by side, interleaved rounds, medians, and the requests each made:
 *   load:ours          AzureBoardsTracker.list('allOpen') on an empty cache: WIQL, batches of 200
 *                      under the bulkhead, validated, mapped, written to disk (discovery included)
 *   load:node-api      the same WIQL and batches with azure-devops-node-api directly, same concurrency,
 *                      no validation or cache (the floor)
 *   refresh:nochange   refresh() when nothing changed (goal: one request)
 *   list:fromDisk      a new tracker instance answering list('allOpen') from the cache file (no request)
 * and the ideal wall time: requests / concurrency × latency.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as azdev from 'azure-devops-node-api';
import { WorkItemErrorPolicy, WorkItemExpand } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces';
import { createAzureBoardsTracker } from '../../src/providers/boards/azureBoards';
import { FileOutbox } from '../../src/providers/boards/outbox/fileOutbox';
import { AZURE_DEVOPS_SERVICE, AzureDevOpsState, createAzureDevOpsMount } from '../../src/sandbox/azureDevOps';
import { type WorkItemRecord } from '../../src/sandbox/azureDevOps/state/model';
import { SandboxServer } from '../../src/sandbox/http/server';
import { SANDBOX_CREDENTIALS, SANDBOX_ORGANIZATION, SANDBOX_PROJECT } from '../../src/sandbox/identity';

const now = new Date('2026-03-18T10:00:00Z');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const quiet = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const OPEN_QUERY = "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.State] NOT IN ('Closed', 'Removed') ORDER BY [System.Id]";

/** Adds open tasks until the project has `open` open items. */
function grow(state: AzureDevOpsState, open: number): void {
  const isOpen = (w: WorkItemRecord) => !['Closed', 'Removed'].includes(String(w.fields['System.State']));
  const template = state.doc.workItems.find((w) => w.fields['System.WorkItemType'] === 'Task' && isOpen(w)) as WorkItemRecord;
  const have = state.doc.workItems.filter(isOpen).length;
  const states = ['New', 'Active'];
  for (let i = 0; i < open - have; i++) {
    const id = 100_000 + i;
    state.doc.workItems.push({
      ...template,
      id,
      fields: { ...template.fields, 'System.Id': id, 'System.Title': `Generated task ${i}`, 'System.State': states[i % 2] ?? 'New', 'System.Rev': 1 },
      relations: [],
      updates: [],
      comments: [],
    });
  }
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function main(): Promise<void> {
  const openItems = Number(process.argv[2] ?? 10_000);
  const latencyMs = Number(process.argv[3] ?? 20);
  const rounds = Number(process.argv[4] ?? 3);
  const concurrency = Number(process.argv[5] ?? 8);
  const state = AzureDevOpsState.demo(now, { clock: () => now });
  grow(state, openItems);
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
    const web = new azdev.WebApi(orgUrl, azdev.getPersonalAccessTokenHandler(SANDBOX_CREDENTIALS.azureDevOpsPat));
    const wit = await web.getWorkItemTrackingApi();
    const result = await wit.queryByWiql({ query: OPEN_QUERY }, { project: SANDBOX_PROJECT, team: endpoint.team }, true, 20_000);
    const ids = (result.workItems ?? []).map((w) => w.id!);
    const chunks: number[][] = [];
    for (let i = 0; i < ids.length; i += 200) chunks.push(ids.slice(i, i + 200));
    let fetched = 0;
    await pool(chunks, concurrency, async (chunk) => {
      const batch = await wit.getWorkItemsBatch({ ids: chunk, $expand: WorkItemExpand.Relations, errorPolicy: WorkItemErrorPolicy.Omit }, SANDBOX_PROJECT);
      fetched += batch.length;
    });
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
