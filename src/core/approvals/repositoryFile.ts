import { contentSha256, type FileApproval, type FileApprovals } from './fileApprovals';

export type ParsedFile<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** What a parsed file would change: the part that only tightens (usable unapproved), and whether anything else loosens. */
export interface Tightening<T> {
  readonly value: T | undefined;
  readonly loosens: boolean;
}

/**
 * How the caller may use a repository file that can widen permissions. `value` is always what to
 * apply: the whole file once approved, only its tightening part (or nothing) until then.
 * - `absent`: no file; use the defaults.
 * - `invalid`: it does not parse; apply nothing from it and show `reason` (it names the field).
 * - `approved`: the user approved exactly this content.
 * - `tightensOnly`: nothing in it loosens anything, so it applies without asking.
 * - `needsApproval`: it loosens something; only `value` (its tightening part) applies until the user
 *   approves `full` (show the file's text and approve `sha256`). `changedSinceApproval` says an
 *   earlier content was approved, so the prompt can say the file changed.
 */
export type RepositoryFileUse<T> =
  | { readonly status: 'absent'; readonly value: undefined }
  | { readonly status: 'invalid'; readonly sha256: string; readonly reason: string; readonly value: undefined }
  | { readonly status: 'approved'; readonly sha256: string; readonly value: T }
  | { readonly status: 'tightensOnly'; readonly sha256: string; readonly value: T | undefined }
  | { readonly status: 'needsApproval'; readonly sha256: string; readonly full: T; readonly value: T | undefined; readonly changedSinceApproval: boolean };

export interface RepositoryFileInput<T> {
  /** The file's text, or undefined when there is none. */
  readonly text: string | undefined;
  readonly parse: (text: string) => ParsedFile<T>;
  readonly tightening: (value: T) => Tightening<T>;
}

/** The decision itself, given the approval on record (pure). */
export function decideRepositoryFile<T>(input: RepositoryFileInput<T> & { readonly approval: FileApproval | undefined }): RepositoryFileUse<T> {
  if (input.text === undefined) return { status: 'absent', value: undefined };
  const sha256 = contentSha256(input.text);
  const parsed = input.parse(input.text);
  if (!parsed.ok) return { status: 'invalid', sha256, reason: parsed.reason, value: undefined };
  if (input.approval?.sha256 === sha256) return { status: 'approved', sha256, value: parsed.value };
  const tight = input.tightening(parsed.value);
  if (!tight.loosens) return { status: 'tightensOnly', sha256, value: tight.value };
  return { status: 'needsApproval', sha256, full: parsed.value, value: tight.value, changedSinceApproval: input.approval !== undefined };
}

/** Looks the approval up and decides; `workspaceKey` from workspaceKeyFor, `relativePath` as stored (e.g. `.devops/commands.json`). */
export async function useRepositoryFile<T>(approvals: FileApprovals, workspaceKey: string, relativePath: string, input: RepositoryFileInput<T>): Promise<RepositoryFileUse<T>> {
  const approval = input.text === undefined ? undefined : await approvals.get(workspaceKey, relativePath);
  return decideRepositoryFile({ ...input, approval });
}
