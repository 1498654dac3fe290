import { type AgentContext } from '../runtime/context';
import { type RepositoryFile } from './bootstrapPlan';

const GITIGNORE = [
  '# Dependencies and build output',
  'node_modules/',
  'dist/',
  'build/',
  'out/',
  'coverage/',
  '__pycache__/',
  '*.py[cod]',
  '.venv/',
  'venv/',
  'bin/',
  'obj/',
  'target/',
  '',
  '# Local settings and secrets',
  '.env',
  '.env.*',
  '!.env.example',
  '*.log',
  '.DS_Store',
  '.vscode/*',
  '!.vscode/extensions.json',
  '',
  '# AI DevOps run scratch (the audit trail in .devops/audit stays committed)',
  '.devops/tmp/',
  '',
].join('\n');

/**
 * What a new repository starts with: a README naming the project, a .gitignore, and the workspace's
 * azure-pipelines.yml (what the scaffold agent writes) when there is one, so build validation has a
 * pipeline definition to come from.
 */
export async function repositoryFiles(ctx: AgentContext, project: string, description: string | undefined): Promise<RepositoryFile[]> {
  const readme = [`# ${project}`, '', description ?? `${project}, set up by AI DevOps.`, '', '## Working here', '', '- Work items: Azure Boards of this project; name them in commits as `AB#<id>`.', '- main is protected: changes come through pull requests with reviewers, a linked work item and a passing build.', ''].join('\n');
  const files: RepositoryFile[] = [
    { path: '/README.md', content: readme },
    { path: '/.gitignore', content: GITIGNORE },
  ];
  const pipeline = await ctx.files.read('azure-pipelines.yml');
  if (pipeline) files.push({ path: '/azure-pipelines.yml', content: pipeline.text });
  return files;
}
