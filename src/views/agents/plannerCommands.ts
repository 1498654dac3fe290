import path from 'node:path';
import * as vscode from 'vscode';
import { workItemFromArgument } from '../../core/boards/workItemTarget';
import { type AgentCommand } from './agentCommands';

const MARKDOWN = /\.(md|markdown|mdown|mkd)$/i;
const ITERATION = /^[\w .\\/-]{1,200}$/;

/** A file of the first workspace folder as the agent reads it (workspace-relative, forward slashes), or undefined outside it. */
function workspacePath(uri: vscode.Uri): string | undefined {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || uri.scheme !== 'file') return undefined;
  const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
  return rel && !rel.startsWith('..') ? rel : undefined;
}

/**
 * Plan Epic…: from a work item or issue (its tree node, a TODO lens), a Markdown file (the
 * Explorer's or the editor's context menu, or the active editor), or, when called from the palette,
 * a choice of those and free text. The plan shows the tree first and creates nothing before the review.
 */
async function collectEpic(args: readonly unknown[]): Promise<unknown> {
  const item = workItemFromArgument(args[0]);
  if (item) return { source: item, apply: true };
  if (args[0] instanceof vscode.Uri) {
    const rel = workspacePath(args[0]);
    if (!rel || !MARKDOWN.test(rel)) {
      void vscode.window.showWarningMessage('Plan Epic reads Markdown files of the open folder (.md).');
      return undefined;
    }
    return { source: rel, apply: true };
  }
  // Called with the input already made (a test, another command): the runtime validates it.
  if (args[0] && typeof args[0] === 'object') return args[0];

  const title = 'AI DevOps: Plan Epic';
  const active = vscode.window.activeTextEditor?.document;
  const activeMarkdown = active && active.languageId === 'markdown' ? workspacePath(active.uri) : undefined;
  type Pick = vscode.QuickPickItem & { readonly value: 'active' | 'file' | 'item' | 'text' };
  const picks: Pick[] = [
    ...(activeMarkdown ? [{ label: `$(markdown) ${activeMarkdown}`, description: 'the Markdown file in the editor', value: 'active' as const }] : []),
    { label: '$(file) A Markdown file…', description: 'headed sections: ## feature, ### story, - task', value: 'file' },
    { label: '$(issues) An epic work item or GitHub issue…', description: 'AB#12, #12, owner/repo#12', value: 'item' },
    { label: '$(edit) Free text…', description: 'a few sentences; a model breaks it down', value: 'text' },
  ];
  const pick = await vscode.window.showQuickPick(picks, { title, placeHolder: 'What should be planned?' });
  if (!pick) return undefined;
  switch (pick.value) {
    case 'active':
      return { source: activeMarkdown, apply: true };
    case 'file': {
      const files = await vscode.workspace.findFiles('**/*.{md,markdown}', '**/{node_modules,.git,.devops}/**', 2000);
      const choices = files.map((f) => workspacePath(f)).filter((f): f is string => f !== undefined).sort();
      if (choices.length === 0) {
        void vscode.window.showWarningMessage('There is no Markdown file in this folder to plan from.');
        return undefined;
      }
      const file = await vscode.window.showQuickPick(choices, { title, placeHolder: 'The Markdown epic' });
      return file ? { source: file, apply: true } : undefined;
    }
    case 'item': {
      const ref = await vscode.window.showInputBox({
        title,
        prompt: 'The epic: an Azure Boards work item or a GitHub issue',
        placeHolder: 'AB#12',
        validateInput: (v) => (/^(?:AB#\d{1,9}|#\d{1,9}|\d{1,9}|[\w.-]+\/[\w.-]+#\d{1,9}|https?:\/\/\S+)$/i.test(v.trim()) ? undefined : 'AB#12, #12, owner/repo#12 or a work item URL'),
      });
      return ref ? { source: ref.trim(), apply: true } : undefined;
    }
    case 'text': {
      const text = await vscode.window.showInputBox({ title, prompt: 'The epic in a few sentences (a model breaks it into features, stories and tasks)', validateInput: (v) => (v.trim().length >= 30 ? undefined : 'Say a little more: at least a sentence or two') });
      return text ? { text: text.trim(), apply: true } : undefined;
    }
  }
}

async function askIteration(title: string, prompt: string): Promise<{ readonly iteration?: string } | undefined> {
  const name = await vscode.window.showInputBox({ title, prompt, placeHolder: 'Sprint 4', validateInput: (v) => (v.trim() === '' || ITERATION.test(v.trim()) ? undefined : 'An iteration name or path, such as Sprint 4') });
  if (name === undefined) return undefined;
  return name.trim() ? { iteration: name.trim() } : {};
}

/** Plan Sprint…: which iteration (empty: the next one); the plan shows what fits and why the rest does not. */
async function collectSprint(args: readonly unknown[]): Promise<unknown> {
  if (args[0] && typeof args[0] === 'object') return args[0];
  const it = await askIteration('AI DevOps: Plan Sprint', 'The iteration to plan. Leave empty for the next sprint.');
  return it ? { ...it, apply: true } : undefined;
}

/** Sprint Status Report…: which iteration (empty: the current one), and whether to publish it to the wiki. */
async function collectReport(args: readonly unknown[]): Promise<unknown> {
  if (args[0] && typeof args[0] === 'object') return args[0];
  const title = 'AI DevOps: Sprint Status Report';
  const it = await askIteration(`${title} (1/2)`, 'The iteration to report on. Leave empty for the current sprint.');
  if (!it) return undefined;
  const where = await vscode.window.showQuickPick(
    [
      { label: 'Write it under .devops/reports', value: false },
      { label: 'Write it and publish it to the project wiki', value: true },
    ],
    { title: `${title} (2/2)` },
  );
  if (!where) return undefined;
  return { ...it, ...(where.value ? { wiki: true } : {}) };
}

export const PLANNER_COMMANDS: readonly AgentCommand[] = [
  { command: 'aiDevops.agents.planEpic', agent: 'plan', action: 'epic', collect: collectEpic },
  { command: 'aiDevops.agents.planSprint', agent: 'plan', action: 'sprint', collect: collectSprint },
  { command: 'aiDevops.agents.planReport', agent: 'plan', action: 'report', collect: collectReport },
];
