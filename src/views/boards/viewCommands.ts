import * as vscode from 'vscode';
import { FILTER_CHOICES, type GroupBy, GROUP_BY_CHOICES } from '../../core/boards/boardTree';
import { type WorkItemFilter } from '../../core/boards/workTracker';
import { DevOpsError } from '../../core/errors';
import { type BoardsController } from './boardsController';
import { type BoardsCommandContext, showCommandError } from './commandContext';
import { createItem } from './workItemCommands';

/** The view title commands: refresh, filter, group by, create, select project. */
export function registerViewCommands(context: BoardsCommandContext, controller: BoardsController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('aiDevops.boards.refresh', () => controller.refreshAzure(true, { reconcile: true })),
    vscode.commands.registerCommand('aiDevops.boards.filter', async (given?: unknown) => {
      const current = controller.preferences.filter;
      const valid = FILTER_CHOICES.find((f) => f.id === given);
      const pick =
        valid ??
        (await vscode.window.showQuickPick(
          FILTER_CHOICES.map((f) => ({ ...f, label: f.label, description: f.id === current ? '(current)' : '', picked: f.id === current })),
          { title: 'Show which work items?' },
        ));
      if (!pick) return controller.azureSummary();
      await controller.setPreferences({ filter: pick.id as WorkItemFilter });
      return controller.refreshAzure(false);
    }),
    vscode.commands.registerCommand('aiDevops.boards.groupBy', async (given?: unknown) => {
      const current = controller.preferences.groupBy;
      const valid = GROUP_BY_CHOICES.find((g) => g.id === given);
      const pick = valid ?? (await vscode.window.showQuickPick(GROUP_BY_CHOICES.map((g) => ({ ...g, description: g.id === current ? '(current)' : '' })), { title: 'Group work items by' }));
      if (!pick) return controller.azureSummary();
      await controller.setPreferences({ groupBy: pick.id as GroupBy });
      return controller.refreshAzure(false);
    }),
    vscode.commands.registerCommand('aiDevops.boards.createWorkItem', async (type?: unknown, title?: unknown) => {
      try {
        const tracker = context.azure();
        if (!tracker) throw new DevOpsError('notConfigured', 'Azure Boards is not connected. Sign in, or set the organization and project in Settings (or try the sandbox).');
        const types = await tracker.childTypes(undefined);
        if (types.length === 0) throw new DevOpsError('notFound', 'The project offers no work item types to create; check the project\'s process in Azure DevOps.');
        const chosen = typeof type === 'string' ? type : await vscode.window.showQuickPick([...types], { title: 'Create work item', placeHolder: 'Type' });
        if (chosen === undefined) return undefined;
        if (!types.includes(chosen)) throw new DevOpsError('invalidInput', `"${chosen}" is not a type this project creates at the top level; choose one of ${types.join(', ')} (create tasks under their story with "Create Child Work Item").`);
        return await createItem(context, { tracker, item: undefined }, chosen, typeof title === 'string' ? title : undefined);
      } catch (error) {
        await showCommandError(error, context.log, 'Create work item');
        return undefined;
      }
    }),
    vscode.commands.registerCommand('aiDevops.githubProjects.refresh', () => controller.refreshGitHub(true)),
    vscode.commands.registerCommand('aiDevops.githubProjects.openGroup', async (given?: unknown) => {
      try {
        return await controller.openGitHubGroup(typeof given === 'string' ? given : undefined);
      } catch (error) {
        await showCommandError(error, context.log, 'Open Status group');
        return undefined;
      }
    }),
    vscode.commands.registerCommand('aiDevops.githubProjects.selectProject', async (given?: unknown) => {
      try {
        const tracker = context.github();
        if (!tracker) throw new DevOpsError('notConfigured', 'GitHub is not connected. Sign in, or set the owner and repository in Settings (or try the sandbox).');
        let number = typeof given === 'number' && Number.isInteger(given) && given > 0 ? given : undefined;
        if (number === undefined) {
          const projects = await vscode.window.withProgress({ location: { viewId: 'aiDevops.githubProjects' } }, () => tracker.projects());
          if (projects.length === 0) {
            void vscode.window.showInformationMessage('The owner has no GitHub Projects (v2) you can see. Create one on GitHub, or check the owner setting.');
            return undefined;
          }
          const current = controller.projectNumber();
          const pick = await vscode.window.showQuickPick(
            projects.map((p) => ({ label: `#${p.number} ${p.title}`, description: [p.closed ? 'closed' : '', p.number === current ? '(current)' : ''].filter(Boolean).join(' '), detail: p.url, number: p.number })),
            { title: 'Show which GitHub Project?', matchOnDetail: true },
          );
          number = pick?.number;
        }
        if (number === undefined) return undefined;
        await controller.setPreferences({ githubProject: number });
        return await controller.refreshGitHub(false);
      } catch (error) {
        await showCommandError(error, context.log, 'Select GitHub project');
        return undefined;
      }
    }),
  ];
}
