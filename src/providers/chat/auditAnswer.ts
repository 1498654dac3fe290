import { type ModelError } from '../../core/ai/modelErrors';
import { groupByCorrelation } from '../../core/audit';
import { type ChatAnswer } from '../../core/chat/chatOutput';
import { describeAuditQuery, parseAuditQuery } from '../../core/chat/auditQuery';
import { escapeMarkdown } from '../../core/chat/markdown';
import { auditAnswerMessages } from '../../core/chat/prompts';
import { auditEventLine } from '../../core/chat/workItemFormat';
import { type ChatRequestInput, type ChatServices } from './chatServices';
import { noteModelUnavailable, streamModelAnswer } from './modelAnswer';

/** Groups (actions) listed without a model; each shows all its events. */
const MAX_GROUPS = 10;
/**
 * The newest matching events read from the trail (they may lie anywhere in it, one read each): the
 * ten groups listed and the model's 80 come from them; the counts are over the whole trail.
 */
const MAX_EVENTS = 500;

/**
 * `/audit <question>`: the trail filtered by what the question names (work item, service or agent,
 * day, kind of event). A model composes the answer from the matching events when one answers;
 * otherwise, and always below it, the matching actions are listed.
 */
export async function answerAudit(req: ChatRequestInput, services: ChatServices): Promise<ChatAnswer> {
  const { output, signal } = req;
  await services.audit.ready();
  const count = services.audit.count();
  const why = services.audit.unavailable();
  if (count === 0) {
    output.markdown(why ? `The audit trail cannot be read: ${why}` : 'The audit trail of this workspace is empty: nothing has been changed through AI DevOps yet.');
    return { command: 'audit' };
  }
  const query = parseAuditQuery(req.prompt, services.audit.services(), services.now(), services.timeZoneOffsetMinutes());
  const found = await services.audit.search(query, MAX_EVENTS);
  const matching = found.events;
  const what = describeAuditQuery(query);
  if (found.total === 0) {
    output.markdown(`No ${what} in the audit trail (${count} events searched${why ? `; ${why}` : ''}).`);
    return { command: 'audit' };
  }

  let modelError: ModelError | undefined;
  let usedModel = false;
  if (req.prompt.trim()) {
    output.progress(`Reading ${found.total} ${what}…`);
    const answer = await streamModelAnswer(req.model, auditAnswerMessages(req.prompt, what, matching, found.total), output, signal);
    if (answer.ok) output.markdown('\n\n---\n\n');
    else modelError = answer.error;
    usedModel = answer.ok;
  }

  const groups = groupByCorrelation(matching);
  const header = `**${found.total} ${escapeMarkdown(what)}** in ${found.groups} action${found.groups === 1 ? '' : 's'}${found.groups > MAX_GROUPS ? ` (newest ${MAX_GROUPS} shown)` : ''}:`;
  const body = groups
    .slice(0, MAX_GROUPS)
    .map((g) => `- **${escapeMarkdown(g.correlationId)}**\n${g.events.map((e) => `  ${auditEventLine(e)}`).join('\n')}`)
    .join('\n');
  output.markdown(`${header}\n\n${body}\n`);
  if (modelError) noteModelUnavailable(output, modelError, 'Answering the question in words');
  output.button({ command: 'aiDevops.audit.verify', title: 'Verify Audit Trail' });
  output.button({ command: 'aiDevops.audit.openLog', title: 'Open Audit Log File' });
  const items = [...new Set(matching.flatMap((e) => (e.workItemId === null ? [] : [`#${e.workItemId}`])))].slice(0, 3);
  return { command: 'audit', workItems: items, usedModel };
}
