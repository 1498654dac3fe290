/**
 * The Azure DevOps stand-in grown to a large project, in a process of its own (forked by
 * azureLarge.bench.ts), so the clients measured in other processes pay none of its memory or CPU.
 * Usage (through fork, with IPC): azureStandIn.ts <openItems> <latencyMs>
 *
 * The project is grown to `openItems` open work items (growOpenWorkItems: Features with 49 Tasks
 * each, every 10th assigned to the signed-in user). Messages: `{ cmd: 'count' }` answers with the requests served so
 * far by route; `{ cmd: 'stop' }` stops the server and exits.
 */
import { AZURE_DEVOPS_SERVICE, AzureDevOpsState, createAzureDevOpsMount } from '../../src/sandbox/azureDevOps';
import { growOpenWorkItems } from '../../src/sandbox/azureDevOps/state/grow';
import { SandboxServer } from '../../src/sandbox/http/server';
import { SANDBOX_ORGANIZATION } from '../../src/sandbox/identity';

const now = new Date('2026-03-18T10:00:00Z');

async function main(): Promise<void> {
  const openItems = Number(process.argv[2] ?? 200_000);
  const latencyMs = Number(process.argv[3] ?? 20);
  const state = AzureDevOpsState.demo(now, { clock: () => now });
  const open = growOpenWorkItems(state, openItems);
  const server = new SandboxServer();
  server.maxLogEntries = 10_000_000;
  server.mount(createAzureDevOpsMount(state));
  await server.start();
  server.latencyMs = latencyMs;
  const counts = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const r of server.requests) out[r.route ?? '?'] = (out[r.route ?? '?'] ?? 0) + 1;
    return out;
  };
  process.on('message', (message: { cmd: string }) => {
    if (message.cmd === 'count') process.send?.({ counts: counts() });
    if (message.cmd === 'stop') void server.stop().then(() => process.exit(0));
  });
  process.send?.({ url: `${server.urlOf(AZURE_DEVOPS_SERVICE)}/${SANDBOX_ORGANIZATION}`, open, total: state.doc.workItems.length });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
