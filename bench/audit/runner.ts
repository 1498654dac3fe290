import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AuditIndex, auditDir, recentRuns, searchTrail, TrailVerifier, VerifiedHeadStore } from '../../src/providers/audit';

/**
 * One measured operation of the audit benchmark, in a fresh process (bench.ts runs it under GNU
 * time for the peak RSS): prints one JSON line with what it measured in-process.
 *
 *   node runner.cjs <op> <workspace root> <state dir>
 *   noop            loads the bundle and does nothing (the process's baseline memory)
 *   verify          a full verify (every line), no memory of a head
 *   remember        a full verify that saves the head (setup for verify-new)
 *   verify-new      verify with the saved head: only what was appended since
 *   index-build     builds the index from nothing and saves it
 *   index-open      opens the saved index and answers: first page of groups and runs, 200 events, a deep page, searches
 */
const [op, root, stateDir] = process.argv.slice(2) as [string, string, string];
const dir = auditDir(root);
const headFile = path.join(stateDir, 'verified-head.json');
const indexFile = path.join(stateDir, 'index.bin');
const PAGE = 200;

const time = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const value = await f();
  return [value, performance.now() - t];
};

async function main(): Promise<Record<string, unknown>> {
  if (op === 'noop') return {};
  if (op === 'verify' || op === 'remember' || op === 'verify-new') {
    if (op === 'verify') await fs.rm(headFile, { force: true });
    const verifier = new TrailVerifier(dir, new VerifiedHeadStore(headFile));
    const [run, ms] = await time(() => verifier.verify({ full: op !== 'verify-new' }));
    const r = run.report.result;
    return { ms, mode: run.mode, checked: run.report.checked, ok: r.ok, count: r.ok ? r.count : undefined, bytes: run.report.bytes };
  }
  if (op === 'index-build') {
    await fs.rm(indexFile, { force: true });
    const index = await AuditIndex.open(dir, indexFile);
    const [report, ms] = await time(() => index.refresh());
    const [, saveMs] = await time(() => index.save());
    const size = (await fs.stat(indexFile)).size;
    return { ms, saveMs, events: index.eventCount, groups: index.groupCount, added: report.added, indexBytes: size };
  }
  if (op === 'index-open') {
    // What opening the Audit Trail or Agent Runs view does: load, catch up, a page of groups with their labels.
    const [index, openMs] = await time(() => AuditIndex.open(dir, indexFile));
    const [, refreshMs] = await time(() => index.refresh());
    const [groups, groupsPageMs] = await time(() => index.newestGroups(PAGE).map((g) => index.summary(g)));
    const [runs, runsPageMs] = await time(() => index.newestGroups(PAGE, -1, true).map((g) => index.summary(g)));
    // Every event of those 200 groups, read from disk (what expanding them all reads).
    const [expanded, expandMs] = await time(() => index.readEvents(groups.flatMap((g) => index.groupRows(g.id))));
    const [events, page200Ms] = await time(() => index.readEvents(index.newestRows(PAGE)));
    // A page deep in the trail: the groups after the 50,000th, with their events.
    const [deep, deepMs] = await time(async () => {
      const cursor = index.newestGroups(50_000).pop() ?? -1;
      const ids = index.newestGroups(PAGE, cursor);
      return index.readEvents(ids.flatMap((g) => index.groupRows(g)));
    });
    const [found, searchItemMs] = await time(() => searchTrail(index, { workItemId: 4242 }, 500));
    const [byAgent, searchAgentMs] = await time(() => searchTrail(index, { service: 'security', eventTypes: ['run.failed'] }, 500));
    const [latest, statusRunsMs] = await time(() => recentRuns(index, 5));
    return {
      openMs,
      refreshMs,
      viewMs: openMs + refreshMs + groupsPageMs,
      groupsPageMs,
      runsPageMs,
      expandMs,
      page200Ms,
      deepMs,
      searchItemMs,
      searchAgentMs,
      statusRunsMs,
      events: index.eventCount,
      groups: groups.length,
      runs: runs.length,
      expanded: expanded.length,
      page200: events.length,
      deep: deep.length,
      found: found.total,
      failedSecurity: byAgent.total,
      latest: latest.length,
    };
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
