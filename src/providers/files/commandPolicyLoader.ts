import { type FileApprovals, type RepositoryFileUse, useRepositoryFile, workspaceKeyFor } from '../../core/approvals';
import { type CommandPolicy, type CommandRule, parseCommandRulesFile, POLICY_FILE, policyWithRules, rulesFromSetting } from '../../core/policy';
import { readRepositoryFile } from './repositoryFile';

export interface LoadedCommandPolicy {
  /** The defaults, the user's rules and, once approved, the workspace file's rules. */
  readonly policy: CommandPolicy;
  /** How `.devops/commands.json` was used: `needsApproval` carries what to show and approve. */
  readonly file: RepositoryFileUse<CommandRule[]> | { readonly status: 'unreadable'; readonly reason: string; readonly value: undefined };
  /** The file's text as parsed (for the approval prompt), when there is one. */
  readonly text?: string;
  /** Invalid entries of the user setting, each named. */
  readonly problems: readonly string[];
}

/**
 * The command policy for a workspace: the built-in rules, the rules in the user's settings (a
 * workspace cannot set that setting) and the rules of `.devops/commands.json` only once the user
 * approved its exact content. Every rule there loosens the policy, so an unapproved file adds nothing.
 * Used by the editor (approvals in globalState) and the headless runner (approvals in a file).
 */
export async function loadCommandPolicy(options: { workspaceRoot: string | undefined; userRules: unknown; approvals: FileApprovals }): Promise<LoadedCommandPolicy> {
  const user = rulesFromSetting(options.userRules);
  const read = await readRepositoryFile(options.workspaceRoot, POLICY_FILE);
  if (read.kind === 'unreadable' || !options.workspaceRoot) {
    return { policy: policyWithRules(user.rules), file: read.kind === 'unreadable' ? { status: 'unreadable', reason: read.reason, value: undefined } : { status: 'absent', value: undefined }, problems: user.problems };
  }
  const text = read.kind === 'text' ? read.text : undefined;
  const file = await useRepositoryFile(options.approvals, workspaceKeyFor(options.workspaceRoot), POLICY_FILE, {
    text,
    parse: parseCommandRulesFile,
    tightening: (rules) => ({ value: undefined, loosens: rules.length > 0 }),
  });
  return { policy: policyWithRules(user.rules, file.value ?? []), file, ...(text !== undefined ? { text } : {}), problems: user.problems };
}
