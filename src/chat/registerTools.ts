import * as vscode from 'vscode';
import { parseToolInput } from '../providers/chat/tools/toolInput';
import { type ChatTool, type ToolContext } from '../providers/chat/tools/toolTypes';
import { WORK_ITEM_TOOLS } from '../providers/chat/tools/workItemTools';

function abortOn(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const sub = token.onCancellationRequested(() => controller.abort());
  if (token.isCancellationRequested) controller.abort();
  return { signal: controller.signal, dispose: () => sub.dispose() };
}

function languageModelTool<I>(tool: ChatTool<I>, ctx: ToolContext): vscode.LanguageModelTool<unknown> {
  return {
    async prepareInvocation(options, token) {
      const input = parseToolInput(tool, options.input);
      const cancel = abortOn(token);
      try {
        const prepared = await tool.prepare(input, ctx, cancel.signal);
        return {
          invocationMessage: prepared.invocationMessage,
          ...(prepared.confirmation ? { confirmationMessages: { title: prepared.confirmation.title, message: new vscode.MarkdownString(prepared.confirmation.message) } } : {}),
        };
      } finally {
        cancel.dispose();
      }
    },
    async invoke(options, token) {
      const input = parseToolInput(tool, options.input);
      const cancel = abortOn(token);
      try {
        const text = await tool.invoke(input, ctx, cancel.signal);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
      } finally {
        cancel.dispose();
      }
    },
  };
}

/**
 * Registers every tool of contributes.languageModelTools (Copilot's agent mode and other
 * participants call them). Read tools run at once; the ones that change a work item confirm the
 * exact change first (prepareInvocation) and write an audit event when they run.
 */
export function registerWorkItemTools(ctx: ToolContext): vscode.Disposable[] {
  return WORK_ITEM_TOOLS.map((tool) => vscode.lm.registerTool(tool.name, languageModelTool(tool, ctx)));
}
