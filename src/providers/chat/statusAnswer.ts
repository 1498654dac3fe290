import { type WorkTracker } from '../../core/boards/workTracker';
import { CONNECT_TRACKER_BUTTONS, type ChatAnswer } from '../../core/chat/chatOutput';
import { escapeMarkdown } from '../../core/chat/markdown';
import { currentSprint, itemKey, outboxLines, runLine, stateCounts, workItemLine } from '../../core/chat/workItemFormat';
import { isDevOpsError } from '../../core/errors';
import { attentionMarkdown } from '../../core/lifecycle/attention';
import { type WorkItem } from '../../core/workItem';
import { type ChatRequestInput, type ChatServices } from './chatServices';

const MAX_ITEMS = 15;
const MAX_RUNS = 5;

/** Items that are finished: not worth listing under "my work". */
const DONE = /^(done|closed|removed|resolved|completed|cut)$/i;

interface TrackerStatus {
  readonly label: string;
  readonly me: string | undefined;
  readonly mine: readonly WorkItem[];
  readonly sprint: readonly WorkItem[];
  readonly stale: boolean;
}

async function trackerStatus(tracker: WorkTracker, signal: AbortSignal): Promise<TrackerStatus> {
  const [identity, mine, sprint] = await Promise.all([tracker.identity(signal), tracker.list('assignedToMe', { signal }), tracker.list('currentIteration', { signal })]);
  return { label: identity.label, me: identity.me, mine: mine.items, sprint: sprint.items, stale: mine.stale || sprint.stale };
}

function trackerSection(s: TrackerStatus): string[] {
  const open = s.mine.filter((i) => !DONE.test(i.state));
  const lines = [`### ${escapeMarkdown(s.label)}`, ''];
  const sprintName = currentSprint(s.sprint);
  if (s.sprint.length) lines.push(`**Current sprint${sprintName ? `: ${escapeMarkdown(sprintName)}` : ''}** — ${s.sprint.length} item${s.sprint.length === 1 ? '' : 's'} (${stateCounts(s.sprint)}).`, '');
  else lines.push('**Current sprint:** no items in the current iteration.', '');
  lines.push(`**My open work items${s.me ? ` (${escapeMarkdown(s.me)})` : ''}:** ${open.length || 'none'}`);
  lines.push(...open.slice(0, MAX_ITEMS).map(workItemLine));
  if (open.length > MAX_ITEMS) lines.push(`- … and ${open.length - MAX_ITEMS} more (see the Azure Boards view)`);
  if (s.stale) lines.push('', '_Some of this is from the cache; the service did not answer just now._');
  return lines;
}

/**
 * `/status`: my work items and the current sprint per connected tracker, pending outbox changes and
 * recent agent runs. Needs no model.
 */
export async function answerStatus(req: ChatRequestInput, services: ChatServices): Promise<ChatAnswer> {
  const { output, signal } = req;
  const trackers = [services.trackers.azure(), services.trackers.github()].filter((t): t is WorkTracker => t !== undefined);
  const workItems: string[] = [];
  if (trackers.length === 0) {
    output.markdown('**No work tracker is connected.** Sign in to Azure DevOps or GitHub to see your work items and the sprint here, or try the sandbox (demo data, no account).\n\n');
    for (const b of CONNECT_TRACKER_BUTTONS) output.button(b);
  } else {
    output.progress('Reading your work items and the current sprint…');
    const results = await Promise.allSettled(trackers.map((t) => trackerStatus(t, signal)));
    for (const r of results) {
      if (r.status === 'fulfilled') {
        output.markdown(`${trackerSection(r.value).join('\n')}\n\n`);
        workItems.push(...r.value.mine.filter((i) => !DONE.test(i.state)).slice(0, 3).map(itemKey));
      } else {
        if (isDevOpsError(r.reason) && r.reason.code === 'cancelled') throw r.reason;
        output.markdown(`_A tracker could not be read: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}_\n\n`);
      }
    }
  }

  const pending = services.outbox?.pending() ?? [];
  if (pending.length) {
    output.markdown(`### Pending remote changes (${pending.length})\n\n${outboxLines(pending).join('\n')}\n\n`);
    output.button({ command: 'aiDevops.outbox.retry', title: 'Send Pending Changes Now' });
    output.button({ command: 'aiDevops.outbox.show', title: 'Show Pending Changes' });
  } else if (services.outbox) {
    output.markdown('**Pending remote changes:** none, everything was sent.\n\n');
  }

  // What the orchestrator did not guess: each with what to do.
  const waiting = (await services.attention?.().catch((error: unknown) => {
    services.log.warn(`The orchestrator's open questions could not be read: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  })) ?? [];
  if (waiting.length) output.markdown(`${attentionMarkdown(waiting, escapeMarkdown).join('\n')}\n\n`);

  await services.audit.ready();
  const runs = await services.audit.recentRuns(MAX_RUNS);
  if (runs.length) output.markdown(`### Recent agent runs\n\n${runs.map(runLine).join('\n')}\n`);
  else output.markdown(`**Recent agent runs:** ${services.audit.unavailable() ?? 'none recorded in this workspace yet.'}\n`);
  return { command: 'status', workItems };
}
