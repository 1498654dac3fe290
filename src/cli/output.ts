import { type Severity, SEVERITIES } from '../agents/runtime/plan';
import { type RunResult } from '../agents/runtime/runAgent';

/** Exit codes: 0 done, 1 findings or failures, 2 bad usage or an error before the agent could run. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const rank = (s: Severity): number => SEVERITIES.length - SEVERITIES.indexOf(s);

/** Unsuppressed findings at or above `failOn`. */
export function blockingFindings(result: RunResult, failOn: Severity): number {
  return (result.plan?.findings ?? []).filter((f) => !f.suppressed && rank(f.severity) >= rank(failOn)).length;
}

export function exitCodeFor(result: RunResult, failOn: Severity): number {
  if (result.outcome !== 'succeeded') return EXIT.failed;
  if (result.plan?.verdict === 'fail') return EXIT.failed;
  return blockingFindings(result, failOn) > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * The one JSON document `--json` prints: the agent's own result keys at the top level (scaffold:
 * `files`, `testCommand`; security: `findings`, `skipped`), then the run's outcome, the plan and
 * what was applied, under names that do not clash with any agent's.
 */
export function jsonDocument(result: RunResult, failOn: Severity): Record<string, unknown> {
  const plan = result.plan;
  return {
    ...(plan?.result ?? {}),
    ...(plan && !plan.result?.findings ? { findings: plan.findings } : {}),
    run: {
      id: result.runId,
      agent: result.agent,
      action: result.action,
      outcome: result.outcome,
      exitCode: exitCodeFor(result, failOn),
      durationMs: result.durationMs,
      ...(result.error ? { error: result.error } : {}),
    },
    plan: plan
      ? {
          title: plan.title,
          summary: plan.summary,
          facts: plan.facts,
          edits: plan.edits.map((e) => ({ path: e.path, action: e.action, ...(e.why ? { why: e.why } : {}) })),
          commands: plan.commands,
          remote: plan.remote.map((r) => ({ id: r.id, kind: r.kind, target: r.target, summary: r.summary })),
          notes: plan.notes,
          ...(plan.verdict ? { verdict: plan.verdict } : {}),
        }
      : null,
    applied: result.applied,
    // What was not done and why: the agent's own (security: categories not checked) first, then the run's.
    skipped: [...(Array.isArray(plan?.result?.skipped) ? plan.result.skipped : []), ...result.skipped],
  };
}

/** What a person reads when --json is not given. */
export function textReport(result: RunResult, failOn: Severity): string {
  const plan = result.plan;
  const lines: string[] = [];
  if (plan) {
    lines.push(plan.title);
    if (plan.summary) lines.push(plan.summary);
    for (const f of plan.facts) lines.push(`  ${f.label}: ${f.value}`);
    for (const f of plan.findings) lines.push(`  ${f.suppressed ? '(suppressed) ' : ''}${f.severity.toUpperCase()} ${f.ruleId}${f.file ? ` ${f.file}${f.line ? `:${f.line}` : ''}` : ''}: ${f.message}`);
    for (const n of plan.notes) lines.push(`  note: ${n}`);
  }
  if (result.applied.edits.length) lines.push(`Wrote ${result.applied.edits.length} file(s).`);
  for (const c of result.applied.commands) lines.push(`Ran ${c.command}: exit ${c.exitCode ?? 'none'}${c.timedOut ? ' (timed out)' : ''}`);
  for (const r of result.applied.remote) lines.push(`${r.outcome}: ${r.kind} ${r.target}: ${r.detail}`);
  for (const s of result.skipped) lines.push(`Skipped ${s.what}: ${s.why}`);
  if (result.error) lines.push(result.error);
  const blocking = blockingFindings(result, failOn);
  lines.push(`${result.outcome}${blocking ? `; ${blocking} finding(s) at or above ${failOn}` : ''} (run ${result.runId}, ${(result.durationMs / 1000).toFixed(1)} s)`);
  return `${lines.join('\n')}\n`;
}
