/**
 * What creating a large plan costs in Azure Boards, and what a resumed plan costs. Run:
 * `npx tsx bench/planner/createPlan.bench.ts [items=300] [latencyMs=50]`.
 *
 * The Azure DevOps stand-in on loopback with `latencyMs` added to every request. A Markdown epic
 * of `items` items (epic, features, stories, tasks) is planned and applied through the runtime
 * exactly as `ai-devops plan epic --apply --yes` does (real clients, outbox, audit trail):
 *   full        plan + apply of every item: requests and wall time, against the ideal of one
 *               request per created item sent one after another (items × latency; a child waits
 *               for its parent's id, and the runtime sends changes in order)
 *   resume      the same plan in a fresh project, stopped after half the items (only those
 *               approved), then planned and applied again: how many the second run creates (goal:
 *               the other half, none twice) and what finding the first half cost
 * GitHub is not run here: at GitHub's documented 80 content-creating requests a minute a
 * 300-issue plan needs at least 300 / 80 = 3.75 minutes for the issues alone (plus one sub-issue
 * link per child); the client spaces content-creating requests 3 s apart (15 minutes for 300).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { plannerAgent } from '../../src/agents/planner/plannerAgent';
import { workItemExecutors } from '../../src/agents/runtime/executors/defaultExecutors';
import { runAgent } from '../../src/agents/runtime/runAgent';
import { type Credential } from '../../src/core/host';
import { readSettings } from '../../src/core/settings';
import { type TrackerKind } from '../../src/core/workItem';
import { FileOutbox } from '../../src/providers/boards/outbox/fileOutbox';
import { TrackerSet } from '../../src/providers/boards/trackerSet';
import { processByName } from '../../src/sandbox/azureDevOps/state/processes';
import { addProject } from '../../src/sandbox/azureDevOps/state/projectOps';
import { Sandbox } from '../../src/sandbox/sandbox';
import { makeHarness, ScriptedUi } from '../../test/unit/agents/runtime/harness';

const items = Number(process.argv[2] ?? 300);
const latencyMs = Number(process.argv[3] ?? 50);
const quiet = { trace: () => {}, debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** An epic of exactly `total` items: 1 epic, 4 features, 9 stories each, the rest tasks spread over the stories. */
function epicOf(total: number, title: string): string {
  const features = 4;
  const stories = 9;
  let tasks = Math.max(0, total - 1 - features - features * stories);
  const out = [`# ${title}`, ''];
  for (let f = 1; f <= features; f++) {
    out.push(`## Feature ${f}`, '');
    for (let s = 1; s <= stories; s++) {
      const here = Math.ceil(tasks / ((features - f) * stories + (stories - s) + 1));
      tasks -= here;
      out.push(`### Story ${f}.${s} [3]`, '', '**Tasks**', '');
      for (let t = 1; t <= here; t++) out.push(`- Task ${f}.${s}.${t} [2h]`);
      out.push('');
    }
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const sandbox = await Sandbox.start({ stateDir: undefined, log: quiet, latencyMs });
  const agile = processByName('Agile')!;
  const results: string[] = [];
  try {
    for (const scenario of ['full', 'resume'] as const) {
      const project = `Bench ${scenario}`;
      addProject(sandbox.azureDevOps, { name: project, description: 'bench', processId: agile.id, visibility: 'private' }, false);
      const dir = await mkdtemp(path.join(tmpdir(), 'ai-devops-plan-bench-'));
      const credentials: Record<string, Credential> = { azureDevOps: { kind: 'pat', value: sandbox.credentials.azureDevOpsPat, source: 'sandbox' } };
      let outbox: FileOutbox | undefined;
      const settings = readSettings((k) => ({ backend: 'sandbox' })[k]).settings;
      const trackers = new TrackerSet({
        backend: { endpoints: async () => ({ ...sandbox.endpoints(), azureDevOps: { ...sandbox.endpoints().azureDevOps!, project, team: `${project} Team` } }), onDidChange: () => ({ dispose: () => undefined }) },
        settings: () => settings,
        log: quiet,
        storageDir: dir,
        getCredential: async (service) => credentials[service],
        outbox: async () => (outbox ??= await FileOutbox.open({ storageDir: dir, log: quiet, autoReplay: false })),
      });
      const half = Math.floor(items / 2);
      const ui = new ScriptedUi((req) => ({ edits: [], commands: [], remote: (scenario === 'resume' ? req.plan.remote.slice(0, half) : req.plan.remote).map((c) => c.id) }));
      const h = await makeHarness({ ui, executors: workItemExecutors({ trackers, git: () => { throw new Error('no git'); }, log: quiet }) });
      Object.assign(h.services, { trackers: { azure: () => trackers.azure(), github: () => undefined, defaultTracker: 'azureBoards', planning: (k: TrackerKind) => trackers.planning(k) } });
      await h.write('epic.md', epicOf(items, `Bench epic ${scenario}`));
      const connection = await trackers.deliveryClients().azure();
      const before = sandbox.azureDevOps.doc.workItems.length;
      const run = async (): Promise<{ ms: number; requests: number; created: number; planned: number }> => {
        const r0 = connection.requests;
        const n0 = sandbox.azureDevOps.doc.workItems.length;
        const t0 = performance.now();
        const result = await runAgent(h.services, { agent: plannerAgent, action: 'epic', input: { source: 'epic.md', apply: true }, mode: 'apply' });
        const ms = performance.now() - t0;
        if (result.outcome === 'failed' && scenario === 'full') throw new Error(result.error);
        return { ms, requests: connection.requests - r0, created: sandbox.azureDevOps.doc.workItems.length - n0, planned: result.plan?.remote.length ?? 0 };
      };
      const first = await run();
      if (scenario === 'full') {
        results.push(`full     ${first.created} items created, ${first.requests} requests (ideal ${items}), ${(first.ms / 1000).toFixed(1)} s (ideal ${((items * latencyMs) / 1000).toFixed(1)} s sequential at ${latencyMs} ms), ${(first.requests / first.created).toFixed(2)} requests per item`);
      } else {
        ui.review = async (req) => ({ edits: [], commands: [], remote: req.plan.remote.map((c) => c.id) });
        const second = await run();
        const total = sandbox.azureDevOps.doc.workItems.length - before;
        results.push(`resume   first run stopped after ${first.created}; the second planned ${second.planned} and created ${second.created} (goal ${items - half}), ${total} in all (goal ${items}, none twice), ${second.requests} requests, ${(second.ms / 1000).toFixed(1)} s`);
      }
      trackers.dispose();
      outbox?.dispose();
      await h.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await sandbox.stop();
  }
  console.log(`Planner: a ${items}-item plan against the Azure DevOps stand-in at ${latencyMs} ms latency (load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')})`);
  for (const line of results) console.log(`  ${line}`);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
