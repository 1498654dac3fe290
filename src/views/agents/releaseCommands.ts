import * as vscode from 'vscode';
import { type AgentCommand } from './agentCommands';

const KIND_PICKS = [
  { label: 'As the commits recommend', description: 'breaking > feat > fix, from the conventional commits since the last release tag', value: {} },
  { label: 'A pre-release (rc)', description: 'continues an -rc.N series, or starts one', value: { preid: 'rc' } },
  { label: 'Patch', description: 'override the recommendation', value: { releaseAs: 'patch' } },
  { label: 'Minor', description: 'override the recommendation', value: { releaseAs: 'minor' } },
  { label: 'Major', description: 'override the recommendation', value: { releaseAs: 'major' } },
] as const;

/**
 * The release's choices: what kind of version, and a deployment to start after the push (empty
 * for none). The plan that follows is the preview: nothing is written, tagged or pushed until the
 * review is accepted, each remote step approved on its own.
 */
async function collectRelease(args: readonly unknown[]): Promise<unknown> {
  // Called with the input already made (a test, the chat, another command): the runtime validates it.
  if (args[0] && typeof args[0] === 'object') return args[0];
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showWarningMessage('Open a folder with a git repository first: the release is planned from its history.');
    return undefined;
  }
  const title = 'AI DevOps: Prepare Release';
  const kind = await vscode.window.showQuickPick(KIND_PICKS, { title: `${title} (1/2)`, placeHolder: 'Which version?' });
  if (!kind) return undefined;
  const deploy = await vscode.window.showInputBox({
    title: `${title} (2/2)`,
    prompt: 'Deploy after the push: a GitHub workflow file (deploy.yml) or an Azure Pipelines name or id. Leave empty to deploy nothing.',
    placeHolder: 'deploy.yml',
    validateInput: (v) => (v.trim() === '' || /^[\w .\\/@+-]{1,200}$/.test(v.trim()) ? undefined : 'A workflow file such as deploy.yml, or a pipeline name or id'),
  });
  if (deploy === undefined) return undefined;
  return { ...kind.value, ...(deploy.trim() ? { deploy: deploy.trim() } : {}) };
}

export const RELEASE_COMMANDS: readonly AgentCommand[] = [{ command: 'aiDevops.agents.release', agent: 'release', action: 'apply', collect: collectRelease }];
