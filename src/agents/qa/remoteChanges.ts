import { createHash } from 'node:crypto';
import { type WorkTracker } from '../../core/boards/workTracker';
import { type TrackerKind, type WorkItem, workItemKey } from '../../core/workItem';
import { type AgentContext } from '../runtime/context';
import { lifecycleMoves } from '../runtime/lifecycleMoves';
import { type RemoteChange } from '../runtime/plan';
import { FRAMEWORK_LABELS, type Framework } from './detect/projects';
import { type TestCase } from './model';
import { type QaRun } from './runQa';

/**
 * What a QA run offers to change remotely, each a plan step the user approves: a Bug per failing
 * test that has none open yet (tagged with the test's fingerprint, so it is never filed twice),
 * resolving the Bugs of tests that pass again, a summary comment on the work item, and the run
 * published to Azure Test Plans.
 */
export interface RemoteOptions {
  readonly bugs: boolean;
  readonly comment: boolean;
  readonly publish: boolean;
  readonly workItem?: number;
}

/** The tag a Bug for this test carries (Azure Boards tag, GitHub label). */
export const bugTag = (testId: string): string => `qa-test-${createHash('sha256').update(testId).digest('hex').slice(0, 12)}`;

const MAX_BUGS = 20;
const frameworkNames = (run: QaRun): string => run.frameworks.map((f) => FRAMEWORK_LABELS[f as Framework] ?? f).join(', ');
const RESOLVED = ['Resolved', 'Done', 'Closed', 'closed'];
const full = (c: TestCase): string => [...c.suite, c.name].join(' › ');

export async function qaRemoteChanges(ctx: AgentContext, run: QaRun, options: RemoteOptions, notes: string[]): Promise<RemoteChange[]> {
  if (!options.bugs && !options.comment && !options.publish) return [];
  const kind: TrackerKind = ctx.trackers.defaultTracker;
  const tracker = kind === 'azureBoards' ? ctx.trackers.azure() : ctx.trackers.github();
  const workItem = options.workItem ?? (await branchWorkItem(ctx));
  const changes: RemoteChange[] = [];
  if (!tracker) {
    notes.push(`${kind === 'azureBoards' ? 'Azure Boards' : 'GitHub'} is not connected, so no Bug, comment or Test Plans run was planned (AI DevOps: Sign In, or try the sandbox).`);
    return [];
  }
  const target = (id: number): string => (kind === 'azureBoards' ? `AB#${id}` : `#${id}`);

  if (workItem !== undefined) changes.push(...(await testingMove(ctx, tracker, kind, run, workItem, notes)));
  if (options.bugs) changes.push(...(await bugChanges(ctx, tracker, kind, run, workItem, notes)));
  if (options.comment) {
    if (workItem === undefined) notes.push('No work item to comment on: pass --work-item, or work on a branch named task-<id>-….');
    else changes.push({ id: 'comment', kind: 'workItem.comment', approval: 'trackerWrite', target: target(workItem), summary: `Comment the test results on ${target(workItem)}`, payload: { tracker: kind, id: workItem, markdown: summaryMarkdown(run) } });
  }
  if (options.publish) {
    if (kind !== 'azureBoards' || !ctx.trackers.azure()) notes.push('Test Plans runs are published to Azure DevOps, which is not connected.');
    else if (run.cases.length === 0) notes.push('No test results to publish to Test Plans.');
    else {
      changes.push({
        id: 'publish',
        kind: 'testPlans.publishRun',
        approval: 'pushPublish',
        target: 'Azure Test Plans',
        summary: `Publish the run (${run.cases.length} results) to Azure Test Plans`,
        payload: {
          name: `AI DevOps QA ${ctx.now().toISOString().slice(0, 16).replace('T', ' ')}`.slice(0, 256),
          comment: `${run.totals.passed} passed, ${run.totals.failed} failed, ${run.totals.flaky} flaky, ${run.totals.skipped} skipped (${frameworkNames(run)}; run ${ctx.runId})`,
          results: run.cases.map((c) => ({
            title: full(c).slice(0, 256) || c.name,
            automatedTestName: c.id,
            storage: c.file ?? c.framework,
            outcome: c.status === 'passed' ? 'Passed' : c.status === 'failed' ? (c.flaky ? 'Passed' : 'Failed') : 'NotExecuted',
            durationMs: Math.max(0, Math.round(c.durationMs ?? 0)),
            ...(c.failure ? { errorMessage: `${c.flaky ? 'Flaky: failed, then passed when run again. ' : ''}${c.failure.message}`.slice(0, 4000) } : {}),
            ...(c.failure?.stack ? { stackTrace: c.failure.stack.slice(0, 8000) } : {}),
          })),
        },
      });
    }
  }
  return changes;
}

