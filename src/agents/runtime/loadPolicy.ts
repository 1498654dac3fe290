import { contentSha256, type FileApprovals, workspaceKeyFor } from '../../core/approvals';
import { type CommandPolicy, defaultPolicy } from '../../core/policy/commandPolicy';
import { readRepositoryFile } from '../../providers/files/repositoryFile';
import { ApprovalPolicy, type PolicyFileRead, parsePolicyFile, parseUserPolicy, POLICY_FILE_PATH } from './approvalPolicy';

export interface LoadedApprovalPolicy {
  readonly policy: ApprovalPolicy;
  /** Problems to tell the user: a bad setting, a bad policy file (which then counts for nothing). */
  readonly problems: readonly string[];
  /** The repository file's text, when it asks for more than the user allows and is not approved yet. */
  readonly awaitingApproval?: { readonly text: string; readonly sha256: string };
}

/**
 * The approval policy for a run: the user's setting, and the repository's `.devops/policy.json`
 * with its approval looked up where the repository cannot write (globalState in the editor, the
 * CLI's state directory). Read afresh for every run, so an edit or an approval counts at once.
 */
export async function loadApprovalPolicy(root: string, userSetting: unknown, approvals: FileApprovals): Promise<LoadedApprovalPolicy> {
  const problems: string[] = [];
  const user = parseUserPolicy(userSetting);
  if (user.problem) problems.push(user.problem);
  // Through the path guard (a .devops that links outside the workspace is not read), UTF-8 only, size-capped.
  const read = await readRepositoryFile(root, POLICY_FILE_PATH);
  const text = read.kind === 'text' ? read.text : undefined;
  if (read.kind === 'unreadable') problems.push(`${read.reason} It counts for nothing.`);
  let repository: PolicyFileRead = { kind: 'absent' };
  if (text !== undefined) {
    const parsed = parsePolicyFile(text);
    if (!parsed.ok) {
      problems.push(`${parsed.reason} The file counts for nothing until it is fixed.`);
      repository = { kind: 'invalid', reason: parsed.reason };
    } else {
      const sha256 = contentSha256(text);
      repository = { kind: 'valid', layer: parsed.layer, sha256, approved: await approvals.isApproved(workspaceKeyFor(root), POLICY_FILE_PATH, sha256) };
    }
  }
  const policy = new ApprovalPolicy(user.layer, repository);
  // '*' stands for every agent the file has no section for (its defaults apply to them).
  const awaiting = repository.kind === 'valid' && !repository.approved && text !== undefined && policy.loosenings(['*', ...Object.keys(repository.layer.agents ?? {})]).length > 0;
  return { policy, problems, ...(awaiting && repository.kind === 'valid' && text !== undefined ? { awaitingApproval: { text, sha256: repository.sha256 } } : {}) };
}

/** The command policy: the built-in allowlist (the floor no setting lifts) plus approved extra rules. */
export type CommandPolicySource = (root: string) => Promise<CommandPolicy>;
export const builtInCommandPolicy: CommandPolicySource = async () => defaultPolicy();
