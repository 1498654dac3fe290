import { type ChatModel } from '../../core/ai/chatModel';
import { type ChatMessage, type ToolCall } from '../../core/ai/messages';
import { type ModelError } from '../../core/ai/modelErrors';
import { type WorkItem } from '../../core/workItem';
import { type ChatAnswer } from '../../core/chat/chatOutput';
import { freeFormMessages } from '../../core/chat/prompts';
import { workItemMentions } from '../../core/chat/workItemArgument';
import { itemKey, workItemLine } from '../../core/chat/workItemFormat';
import { isDevOpsError } from '../../core/errors';
import { type ChatRequestInput, type ChatServices } from './chatServices';
import { asModelError, noteModelUnavailable } from './modelAnswer';
import { parseToolInput } from './tools/toolInput';
import { toolDefinition } from './tools/toolDefinitions';
import { type ToolContext } from './tools/toolTypes';
import { READ_TOOLS } from './tools/workItemTools';
import { getWorkItems } from './workItemLookup';

/** Work items read for one question at most (the rest are named as not read). */
const MAX_MENTIONS = 5;
/** Model turns for one question (each may call read tools). */
const MAX_ROUNDS = 4;

async function runReadTool(call: ToolCall, ctx: ToolContext, signal: AbortSignal): Promise<string> {
  const tool = READ_TOOLS.find((t) => t.name === call.name);
  if (!tool) return `There is no tool named ${call.name}; the tools offered are ${READ_TOOLS.map((t) => t.name).join(', ')}.`;
  try {
    return await tool.invoke(parseToolInput(tool, call.arguments), ctx, signal);
  } catch (error) {
    if (isDevOpsError(error) && error.code === 'cancelled') throw error;
    return `Error: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * A question in plain words. The work items it names (AB#7, #45) and the files attached (#file)
 * go with it, with the conversation so far; the model may call the read-only work item tools.
 * Without a model the mentioned items are still shown, and the user is told how to configure one.
 */
export async function answerFreeForm(req: ChatRequestInput, services: ChatServices, tools: ToolContext): Promise<ChatAnswer> {
  const { output, signal } = req;
  const mentions = workItemMentions(req.prompt, services.defaultTracker());
  const hasTracker = services.trackers.azure() !== undefined || services.trackers.github() !== undefined;
  const { items, missing } = mentions.length && hasTracker ? await getWorkItems(mentions.slice(0, MAX_MENTIONS), services.trackers, signal) : { items: [], missing: mentions.length ? ['(no tracker is connected, so the work items mentioned could not be read)'] : [] };
  for (const i of items) output.reference({ kind: 'url', url: i.url, title: `${itemKey(i)} ${i.title}` });

  let model: ChatModel;
  try {
    model = await req.model.get(signal);
  } catch (error) {
    return withoutModel(req, items, asModelError(error));
  }

  const messages: ChatMessage[] = freeFormMessages({ question: req.prompt, history: req.history, workItems: items, missingWorkItems: missing, files: req.files });
  const definitions = hasTracker ? READ_TOOLS.map(toolDefinition) : [];
  let wrote = false;
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const calls: ToolCall[] = [];
      let text = '';
      const lastRound = round === MAX_ROUNDS - 1;
      for await (const chunk of model.stream(messages, { signal, ...(definitions.length && !lastRound ? { tools: definitions } : {}) })) {
        if (chunk.type === 'text' && chunk.text) {
          text += chunk.text;
          wrote = true;
          output.markdown(chunk.text);
        } else if (chunk.type === 'toolCall') calls.push(chunk.call);
      }
      if (calls.length === 0) break;
      messages.push({ role: 'assistant', content: text, toolCalls: calls });
      for (const call of calls) {
        output.progress(call.name === 'aiDevops_getWorkItem' ? `Reading work item ${String(call.arguments.id ?? '')}…` : 'Querying work items…');
        messages.push({ role: 'tool', toolCallId: call.id, name: call.name, content: await runReadTool(call, tools, signal) });
      }
    }
  } catch (error) {
    if (isDevOpsError(error) && error.code === 'cancelled') throw error;
    if (!wrote) return withoutModel(req, items, asModelError(error));
    output.markdown(`\n\n_The model stopped before finishing: ${error instanceof Error ? error.message : String(error)}_`);
  }
  return { command: 'ask', workItems: items.map(itemKey), usedModel: true };
}

function withoutModel(req: ChatRequestInput, items: readonly WorkItem[], error: ModelError): ChatAnswer {
  const { output } = req;
  if (items.length) output.markdown(`The work items you mentioned:\n\n${items.map(workItemLine).join('\n')}\n`);
  output.markdown('\nWithout a model I can still answer `/status`, `/workitem <id>`, `/audit` (a listing of the trail) and `/git`.');
  noteModelUnavailable(output, error, 'Answering a question in plain words');
  return { command: 'ask', workItems: items.map(itemKey), usedModel: false, error: error.message };
}
