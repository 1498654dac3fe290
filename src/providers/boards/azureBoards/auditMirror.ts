import { type AuditEvent, isAgentService } from '../../../core/audit/event';
import { type AgentRun } from '../../../core/audit/runs';
import { type AuditMirror } from '../../../core/audit/sink';
import { type Outbox } from '../../../core/boards/outbox';
import { withAccount } from '../../../core/boards/writeTarget';
import { type Logger } from '../../../core/host';
import { redactText } from '../../../core/redact';
import { type AzureBoardsTracker } from './azureBoardsTracker';
import { WIKI_PAGE_KIND, type WikiPagePayload } from './projectWiki';

export interface AzureAuditMirrorOptions {
  readonly tracker: AzureBoardsTracker;
  readonly outbox: Outbox;
  readonly log: Logger;
  /** Folder of the run pages in the project wiki. */
  readonly wikiFolder?: string;
}

/**
 * The audit trail's copy in Azure DevOps. Events that touch an Azure Boards work item and come
 * from an agent or a command (not the tracker's own changes, which the service records in the
 * item's history already) become a comment on it, carrying the event's hash as client id so a
 * replay never posts it twice. A finished agent run becomes a wiki page, written with If-Match so
 * an edit made on the page in between is not overwritten. Anything that cannot be sent goes to
 * the outbox; the local event is never affected. The wiki page adapter is one of the Azure Boards
 * tracker's own kinds (projectWiki.ts), so a page queued before a restart is written after it
 * whether or not anything has loaded the mirror again.
 */
export class AzureAuditMirror implements AuditMirror {
  constructor(private readonly options: AzureAuditMirrorOptions) {}

  /** Whether an event is copied as a comment. */
  static mirrors(event: AuditEvent): boolean {
    if (event.workItemId === null) return false;
    // The trackers' own changes are in the work item's history; GitHub events name GitHub numbers.
    if (event.service === 'azureBoards' || event.service === 'github') return false;
    return isAgentService(event.service) || event.eventType.startsWith('run.') || event.eventType.startsWith('command.') || event.eventType.startsWith('workItem.');
  }

  async mirrorEvent(event: AuditEvent): Promise<void> {
    if (!AzureAuditMirror.mirrors(event) || event.workItemId === null) return;
    try {
      const outcome = await this.options.tracker.commentOn(event.workItemId, commentFor(event), { clientId: `audit-${event.hash}`, correlationId: event.correlationId, audit: false, checkFirst: true });
      if (outcome.kind === 'queued') this.options.log.info(`Audit mirror: the comment on AB#${event.workItemId} is queued (${outcome.reason}).`);
    } catch (error) {
      this.options.log.warn(`Audit mirror: could not comment on AB#${event.workItemId}: ${redactText(error instanceof Error ? error.message : String(error))}`);
    }
  }

  async publishRun(run: AgentRun): Promise<void> {
    if (run.outcome === 'running') return;
    const path = this.pagePath(run);
    const tracker = this.options.tracker;
    try {
      const account = await tracker.account().catch(() => undefined);
      const outcome = await this.options.outbox.send({
        target: withAccount(tracker.home, account),
        kind: WIKI_PAGE_KIND,
        subject: 'wiki',
        touches: [`page ${path}`],
        payload: { path, content: pageFor(run) } satisfies WikiPagePayload,
        description: `Wiki page for the ${run.agent} run ${run.correlationId}`,
        clientId: `run-page-${run.correlationId}-${run.lastAt}`,
        correlationId: run.correlationId,
      }, { via: tracker.writeConnection });
      if (outcome.kind === 'queued') this.options.log.info(`Audit mirror: the wiki page of run ${run.correlationId} is queued (${outcome.reason}).`);
      if (outcome.kind === 'refused') this.options.log.warn(`Audit mirror: could not write the wiki page of run ${run.correlationId}: ${outcome.message}`);
    } catch (error) {
      this.options.log.warn(`Audit mirror: could not write the wiki page of run ${run.correlationId}: ${redactText(error instanceof Error ? error.message : String(error))}`);
    }
  }

  private pagePath(run: AgentRun): string {
    const folder = (this.options.wikiFolder ?? '/AI DevOps/Agent runs').replace(/\/+$/, '');
    const day = run.firstAt.slice(0, 10);
    const safeId = run.correlationId.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 80);
    return `${folder}/${day} ${run.agent} ${safeId}`;
  }
}

function commentFor(event: AuditEvent): string {
  const change = event.oldState || event.newState ? ` (${event.oldState ?? '—'} → ${event.newState ?? '—'})` : '';
  const lines = [
    `AI DevOps audit: ${event.eventType} by ${event.service}${change}`,
    `When: ${event.timestamp}`,
    `Correlation id: ${event.correlationId}`,
    ...(event.user ? [`User: ${event.user}`] : []),
    `Event hash: ${event.hash}`,
  ];
  return redactText(lines.join('\n'));
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function pageFor(run: AgentRun): string {
  const rows = run.events.map((e) => {
    const detail = typeof e.metadata.summary === 'string' ? e.metadata.summary : typeof e.metadata.message === 'string' ? e.metadata.message : '';
    const state = e.oldState || e.newState ? `${e.oldState ?? ''} → ${e.newState ?? ''}` : '';
    return `| ${e.seq} | ${e.timestamp} | ${cell(e.eventType)} | ${cell(e.service)} | ${e.workItemId === null ? '' : `#${e.workItemId}`} | ${cell(state)} | ${cell(detail)} |`;
  });
  const text = [
    `# ${run.agent} run ${run.correlationId}`,
    '',
    `- Outcome: **${run.outcome}**`,
    `- Started: ${run.firstAt}`,
    `- Finished: ${run.lastAt}`,
    `- Work items: ${run.workItemIds.length ? run.workItemIds.map((id) => `#${id}`).join(', ') : 'none'}`,
    `- Last event hash: \`${run.events.at(-1)?.hash ?? ''}\` (verify with AI DevOps: Verify Audit Trail)`,
    '',
    '| seq | time | event | service | work item | state | detail |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
  return redactText(text);
}

export function createAzureAuditMirror(options: AzureAuditMirrorOptions): AzureAuditMirror {
  return new AzureAuditMirror(options);
}
