import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { OPTIONAL_PARTS, slugFor } from '../../agents/scaffold/input';
import { type AgentCommand } from './agentCommands';
import { workItemFromArgument } from '../../core/boards/workItemTarget';

const TEMPLATE_PICKS = [
  { label: 'FastAPI', description: 'Python REST API, OpenAPI docs, pytest', value: 'fastapi' },
  { label: 'Flask', description: 'Python web API, pytest', value: 'flask' },
  { label: 'Django REST framework', description: 'Python, admin, migrations, DRF schema, pytest', value: 'django' },
  { label: 'Express (TypeScript)', description: 'Node.js REST API, Swagger, vitest', value: 'express' },
  { label: 'React (Vite + TypeScript)', description: "create-vite's layout plus vitest", value: 'react' },
  { label: 'Vue (Vite + TypeScript)', description: "create-vite's layout plus vitest", value: 'vue' },
] as const;

const DATABASE_PICKS = [
  { label: 'SQLite', description: 'a file; nothing to run (default)', value: 'sqlite' },
  { label: 'PostgreSQL', description: 'docker-compose service; tests use SQLite unless DATABASE_URL is set', value: 'postgres' },
  { label: 'SQL Server', description: 'docker-compose service; tests use SQLite unless DATABASE_URL is set', value: 'sqlserver' },
  { label: 'MongoDB', description: 'docker-compose service; tests use mongomock or an in-memory store', value: 'mongodb' },
  { label: 'No database', value: 'none' },
] as const;

const PART_LABELS: Readonly<Record<(typeof OPTIONAL_PARTS)[number], string>> = {
  openapi: 'OpenAPI description',
  tests: 'Tests',
  lint: 'Lint configuration',
  ci: 'CI: Azure Pipelines and GitHub Actions',
  docker: 'Dockerfile and docker-compose',
};

async function folderIsEmpty(root: string): Promise<boolean> {
  const entries = await fs.readdir(root).catch(() => []);
  return entries.every((e) => ['.git', '.vscode', '.devops', '.DS_Store'].includes(e));
}

/** The quick picks: template, database, folder, parts; sensible defaults, Escape at any step runs nothing. */
async function collectScaffold(args: readonly unknown[]): Promise<unknown> {
  // From a work item (its tree node, a TODO lens or hover): the same questions, then linked to it.
  const workItem = workItemFromArgument(args[0]);
  // Called with the input already made (a test, the chat, another command): the runtime validates it.
  if (!workItem && args[0] && typeof args[0] === 'object') return args[0];
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) {
    void vscode.window.showWarningMessage('Open a folder first (File > Open Folder): the project is generated into it.');
    return undefined;
  }
  const title = workItem ? `AI DevOps: Scaffold Project for ${workItem}` : 'AI DevOps: Scaffold Project';
  const template = await vscode.window.showQuickPick(TEMPLATE_PICKS, { title: `${title} (1/4)`, placeHolder: 'What kind of project?' });
  if (!template) return undefined;
  const backend = ['fastapi', 'flask', 'django', 'express'].includes(template.value);
  const database = backend ? await vscode.window.showQuickPick(DATABASE_PICKS, { title: `${title} (2/4)`, placeHolder: 'Which database?' }) : undefined;
  if (backend && !database) return undefined;
  const empty = await folderIsEmpty(root);
  const suggested = empty ? '' : `my-${template.value === 'react' || template.value === 'vue' ? 'app' : 'api'}`;
  const folder = await vscode.window.showInputBox({
    title: `${title} (3/4)`,
    prompt: empty ? 'A subfolder for the project, or leave empty to use this (empty) folder.' : 'This folder is not empty: a new subfolder for the project (existing files are never replaced without a diff).',
    value: suggested,
    validateInput: (v) => (v.trim() === '' || /^(?!.*\.\.)(?![\\/])[\w./-]{1,200}$/.test(v.trim()) ? undefined : 'A relative folder name such as orders-api'),
  });
  if (folder === undefined) return undefined;
  const parts = await vscode.window.showQuickPick(
    OPTIONAL_PARTS.filter((p) => backend || p !== 'openapi').map((p) => ({ label: PART_LABELS[p], value: p, picked: true })),
    { title: `${title} (4/4)`, placeHolder: 'What to include (untick to leave out)', canPickMany: true },
  );
  if (!parts) return undefined;
  const without = OPTIONAL_PARTS.filter((p) => !parts.some((x) => x.value === p) && (backend || p !== 'openapi'));
  const f = folder.trim();
  return {
    template: template.value,
    ...(database ? { database: database.value } : {}),
    ...(f ? { folder: f, name: slugFor(f.split('/').pop() ?? f) } : {}),
    ...(without.length ? { without } : {}),
    ...(workItem ? { workItem } : {}),
  };
}

export const SCAFFOLD_COMMANDS: readonly AgentCommand[] = [{ command: 'aiDevops.agents.scaffold', agent: 'scaffold', action: 'project', collect: collectScaffold }];
