import * as vscode from 'vscode';
import { type DisposableStore } from '../../host/disposable';
import { type RunResult } from '../../agents/runtime/runAgent';
import { type AgentRunner } from './agentRunner';

/**
 * A palette command that runs one agent action: it collects the input the editor's way (quick
 * picks with sensible defaults, the selected item or TODO passed as arguments) and hands it to
 * the runner, which plans, reviews, applies and audits like every other run.
 */
export interface AgentCommand {
  /** The command id, contributed in package.json with its title, icon and `when`. */
  readonly command: string;
  readonly agent: string;
  readonly action: string;
  /**
   * The action's input, or undefined when the user backed out (nothing runs). `runner` lets a
   * collection plan first to offer its choices (the pending approvals to answer).
   */
  collect(args: readonly unknown[], runner: AgentRunner): Promise<unknown>;
  /** What to offer once the run ended (bootstrap: connect the workspace to the project it made). */
  after?(result: RunResult, input: unknown): Promise<void>;
}

export function registerAgentCommands(scope: DisposableStore, runner: AgentRunner, commands: readonly AgentCommand[]): void {
  for (const c of commands) {
    scope.add(
      vscode.commands.registerCommand(c.command, async (...args: unknown[]) => {
        if (!vscode.workspace.isTrusted) {
          void vscode.window.showWarningMessage('This folder is in Restricted Mode, so AI DevOps agents run nothing here. Trust the folder (Manage Workspace Trust) to use them.');
          return undefined;
        }
        try {
          const input = await c.collect(args, runner);
          if (input === undefined) return undefined;
          const result = await runner.run(c.agent, c.action, input);
          if (c.after) void c.after(result, input).catch((error: unknown) => void vscode.window.showErrorMessage(`AI DevOps: ${error instanceof Error ? error.message : String(error)}`));
          return result;
        } catch (error) {
          void vscode.window.showErrorMessage(`AI DevOps: ${error instanceof Error ? error.message : String(error)}`);
          return undefined;
        }
      }),
    );
  }
}
