import { isDevOpsError } from '../../../core/errors';
import { REVIEW_GLOBS, type ReviewFile, reviewFilesDetailed } from '../../platform/hardening';
import { type AgentContext } from '../../runtime/context';
import { type Finding } from '../../runtime/plan';
import { type Skipped } from '../dependencies/dependencyScan';

const MAX_FILES = 5_000;

/**
 * Dockerfiles, Kubernetes manifests, GitHub Actions (with actionlint), Azure Pipelines and
 * Terraform through the platform agent's hardening rules, the same review `platform harden`
 * runs; its findings are filed under the security category `infrastructure`.
 */
export async function scanInfrastructure(ctx: AgentContext, only?: readonly string[]): Promise<{ findings: Finding[]; skipped: Skipped[]; notes: string[]; files: number; truncated: boolean }> {
  const listed = only ? undefined : await ctx.files.list(REVIEW_GLOBS, { max: MAX_FILES });
  const paths = only ?? listed!.paths;
  const truncated = listed?.truncated ?? false;
  const files: ReviewFile[] = [];
  for (const path of paths) {
    const file = await ctx.files.read(path).catch((e: unknown) => (isDevOpsError(e) && e.code === 'invalidInput' ? undefined : Promise.reject(e)));
    if (file) files.push({ path, text: file.text, sha256: file.sha256 });
  }
  if (!files.length) return { findings: [], skipped: [], notes: [], files: 0, truncated };
  const review = await reviewFilesDetailed(files, { signal: ctx.signal });
  const findings = review.findings.map((f) => ({ ...f, category: 'infrastructure' }));
  const notes = review.skipped.map((s) => `${s.file} was not reviewed: ${s.reason}.`);
  if (truncated) notes.push(`Only the first ${MAX_FILES} infrastructure and pipeline files were reviewed.`);
  const skipped: Skipped[] = review.actionlintUnavailable ? [{ category: 'infrastructure', why: `GitHub Actions workflows were reviewed without actionlint: ${review.actionlintUnavailable}` }] : [];
  return { findings, skipped, notes, files: review.reviewed.length, truncated };
}
