import * as vscode from 'vscode';
import { type RunResult } from '../../agents/runtime/runAgent';
import { AZURE_DEVOPS_NAME } from '../../core/bootstrap/projectSetup';
import { SANDBOX_GITHUB, SANDBOX_PROJECT } from '../../sandbox/identity';
import { githubProjectToConnect } from '../../agents/orchestrator/projectToConnect';
import { type AgentCommand } from './agentCommands';

const STEPS = 5;

const PROCESS_PICKS = [
  { label: 'Agile', description: 'Epic > Feature > User Story > Task; Story Points', value: 'Agile' },
  { label: 'Scrum', description: 'Epic > Feature > Product Backlog Item > Task; Effort', value: 'Scrum' },
  { label: 'Basic', description: 'Epic > Issue > Task; Effort', value: 'Basic' },
  { label: 'CMMI', description: 'Epic > Feature > Requirement > Task; Size', value: 'CMMI' },
] as const;

const SPRINT_PICKS = [
  { label: '6 two-week sprints', value: { sprints: 6, sprintDays: 14 } },
  { label: '4 two-week sprints', value: { sprints: 4, sprintDays: 14 } },
  { label: '4 three-week sprints', value: { sprints: 4, sprintDays: 21 } },
  { label: '12 one-week sprints', value: { sprints: 12, sprintDays: 7 } },
  { label: 'No sprints', description: 'the project\'s iterations stay as they are', value: { sprints: 0 } },
] as const;

const REVIEWER_PICKS = [1, 2, 3].map((n) => ({ label: `${n} reviewer${n === 1 ? '' : 's'}`, ...(n === 2 ? { description: 'the default' } : {}), value: n }));

/** The project the settings connect to (the sandbox's own in the sandbox). */
function configuredProject(): { readonly project: string; readonly sandbox: boolean } {
  const config = vscode.workspace.getConfiguration('aiDevops');
  const sandbox = config.get<string>('backend') === 'sandbox';
  return { project: sandbox ? SANDBOX_PROJECT : (config.get<string>('azureDevOps.project') ?? ''), sandbox };
}

/**
 * Bootstrap Azure DevOps Project…: the project (the connected one, or a new one of the same
 * organization), its process, area paths, sprints and how many reviewers main needs. What exists
 * is read first and the plan that follows lists only what is missing: nothing is created until
 * the review is accepted, each step approved by the policy, the run audited.
 */
async function collectBootstrap(args: readonly unknown[]): Promise<unknown> {
  // Called with the input already made (a test, another command): the runtime validates it.
  if (args[0] && typeof args[0] === 'object') return args[0];
  if (vscode.workspace.getConfiguration('aiDevops').get<string>('workItems.defaultTracker') === 'github') return collectGitHubBootstrap();
  const title = 'AI DevOps: Bootstrap Azure DevOps Project';
  const { project: current } = configuredProject();
  const project = await vscode.window.showInputBox({
    title: `${title} (1/${STEPS})`,
    prompt: 'The project to set up: the connected one, or a new one of the same organization (bootstrap creates it)',
    value: current,
    validateInput: (v) => (AZURE_DEVOPS_NAME.test(v.trim()) ? undefined : 'A project name without \\ / $ ? * : " & < > # % | +'),
  });
  if (!project?.trim()) return undefined;
  const process = await vscode.window.showQuickPick(PROCESS_PICKS, { title: `${title} (2/${STEPS})`, placeHolder: 'The process of a new project (an existing project keeps its own)' });
  if (!process) return undefined;
  const areas = await vscode.window.showInputBox({
    title: `${title} (3/${STEPS})`,
    prompt: 'Area paths to add, comma-separated. Leave empty for none.',
    placeHolder: 'Web, API',
    validateInput: (v) => (v.split(',').map((s) => s.trim()).every((s) => s === '' || AZURE_DEVOPS_NAME.test(s)) ? undefined : 'Names without \\ / $ ? * : " & < > # % | +, separated by commas'),
  });
  if (areas === undefined) return undefined;
  const sprints = await vscode.window.showQuickPick(SPRINT_PICKS, { title: `${title} (4/${STEPS})`, placeHolder: 'Sprints from next Monday, back to back' });
  if (!sprints) return undefined;
  const reviewers = await vscode.window.showQuickPick(REVIEWER_PICKS, { title: `${title} (5/${STEPS})`, placeHolder: 'Approvals a pull request into main needs' });
  if (!reviewers) return undefined;
  return { project: project.trim(), process: process.value, areas: areas.trim(), ...sprints.value, minimumReviewers: reviewers.value };
}