/**
 * The item the run is for moves to Testing when its tests pass (Agile and CMMI: Resolved; Basic and
 * Scrum have no such state and keep it where it is), through the state machine like every agent
 * move. Failing tests leave it where it is: the run's Bugs and comment say why.
 */
async function testingMove(ctx: AgentContext, tracker: WorkTracker, kind: TrackerKind, run: QaRun, id: number, notes: string[]): Promise<RemoteChange[]> {
  const key = kind === 'azureBoards' ? `AB#${id}` : `#${id}`;
  const failing = run.cases.filter((c) => c.status === 'failed' && !c.flaky).length;
  if (failing > 0) {
    notes.push(`${key} stays where it is: ${failing} test${failing === 1 ? '' : 's'} failed, so it does not move to Testing.`);
    return [];
  }
  if (run.cases.length === 0) return [];
  let item: WorkItem | undefined;
  try {
    const got = (await tracker.get([id], ctx.signal)).get(id);
    item = got && !(got instanceof Error) ? got : undefined;
    if (!item) notes.push(`${key} could not be read${got instanceof Error ? ` (${got.message})` : ''}, so it was not moved to Testing.`);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    notes.push(`${key} could not be read (${error instanceof Error ? error.message : String(error)}), so it was not moved to Testing.`);
  }
  if (!item) return [];
  const moves = await lifecycleMoves(tracker, item, [{ id: 'move-testing', target: 'Testing', why: `its tests pass (${run.totals.passed} passed)` }], ctx.signal);
  notes.push(...moves.notes);
  return moves.changes;
}

/** The work item named by the branch (`task-123-…`, as Start Work names it). */
async function branchWorkItem(ctx: AgentContext): Promise<number | undefined> {
  const branch = await ctx.git?.currentBranch().catch(() => undefined);
  const m = branch ? /(?:^|\/)(?:task|bug|story|feature|issue)-(\d+)(?:-|$)/i.exec(branch) : null;
  return m ? Number(m[1]) : undefined;
}

async function bugChanges(ctx: AgentContext, tracker: WorkTracker, kind: TrackerKind, run: QaRun, workItem: number | undefined, notes: string[]): Promise<RemoteChange[]> {
  let open: readonly WorkItem[] = [];
  try {
    open = (await tracker.list('allOpen', { signal: ctx.signal })).items;
  } catch (error) {
    notes.push(`The open work items could not be read (${error instanceof Error ? error.message : String(error)}); Bugs are still checked against them before each is filed.`);
  }
  const byTag = new Map<string, WorkItem>();
  for (const item of open) for (const t of item.tags) if (t.toLowerCase().startsWith('qa-test-')) byTag.set(t.toLowerCase(), item);
  const types = await tracker.childTypes(undefined).catch(() => [] as readonly string[]);
  const type = kind === 'github' ? 'Issue' : types.includes('Bug') ? 'Bug' : types.includes('Issue') ? 'Issue' : 'Bug';
  let parentId: number | undefined;
  if (workItem !== undefined && kind === 'azureBoards') {
    const parent = (await tracker.get([workItem], ctx.signal).catch(() => undefined))?.get(workItem);
    if (parent && !(parent instanceof Error) && (await tracker.childTypes(parent).catch(() => [] as readonly string[])).includes(type)) parentId = workItem;
  }
  const changes: RemoteChange[] = [];
  const failing = run.cases.filter((c) => c.status === 'failed' && !c.flaky);
  for (const c of failing) {
    const tag = bugTag(c.id);
    const existing = byTag.get(tag);
    if (existing) {
      notes.push(`${full(c)}: already filed as ${workItemKey(existing)}.`);
      continue;
    }
    if (changes.length >= MAX_BUGS) {
      notes.push(`${failing.length} tests failed; Bugs are offered for the first ${MAX_BUGS} (fix the common cause first).`);
      break;
    }
    changes.push({
      id: `bug-${changes.length + 1}`,
      kind: 'workItem.createOnce',
      approval: 'trackerWrite',
      target: kind === 'azureBoards' ? 'Azure Boards' : 'GitHub',
      summary: `File a ${type} for the failing test ${full(c)}`.slice(0, 500),
      payload: {
        tracker: kind,
        type,
        title: `Test fails: ${full(c)}`.slice(0, 255),
        description: bugDescription(c, run, workItem, kind),
        tags: kind === 'github' ? ['bug', 'qa'] : ['qa'],
        onceTag: tag,
        ...(parentId !== undefined ? { parentId } : {}),
      },
    });
  }
  // Bugs of tests that pass now: offer to resolve them.
  const passing = new Map(run.cases.filter((c) => c.status === 'passed' && !c.flaky).map((c) => [bugTag(c.id), c]));
  for (const [tag, item] of byTag) {
    const c = passing.get(tag);
    if (!c) continue;
    const states = await tracker.allowedStates(item, ctx.signal).catch(() => []);
    const state = RESOLVED.map((r) => states.find((s) => s.state === r)?.state).find(Boolean) ?? states.find((s) => s.lifecycle === 'Done')?.state;
    if (!state) continue;
    changes.push({ id: `resolve-${item.id}`, kind: 'workItem.state', approval: 'trackerWrite', target: workItemKey(item), summary: `Resolve ${workItemKey(item)}: ${full(c)} passes again`.slice(0, 500), payload: { tracker: item.tracker, id: item.id, state } });
  }
  return changes;
}

