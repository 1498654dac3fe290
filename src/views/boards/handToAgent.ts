import * as vscode from 'vscode';
import { handOffChoices, handOffInput, type HandOffAgent } from '../../core/boards/agentHandOff';
import { workItemKey } from '../../core/workItem';
import { type BoardsCommandContext, resolveTarget, showCommandError } from './commandContext';

/** A ready choice (a test, the chat, another command): which agent, and the rest of its input. */
interface HandOffRequest {
  readonly agent: HandOffAgent;
  readonly input?: Readonly<Record<string, unknown>>;
}

const AGENTS: readonly HandOffAgent[] = ['scaffold', 'qa', 'security', 'release'];

function requestOf(value: unknown): HandOffRequest | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as { agent?: unknown; input?: unknown };
  if (typeof v.agent !== 'string' || !AGENTS.includes(v.agent as HandOffAgent)) return undefined;
  const input = typeof v.input === 'object' && v.input !== null && !Array.isArray(v.input) ? (v.input as Record<string, unknown>) : undefined;
  return { agent: v.agent as HandOffAgent, ...(input ? { input } : {}) };
}

/**
 * AI DevOps: Hand to an Agent… on a work item of the trees, a linked TODO's lens or the palette:
 * the agents in the order they fit the item (the fitting one first, saying why), and the chosen
 * one runs like its own command (its questions, the plan reviewed, each step approved, audited),
 * linked to the item where the agent works on one.
 */
export function registerHandToAgent(context: BoardsCommandContext): vscode.Disposable {
  return vscode.commands.registerCommand('aiDevops.workItem.handToAgent', async (arg?: unknown, choice?: unknown) => {
    try {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('This folder is in Restricted Mode, so AI DevOps agents run nothing here. Trust the folder (Manage Workspace Trust) to use them.');
        return undefined;
      }
      const t = await resolveTarget(context, arg, 'Hand which work item to an agent?');
      if (!t) return undefined;
      const key = workItemKey(t.item);
      const choices = handOffChoices(t.item);
      let request = requestOf(choice);
      if (!request) {
        const picked = await vscode.window.showQuickPick(
          choices.map((c) => ({ label: c.label, description: c.fits ? `fits: ${c.fits}` : '', detail: c.detail, agent: c.agent })),
          { title: `AI DevOps: Hand ${key} to an Agent`, placeHolder: choices[0]?.fits ? `${choices[0].label} fits ${key} best` : `Nothing in ${key} points at one agent: choose` },
        );
        if (!picked) return undefined;
        request = { agent: picked.agent };
      }
      const chosen = choices.find((c) => c.agent === request.agent)!;
      // The scaffold asks its own questions about the item (template, folder) unless they are given.
      const argument = request.agent === 'scaffold' && !request.input ? arg ?? { reference: { tracker: t.item.tracker, id: t.item.id }, key } : handOffInput(request.agent, t.item, request.input);
      context.log.info(`Handing ${key} to the ${request.agent} agent${chosen.fits ? ` (${chosen.fits})` : ''}.`);
      return await vscode.commands.executeCommand(chosen.command, argument);
    } catch (error) {
      await showCommandError(error, context.log, 'Hand to an agent');
      return undefined;
    }
  });
}