/**
 * GitHub is the configured tracker: the repository's Project (the one aiDevops.github.projectNumber
 * names, or one of the title asked, created when missing) and its sprints.
 */
async function collectGitHubBootstrap(): Promise<unknown> {
  const title = 'AI DevOps: Bootstrap the GitHub Project';
  const config = vscode.workspace.getConfiguration('aiDevops');
  // The sandbox's Project is fixed (SANDBOX_GITHUB.projectNumber), as the connected one would be.
  const number = config.get<string>('backend') === 'sandbox' ? SANDBOX_GITHUB.projectNumber : config.get<number | null>('github.projectNumber');
  const project = number
    ? undefined
    : await vscode.window.showInputBox({
        title: `${title} (1/2)`,
        prompt: 'The Project\'s title: found among the owner\'s Projects, or created and linked to the repository',
        value: config.get<string>('backend') === 'sandbox' ? SANDBOX_GITHUB.repo : (config.get<string>('github.repo') ?? ''),
        validateInput: (v) => (v.trim() && v.trim().length <= 128 ? undefined : 'A title of 1 to 128 characters'),
      });
  if (!number && !project?.trim()) return undefined;
  const sprints = await vscode.window.showQuickPick(SPRINT_PICKS, { title: `${title} (${number ? 1 : 2}/2)`, placeHolder: `Sprints of the Project's iteration field${number ? ` (Project ${number})` : ''}, from next Monday` });
  if (!sprints) return undefined;
  return { tracker: 'github', ...(project ? { project: project.trim() } : {}), ...sprints.value };
}

/**
 * A new project other than the connected one: offer to connect this workspace to it (not in the
 * sandbox, whose projects are fixed). On GitHub: the Project set up when aiDevops.github.projectNumber
 * does not name it yet (a new Project, or one found by its title), written as a workspace setting
 * only when the user chooses it.
 */
async function afterBootstrap(result: RunResult, input: unknown): Promise<void> {
  const wanted = (input as { project?: unknown } | undefined)?.project;
  const { project: current, sandbox } = configuredProject();
  if ((input as { tracker?: unknown } | undefined)?.tracker === 'github' || (result.plan?.result as { tracker?: unknown } | undefined)?.tracker === 'github') {
    const config = vscode.workspace.getConfiguration('aiDevops');
    const project = sandbox ? undefined : githubProjectToConnect(result, config.get<number | null>('github.projectNumber'));
    if (!project) return;
    const use = `Use Project ${project.number} Here`;
    const pick = await vscode.window.showInformationMessage(`AI DevOps: the GitHub Project "${project.title}" (#${project.number}) is set up. Use it in this workspace (aiDevops.github.projectNumber), for the board, sprint planning and epic plans?`, use);
    if (pick === use) await config.update('github.projectNumber', project.number, vscode.ConfigurationTarget.Workspace);
    return;
  }
  if (result.outcome !== 'succeeded' || sandbox || typeof wanted !== 'string' || wanted === current) return;
  const use = `Use ${wanted} Here`;
  const pick = await vscode.window.showInformationMessage(`AI DevOps: ${wanted} is set up. Connect this workspace to it (aiDevops.azureDevOps.project)?`, use);
  if (pick === use) await vscode.workspace.getConfiguration('aiDevops').update('azureDevOps.project', wanted, vscode.ConfigurationTarget.Workspace);
}

export const BOOTSTRAP_COMMANDS: readonly AgentCommand[] = [{ command: 'aiDevops.agents.bootstrap', agent: 'bootstrap', action: 'bootstrap', collect: collectBootstrap, after: afterBootstrap }];