const fence = (s: string): string => `\`\`\`\n${s.replace(/```/g, '`\u200b``')}\n\`\`\``;

function reproduction(c: TestCase, run: QaRun): string {
  const project = run.projects.find((p) => p.framework === c.framework && (p.dir === '' || (c.file ?? '').startsWith(`${p.dir}/`)));
  return project ? `${project.dir ? `cd ${project.dir} && ` : ''}${project.command.replace(/ --(?:reporter|test-reporter|junitxml|outputFile|json|cov).*$/, '')}` : '';
}

function bugDescription(c: TestCase, run: QaRun, workItem: number | undefined, kind: TrackerKind): string {
  const lines = [
    `The test **${full(c)}** fails.`,
    '',
    `- Test id: \`${c.id}\``,
    `- Framework: ${c.framework}`,
    ...(c.file ? [`- File: \`${c.file}${c.line ? `:${c.line}` : ''}\``] : []),
    ...(c.failure?.file && c.failure.line ? [`- Failed at: \`${c.failure.file}:${c.failure.line}\``] : []),
    ...(workItem !== undefined ? [`- Found while testing ${kind === 'azureBoards' ? `AB#${workItem}` : `#${workItem}`}`] : []),
    '',
    '**Message**',
    fence((c.failure?.message ?? 'failed').slice(0, 2000)),
  ];
  if (c.failure?.expected !== undefined || c.failure?.actual !== undefined) lines.push('', '**Expected**', fence(String(c.failure?.expected ?? '').slice(0, 2000)), '', '**Actual**', fence(String(c.failure?.actual ?? '').slice(0, 2000)));
  const repro = reproduction(c, run);
  if (repro) lines.push('', '**Reproduce**', fence(repro));
  if (c.failure?.stack) lines.push('', '**Stack**', fence(c.failure.stack.slice(0, 6000)));
  if (c.output) lines.push('', '**Output**', fence(c.output.slice(0, 4000)));
  lines.push('', '_Filed by the AI DevOps QA agent; it is resolved when the test passes again._');
  return lines.join('\n').slice(0, 32_000);
}

export function summaryMarkdown(run: QaRun): string {
  const t = run.totals;
  const lines = [`**Test run** (${frameworkNames(run)}): ${t.passed} passed, ${t.failed} failed, ${t.flaky} flaky, ${t.skipped} skipped in ${(run.durationMs / 1000).toFixed(1)} s.`];
  if (run.coverageSummary) {
    const ch = run.coverageChange?.lines;
    lines.push(`Coverage: lines ${run.coverageSummary.lines ?? 'n/a'}%, branches ${run.coverageSummary.branches ?? 'n/a'}%${ch !== undefined && ch !== null ? ` (${ch >= 0 ? '+' : ''}${ch} since the last run)` : ''}.`);
  }
  const failing = run.cases.filter((c) => c.status === 'failed' && !c.flaky);
  if (failing.length) lines.push('', 'Failing:', ...failing.slice(0, 20).map((c) => `- ${full(c)}${c.file ? ` (\`${c.file}${c.line ? `:${c.line}` : ''}\`)` : ''}: ${(c.failure?.message ?? 'failed').split('\n')[0]!.slice(0, 200)}`));
  const flaky = run.cases.filter((c) => c.flaky);
  if (flaky.length) lines.push('', 'Flaky (failed, then passed when run again):', ...flaky.slice(0, 10).map((c) => `- ${full(c)}`));
  return lines.join('\n');
}
