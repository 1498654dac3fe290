import { type ChatAnswer } from '../../core/chat/chatOutput';
import { workItemSummaryMessages } from '../../core/chat/prompts';
import { parseWorkItemArgument } from '../../core/chat/workItemArgument';
import { itemKey, workItemDetails, workItemLine } from '../../core/chat/workItemFormat';
import { commandArgument, type WorkItemCommandArgument } from '../../core/todo/todoPresentation';
import { type WorkItem } from '../../core/workItem';
import { type ChatRequestInput, type ChatServices } from './chatServices';
import { noteModelUnavailable, streamModelAnswer } from './modelAnswer';
import { getWorkItem, trackerFor } from './workItemLookup';

const MAX_CHILDREN = 20;

/**
 * The argument the aiDevops.workItem.* commands take from outside the trees: `{ reference, key }`
 * (core/todo/todoPresentation commandArgument); the command reads the item afresh.
 */
export function workItemCommandArgument(item: WorkItem): WorkItemCommandArgument {
  const [owner, repo] = (item.repository ?? '').split('/');
  return commandArgument(item.tracker === 'azureBoards' ? { tracker: 'azureBoards', id: item.id } : { tracker: 'github', id: item.id, ...(owner && repo ? { owner, repo } : {}) });
}

/** The commands a work item answer offers. */
export function workItemButtons(item: WorkItem): { command: string; title: string; arguments: unknown[] }[] {
  const arg = workItemCommandArgument(item);
  return [
    { command: 'aiDevops.workItem.changeState', title: 'Change State…', arguments: [arg] },
    { command: 'aiDevops.workItem.addComment', title: 'Add Comment…', arguments: [arg] },
    { command: 'aiDevops.workItem.startWork', title: 'Start Work (Create Branch)', arguments: [arg] },
    { command: 'aiDevops.workItem.openInBrowser', title: 'Open in Browser', arguments: [arg] },
  ];
}

/** `/workitem <id>`: the details, the children, a model summary when a model answers, and action buttons. */
export async function answerWorkItem(req: ChatRequestInput, services: ChatServices): Promise<ChatAnswer> {
  const { output, signal } = req;
  const reference = parseWorkItemArgument(req.prompt, services.defaultTracker());
  if (!reference) {
    output.markdown('Which work item? Give its id, for example `/workitem 7`, `/workitem AB#7` or `/workitem owner/repo#45`.');
    return { command: 'workitem' };
  }
  output.progress(`Reading ${reference.tracker === 'azureBoards' ? 'AB#' : '#'}${reference.id}…`);
  const item = await getWorkItem(reference, services.trackers, signal);
  output.reference({ kind: 'url', url: item.url, title: `${itemKey(item)} ${item.title}` });
  output.markdown(`${workItemDetails(item)}\n\n`);

  let children: WorkItem[] = [];
  if (item.childIds.length) {
    const got = await trackerFor(reference, services.trackers).get(item.childIds.slice(0, MAX_CHILDREN), signal);
    children = [...got.values()].filter((c): c is WorkItem => !(c instanceof Error));
    output.markdown(`**Children** (${item.childIds.length}):\n${children.map(workItemLine).join('\n')}${item.childIds.length > children.length ? `\n- … ${item.childIds.length - children.length} more not shown` : ''}\n\n`);
  }

  output.markdown('**Summary**\n\n');
  const answer = await streamModelAnswer(req.model, workItemSummaryMessages(item, children), output, signal);
  if (!answer.ok) noteModelUnavailable(output, answer.error, 'A summary');
  output.markdown('\n\n');
  for (const b of workItemButtons(item)) output.button(b);
  return { command: 'workitem', workItems: [itemKey(item)], usedModel: answer.ok };
}
