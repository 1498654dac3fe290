import * as vscode from 'vscode';
import { type FileApprovals, workspaceKeyFor } from '../core/approvals';
import { type Logger } from '../core/host';
import { POLICY_FILE } from '../core/policy';
import { type LoadedCommandPolicy, loadCommandPolicy } from '../providers/files/commandPolicyLoader';
import { type DisposableStore } from './disposable';
import { type AskApproval } from './fileApprovals';

export interface CommandPolicySource {
  /**
   * The policy to pass to decideCommand: the built-in rules, the user's `aiDevops.commands.allow`
   * and an approved `.devops/commands.json`. `interactive` (a user is waiting on a command) first
   * asks about a workspace file that is not approved yet.
   */
  current(options?: { readonly interactive?: boolean }): Promise<LoadedCommandPolicy>;
}

/** Only the user's own value: the setting is machine-scoped, and a workspace value is ignored even if one slips in. */
const userRules = (): unknown => vscode.workspace.getConfiguration('aiDevops').inspect('commands.allow')?.globalValue;

const ruleCount = (n: number): string => `${n} command rule${n === 1 ? '' : 's'}`;

export function registerCommandPolicy(
  scope: DisposableStore,
  options: { readonly approvals: FileApprovals; readonly ask: AskApproval; readonly log: Logger; readonly workspaceRoot: () => string | undefined },
): CommandPolicySource {
  let reported = '';
  const load = async (): Promise<LoadedCommandPolicy> => {
    const loaded = await loadCommandPolicy({ workspaceRoot: options.workspaceRoot(), userRules: userRules(), approvals: options.approvals });
    const problems = [...loaded.problems, ...(loaded.file.status === 'invalid' || loaded.file.status === 'unreadable' ? [loaded.file.reason] : [])].join(' ');
    if (problems !== reported) {
      reported = problems;
      if (problems) options.log.warn(`Command rules ignored: ${problems}`);
    }
    return loaded;
  };

  const askAbout = async (loaded: LoadedCommandPolicy, again = false): Promise<boolean> => {
    const root = options.workspaceRoot();
    if (loaded.file.status !== 'needsApproval' || !root || loaded.text === undefined) return false;
    const approved = await options.ask({
      workspaceKey: workspaceKeyFor(root),
      relativePath: POLICY_FILE,
      text: loaded.text,
      sha256: loaded.file.sha256,
      grants: `adds ${ruleCount(loaded.file.full.length)} for agents (${loaded.file.full.map((r) => r.executable).filter((x, i, all) => all.indexOf(x) === i).join(', ')})`,
      changedSinceApproval: loaded.file.changedSinceApproval,
    }, { again });
    if (approved) options.log.info(`${POLICY_FILE} approved (${loaded.file.sha256.slice(0, 12)}).`);
    return approved;
  };

  const source: CommandPolicySource = {
    async current(request = {}) {
      const loaded = await load();
      if (request.interactive && vscode.workspace.isTrusted && (await askAbout(loaded))) return load();
      return loaded;
    },
  };

  scope.add(
    vscode.commands.registerCommand('aiDevops.commands.reviewWorkspaceRules', async () => {
      const root = options.workspaceRoot();
      const loaded = await load();
      switch (loaded.file.status) {
        case 'absent':
          void vscode.window.showInformationMessage(`AI DevOps: this workspace has no ${POLICY_FILE}; agents run the built-in commands and those in your aiDevops.commands.allow setting.`);
          return;
        case 'invalid':
        case 'unreadable':
          void vscode.window.showErrorMessage(`AI DevOps: ${loaded.file.reason} Its rules are not used.`);
          return;
        case 'tightensOnly':
          void vscode.window.showInformationMessage(`AI DevOps: ${POLICY_FILE} holds no rules; nothing to approve.`);
          return;
        case 'needsApproval':
          await askAbout(loaded, true);
          return;
        case 'approved': {
          const revoke = 'Revoke Approval';
          const pick = await vscode.window.showInformationMessage(`AI DevOps: you approved this content of ${POLICY_FILE} (${ruleCount(loaded.file.value.length)}).`, revoke);
          if (pick === revoke && root) {
            await options.approvals.revoke(workspaceKeyFor(root), POLICY_FILE);
            options.log.info(`${POLICY_FILE} approval revoked.`);
          }
          return;
        }
      }
    }),
  );
  return source;
}
