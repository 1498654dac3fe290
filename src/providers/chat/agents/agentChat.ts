import { type RunResult } from '../../../agents/runtime/runAgent';
import { type ChatAnswer } from '../../../core/chat/chatOutput';
import { escapeMarkdown } from '../../../core/chat/markdown';
import { type ChatModel } from '../../../core/ai/chatModel';
import { type FileContext } from '../../../core/chat/prompts';
import { type ChatRequestInput, type ChatServices } from '../chatServices';
import { type ToolContext } from '../tools/toolTypes';
import { hasEffects, outcomeMarkdown, planMarkdown } from './planMarkdown';

/** How @devops runs agents: plan now (nothing applied), apply later from the kept plan. */
export interface ChatAgents {
  plan(agent: string, action: string, input: unknown, options: { readonly signal: AbortSignal; readonly onProgress: (message: string) => void }): Promise<RunResult>;
  /** The command that reviews and applies a kept plan (`aiDevops.agents.applyPlan`). */
  readonly applyCommand: string;
}

/** What a slash command understood from the sentence, or why it could not. */
export type ParsedAgentRequest =
  /** `action` picks another action of the same agent than the command's own (`/plan sprint`). */
  | { readonly ok: true; readonly input: unknown; readonly understood: readonly string[]; readonly action?: string }
  | { readonly ok: false; readonly message: string };

export interface AgentChatCommand {
  /** The slash command, without the slash. */
  readonly command: string;
  readonly agent: string;
  readonly action: string;
  /** Turns the sentence (and the files attached with #file) into the action's input; with a model when there is one (parsed with zod), else by keywords. */
  parse(prompt: string, model: ChatModel | undefined, signal: AbortSignal, files: readonly FileContext[]): Promise<ParsedAgentRequest>;
}

/**
 * An agent's slash command: understand the sentence, say what was understood, plan (nothing is
 * applied: the runtime's plan mode), show the plan, and offer one button that opens the review
 * (diffs, untick what you do not want) and applies.
 */
export function agentCommandHandler(spec: AgentChatCommand) {
  return async (req: ChatRequestInput, services: ChatServices, _tools: ToolContext): Promise<ChatAnswer> => {
    const agents = services.agents;
    if (!agents) {
      req.output.markdown('Agents need a folder: open one (File > Open Folder) and ask again.');
      return { command: spec.command, error: 'no workspace' };
    }
    const model = await req.model.get(req.signal).catch(() => undefined);
    const parsed = await spec.parse(req.prompt, model, req.signal, req.files);
    if (!parsed.ok) {
      req.output.markdown(parsed.message);
      return { command: spec.command, error: 'not understood' };
    }
    if (parsed.understood.length) req.output.markdown(`**What I understood:** ${parsed.understood.map(escapeMarkdown).join(' · ')}\n\n`);
    const result = await agents.plan(spec.agent, parsed.action ?? spec.action, parsed.input, { signal: req.signal, onProgress: (m) => req.output.progress(m) });
    if (result.outcome === 'cancelled') return { command: spec.command, error: 'cancelled' };
    if (!result.plan) {
      req.output.markdown(outcomeMarkdown(result));
      return { command: spec.command, error: result.error ?? 'failed' };
    }
    req.output.markdown(planMarkdown(result.plan));
    const failure = outcomeMarkdown(result);
    if (failure) req.output.markdown(`\n\n${failure}`);
    if (result.outcome === 'succeeded' && hasEffects(result.plan)) {
      req.output.markdown('\n\nNothing has been changed yet. Review the changes (with diffs) and apply what you keep:');
      req.output.button({ command: agents.applyCommand, title: 'Review and Apply…', arguments: [result.runId] });
    }
    return { command: spec.command, ...(result.outcome === 'succeeded' ? {} : { error: result.error ?? result.outcome }), usedModel: model !== undefined };
  };
}
