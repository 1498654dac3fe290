import { z } from 'zod';
import { DevOpsError } from '../../core/errors';
import { type FileText, type WorkspaceFiles } from '../runtime/context';
import { type FileEdit, type Finding } from '../runtime/plan';

/**
 * `.devops/security-baseline.json`: findings the team decided to accept, each with a reason, who
 * and when. A repository file anyone can edit, so it only hides findings (they stay in reports as
 * suppressed); it never turns a check off or loosens anything. Validated like any other input.
 */
export const BASELINE_PATH = '.devops/security-baseline.json';

const SuppressionSchema = z
  .object({
    fingerprint: z.string().regex(/^[0-9a-f]{32}$/, 'a finding fingerprint (32 hex digits)'),
    ruleId: z.string().min(1).max(200),
    file: z.string().max(1000).optional(),
    reason: z.string().trim().min(3, 'a reason of at least three characters').max(1000),
    by: z.string().min(1).max(200),
    at: z.iso.datetime({ offset: true }),
  })
  .strict();
export type Suppression = z.infer<typeof SuppressionSchema>;

export const BaselineSchema = z.object({ version: z.literal(1), suppressions: z.array(SuppressionSchema).max(10_000) }).strict();
export type Baseline = z.infer<typeof BaselineSchema>;

export interface LoadedBaseline {
  readonly baseline: Baseline;
  /** The file as read (for a `modify` edit's baseSha256); undefined when there is none. */
  readonly file: FileText | undefined;
}

export async function loadBaseline(files: WorkspaceFiles): Promise<LoadedBaseline> {
  const file = await files.read(BASELINE_PATH);
  if (!file) return { baseline: { version: 1, suppressions: [] }, file: undefined };
  let json: unknown;
  try {
    json = JSON.parse(file.text);
  } catch (error) {
    throw new DevOpsError('invalidInput', `${BASELINE_PATH} is not valid JSON (${(error as Error).message}); fix or delete it, then scan again. No finding was hidden.`);
  }
  const parsed = BaselineSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DevOpsError('invalidInput', `${BASELINE_PATH} is not a security baseline: ${issue?.path.join('.') || 'file'}: ${issue?.message}. Fix or delete it, then scan again. No finding was hidden.`);
  }
  return { baseline: parsed.data, file };
}

/** Marks the findings the baseline suppresses; nothing is removed. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): Finding[] {
  const byFingerprint = new Map(baseline.suppressions.map((s) => [s.fingerprint, s]));
  return findings.map((f) => {
    const s = byFingerprint.get(f.fingerprint);
    return s ? { ...f, suppressed: { reason: s.reason, by: s.by, at: s.at } } : f;
  });
}

/** The edit that records one more suppression (or replaces the reason of an existing one). */
export function suppressionEdit(loaded: LoadedBaseline, suppression: Suppression): FileEdit {
  const others = loaded.baseline.suppressions.filter((s) => s.fingerprint !== suppression.fingerprint);
  const next: Baseline = { version: 1, suppressions: [...others, suppression].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)) };
  const content = `${JSON.stringify(next, null, 2)}\n`;
  return loaded.file
    ? { path: BASELINE_PATH, action: 'modify', content, baseSha256: loaded.file.sha256, why: `suppress ${suppression.ruleId}: ${suppression.reason}` }
    : { path: BASELINE_PATH, action: 'create', content, why: `suppress ${suppression.ruleId}: ${suppression.reason}` };
}

export { SuppressionSchema };
