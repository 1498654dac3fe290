/**
 * What the Azure DevOps stand-in's WIQL and work item batch cost. Run: `npx tsx bench/azureDevOps/wiql.bench.ts`.
 *
 * Side by side, interleaved rounds, medians:
 *   wiql                 runWiql on a flat query (AND, IN, <>, ORDER BY two columns) over N work items
 *   baseline:filterSort  the same predicate and order written as Array.filter + sort (the floor)
 *   batch200:client      200 work items through azure-devops-node-api's getWorkItemsBatch over loopback HTTP
 *   batch200:fetch       the same POST with plain fetch (HTTP and JSON cost without the client library)
 */
import * as azdev from 'azure-devops-node-api';
import { AZURE_DEVOPS_SERVICE, AzureDevOpsState, createAzureDevOpsMount } from '../../src/sandbox/azureDevOps';
import { type WorkItemRecord } from '../../src/sandbox/azureDevOps/state/model';
import { runWiql } from '../../src/sandbox/azureDevOps/wiql/run';
import { SandboxServer } from '../../src/sandbox/http/server';
import { SANDBOX_CREDENTIALS, SANDBOX_ORGANIZATION, SANDBOX_PROJECT, SANDBOX_USER } from '../../src/sandbox/identity';

const now = new Date('2026-03-18T10:00:00Z');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function grow(state: AzureDevOpsState, n: number): void {
  const template = state.doc.workItems[0] as WorkItemRecord;
  const states = ['New', 'Active', 'Resolved', 'Closed'];
  for (let i = 0; i < n; i++) {
    state.doc.workItems.push({
      ...template,
      id: 10_000 + i,
      fields: { ...template.fields, 'System.Id': 10_000 + i, 'System.WorkItemType': i % 3 ? 'Task' : 'User Story', 'System.State': states[i % 4] ?? 'New', 'Microsoft.VSTS.Common.Priority': (i % 4) + 1, 'System.CreatedDate': new Date(now.getTime() - i * 60_000).toISOString() },
      relations: [],
      updates: [],
      comments: [],
    });
  }
}

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 19_000);
  const state = AzureDevOpsState.demo(now, { clock: () => now });
  grow(state, size);
  const query = "SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @Project AND [System.WorkItemType] IN ('User Story', 'Task') AND [System.State] <> 'Closed' ORDER BY [Microsoft.VSTS.Common.Priority], [System.CreatedDate] DESC";
  const ctx = { state, user: state.identity(SANDBOX_USER.adoId), project: state.doc.projects[0], team: undefined, now, timePrecision: false };
  const baseline = () =>
    state.doc.workItems
      .filter((w) => w.fields['System.TeamProject'] === SANDBOX_PROJECT && ['User Story', 'Task'].includes(String(w.fields['System.WorkItemType'])) && w.fields['System.State'] !== 'Closed')
      .sort((a, b) => Number(a.fields['Microsoft.VSTS.Common.Priority']) - Number(b.fields['Microsoft.VSTS.Common.Priority']) || Date.parse(String(b.fields['System.CreatedDate'])) - Date.parse(String(a.fields['System.CreatedDate'])))
      .map((w) => w.id);
  if (JSON.stringify(runWiql(query, ctx, undefined).workItems) !== JSON.stringify(baseline())) throw new Error('wiql and baseline disagree');

  const server = new SandboxServer();
  server.mount(createAzureDevOpsMount(state));
  await server.start();
  const orgUrl = `${server.urlOf(AZURE_DEVOPS_SERVICE)}/${SANDBOX_ORGANIZATION}`;
  const wit = await new azdev.WebApi(orgUrl, azdev.getPersonalAccessTokenHandler(SANDBOX_CREDENTIALS.azureDevOpsPat)).getWorkItemTrackingApi();
  const ids = Array.from({ length: 200 }, (_, i) => 10_000 + i);
  const auth = `Basic ${Buffer.from(`:${SANDBOX_CREDENTIALS.azureDevOpsPat}`).toString('base64')}`;
  const candidates: Record<string, () => Promise<unknown> | unknown> = {
    wiql: () => runWiql(query, ctx, undefined),
    'baseline:filterSort': baseline,
    'batch200:client': () => wit.getWorkItemsBatch({ ids }, SANDBOX_PROJECT),
    'batch200:fetch': async () =>
      (
        await fetch(`${orgUrl}/${encodeURIComponent(SANDBOX_PROJECT)}/_apis/wit/workItemsBatch`, {
          method: 'POST',
          headers: { authorization: auth, accept: 'application/json;api-version=7.1-preview.1', 'content-type': 'application/json' },
          body: JSON.stringify({ ids }),
        })
      ).json(),
  };
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (const fn of Object.values(candidates)) await fn();
  for (let round = 0; round < 15; round++) {
    for (const [name, fn] of Object.entries(candidates)) {
      const start = process.hrtime.bigint();
      await fn();
      samples[name]?.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  await server.stop();
  console.log(`Work items: ${state.doc.workItems.length}; query matches ${runWiql(query, ctx, undefined).workItems?.length}`);
  for (const [name, xs] of Object.entries(samples)) console.log(`${name.padEnd(22)} median ${median(xs).toFixed(2)} ms`);
  const ratio = median(samples.wiql ?? []) / median(samples['baseline:filterSort'] ?? []);
  console.log(`wiql / baseline:filterSort = ${ratio.toFixed(2)}x`);
  console.log(`batch200 client / fetch = ${(median(samples['batch200:client'] ?? []) / median(samples['batch200:fetch'] ?? [])).toFixed(2)}x`);
}

void main();
