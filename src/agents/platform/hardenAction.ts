import { z } from 'zod';
import { isDevOpsError } from '../../core/errors';
import { type AgentAction, type AgentContext } from '../runtime/context';
import { type AgentPlan, emptyPlan, SEVERITIES } from '../runtime/plan';
import { factsOf, readWorkspaceFacts } from './facts/workspaceFacts';
import { mergeFixes, REVIEW_GLOBS, reviewFilesDetailed, type ReviewFile } from './hardening';

export const HardenInputSchema = z
  .object({
    /** Put every certain fix into the plan's edits (one review, one change); without it the plan only reports. */
    fix: z.boolean().default(false),
  })
  .strict();
export type HardenInput = z.infer<typeof HardenInputSchema>;

/** Reads what the review can look at; files that cannot be read as text are named, not guessed at. */
export async function readReviewFiles(ctx: AgentContext): Promise<{ files: ReviewFile[]; unreadable: string[]; truncated: boolean }> {
  const { paths, truncated } = await ctx.files.list(REVIEW_GLOBS, { max: 20_000 });
  const files: ReviewFile[] = [];
  const unreadable: string[] = [];
  for (const p of paths) {
    if (ctx.signal.aborted) break;
    try {
      const read = await ctx.files.read(p);
      if (read) files.push({ path: p, text: read.text, sha256: read.sha256 });
    } catch (error) {
      if (!isDevOpsError(error)) throw error;
      unreadable.push(`${p}: ${error.message}`);
    }
  }
  return { files, unreadable, truncated };
}

export const hardenAction: AgentAction<HardenInput> = {
  name: 'harden',
  description: 'Review Dockerfiles, Kubernetes manifests, GitHub Actions, Azure Pipelines and Terraform against the hardening rules (--fix applies the certain fixes).',
  input: HardenInputSchema,
  options: { fix: { type: 'boolean', description: 'Apply every fix the review is certain of (as one change you approve).' } },
  async plan(ctx, input): Promise<AgentPlan> {
    await ctx.step('Reading the workspace');
    const facts = await readWorkspaceFacts(ctx.files, ctx.signal);
    const { files, unreadable, truncated } = await readReviewFiles(ctx);
    await ctx.step(`Reviewing ${files.length} files`);
    const review = await reviewFilesDetailed(files, { signal: ctx.signal });
    const open = review.findings.filter((f) => !f.suppressed);
    const counts = SEVERITIES.map((s) => [s, open.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    const fixable = open.filter((f) => f.fix).length;
    const plan = emptyPlan('platform', 'harden', 'Hardening review');
    const fixes = input.fix ? mergeFixes(files, open) : { edits: [], left: 0 };
    const notes = [
      ...review.skipped.map((s) => `Not reviewed: ${s.file}: ${s.reason}.`),
      ...unreadable.map((u) => `Not reviewed: ${u}`),
      ...(truncated ? ['Only the first 20,000 matching files were reviewed.'] : []),
      ...(review.actionlintUnavailable ? [`${review.actionlintUnavailable}.`] : []),
      ...(fixes.left > 0 ? [`${fixes.left} fix${fixes.left === 1 ? '' : 'es'} overlapped another in the same place; run the review again after applying these.`] : []),
      ...(!input.fix && fixable > 0 ? [`${fixable} finding${fixable === 1 ? ' has' : 's have'} a fix: apply each from its quick fix, or run again with --fix to apply them all.`] : []),
    ];
    const suppressed = review.findings.length - open.length;
    return {
      ...plan,
      summary: open.length === 0
        ? `No findings in ${review.reviewed.length} reviewed file${review.reviewed.length === 1 ? '' : 's'}${suppressed ? ` (${suppressed} suppressed)` : ''}.`
        : `${open.length} finding${open.length === 1 ? '' : 's'} (${counts.map(([s, n]) => `${n} ${s}`).join(', ')}) in ${new Set(open.map((f) => f.file)).size} of ${review.reviewed.length} reviewed files${suppressed ? `; ${suppressed} suppressed` : ''}; ${fixable} with a fix.`,
      facts: [
        ...factsOf(facts),
        { label: 'Reviewed', value: review.reviewed.length ? Object.entries(countBy(review.reviewed.map((r) => r.kind))).map(([k, n]) => `${n} ${k}`).join(', ') : 'nothing to review' },
      ],
      findings: review.findings,
      edits: fixes.edits,
      notes,
      result: { reviewed: review.reviewed.length, skipped: review.skipped.map((s) => ({ file: s.file, reason: s.reason })) },
    };
  },
};

function countBy(items: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}
