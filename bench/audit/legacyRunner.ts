import { agentRuns, groupByCorrelation } from '../../src/core/audit';
import { auditDir, readPage, verifyTrail } from '../../src/providers/audit';

/**
 * The same operations through the code of another commit (BEFORE=<ref> in bench.ts copies this
 * file into that commit's tree and bundles it there): its verify, and its views' load (the newest
 * 2,000 events, grouped, runs found), which is all it offered.
 *
 *   node legacyRunner.cjs <op> <workspace root>    op: noop | verify | view | page200
 */
const [op, root] = process.argv.slice(2) as [string, string];
const dir = auditDir(root);

async function main(): Promise<Record<string, unknown>> {
  const t = performance.now();
  if (op === 'noop') return {};
  if (op === 'verify') {
    const r = await verifyTrail(dir);
    return { ms: performance.now() - t, ok: r.ok, count: r.count };
  }
  if (op === 'view') {
    const page = await readPage(dir, 2000);
    const events = page.events.map((s) => s.event);
    const groups = groupByCorrelation(events);
    const runs = agentRuns(events);
    return { viewMs: performance.now() - t, events: events.length, groups: groups.length, runs: runs.length };
  }
  if (op === 'page200') {
    const page = await readPage(dir, 200);
    return { page200Ms: performance.now() - t, events: page.events.length };
  }
  throw new Error(`unknown op ${op}`);
}

main().then(
  (r) => console.log(JSON.stringify({ op, ...r, rssMiB: process.memoryUsage().rss / 1048576 })),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
