import { type AuditEvent, isAgentService } from '../../../core/audit/event';
import { type AgentRun } from '../../../core/audit/runs';
import { type AuditMirror } from '../../../core/audit/sink';
import { type Outbox } from '../../../core/boards/outbox';
import { withAccount } from '../../../core/boards/writeTarget';
import { type Logger } from '../../../core/host';
import { redactText } from '../../../core/redact';
import { type AzureBoardsTracker } from './azureBoardsTracker';
import { eventComment, dayHeading, runComment, runSection } from './auditMirrorText';
import { WIKI_SECTION_KIND, type WikiSectionPayload } from './projectWiki';

export interface AzureAuditMirrorOptions {
  readonly tracker: AzureBoardsTracker;
  readonly outbox: Outbox;
  readonly log: Logger;
  /** Folder of the run pages in the project wiki. */
  readonly wikiFolder?: string;
}

/**
 * The audit trail's copy in Azure DevOps. A finished agent run becomes one comment on each Azure
 * Boards item it touched (what the run did to that item, and how it ended) and one section of the
 * wiki page of its day (every event of the run), so a busy day is one page, not hundreds. An event
 * outside any run that touches an item (a command, a tool's change) still becomes a comment of its
 * own. The trackers' own changes are in the item's history already and are not copied. Comments
 * carry a client id (the run and item, or the event's hash) so a replay never posts one twice; a
 * section is replaced where it stands, so writing it again leaves one copy, and two windows adding
 * runs to the same day's page both keep theirs (the page is read again on 409/412). Anything that
 * cannot be sent goes to the outbox; the local event is never affected. Both page kinds belong to
 * the Azure Boards tracker (projectWiki.ts), so a page queued before a restart is written after it
 * whether or not anything has loaded the mirror again.
 */
export class AzureAuditMirror implements AuditMirror {
  constructor(private readonly options: AzureAuditMirrorOptions) {}

  /** Whether an event outside a run is copied as a comment of its own. */
  static mirrors(event: AuditEvent): boolean {
    if (event.workItemId === null) return false;
    // The trackers' own changes are in the work item's history; GitHub events name GitHub numbers.
    if (event.service === 'azureBoards' || event.service === 'github') return false;
    return isAgentService(event.service) || event.eventType.startsWith('run.') || event.eventType.startsWith('command.') || event.eventType.startsWith('workItem.');
  }

  /** The Azure Boards items a run touched (events of the GitHub tracker name GitHub numbers). */
  static itemsOf(run: AgentRun): number[] {
    return [...new Set(run.events.flatMap((e) => (e.workItemId === null || e.service === 'github' ? [] : [e.workItemId])))];
  }

  async mirrorEvent(event: AuditEvent): Promise<void> {
    if (!AzureAuditMirror.mirrors(event) || event.workItemId === null) return;
    await this.comment(event.workItemId, eventComment(event), `audit-${event.hash}`, event.correlationId);
  }

  async publishRun(run: AgentRun): Promise<void> {
    if (run.outcome === 'running') return;
    for (const id of AzureAuditMirror.itemsOf(run)) await this.comment(id, runComment(run, id), `audit-run-${run.correlationId}-${id}`, run.correlationId);
    await this.writeSection(run);
  }

  private async comment(id: number, text: string, clientId: string, correlationId: string): Promise<void> {
    try {
      const outcome = await this.options.tracker.commentOn(id, text, { clientId, correlationId, audit: false, checkFirst: true });
      if (outcome.kind === 'queued') this.options.log.info(`Audit mirror: the comment on AB#${id} is queued (${outcome.reason}).`);
    } catch (error) {
      this.options.log.warn(`Audit mirror: could not comment on AB#${id}: ${redactText(error instanceof Error ? error.message : String(error))}`);
    }
  }

  private async writeSection(run: AgentRun): Promise<void> {
    const day = run.firstAt.slice(0, 10);
    const path = `${(this.options.wikiFolder ?? '/AI DevOps/Agent runs').replace(/\/+$/, '')}/${day}`;
    const tracker = this.options.tracker;
    try {
      const account = await tracker.account().catch(() => undefined);
      const outcome = await this.options.outbox.send({
        target: withAccount(tracker.home, account),
        kind: WIKI_SECTION_KIND,
        subject: 'wiki',
        touches: [`page ${path}`],
        payload: { path, heading: dayHeading(day), sectionId: run.correlationId.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 120), section: runSection(run) } satisfies WikiSectionPayload,
        description: `Wiki page of ${day}: the ${run.agent} run ${run.correlationId}`,
        clientId: `run-section-${run.correlationId}-${run.lastAt}`,
        correlationId: run.correlationId,
      }, { via: tracker.writeConnection });
      if (outcome.kind === 'queued') this.options.log.info(`Audit mirror: the wiki page of ${day} (run ${run.correlationId}) is queued (${outcome.reason}).`);
      if (outcome.kind === 'refused') this.options.log.warn(`Audit mirror: could not write the wiki page of ${day} (run ${run.correlationId}): ${outcome.message}`);
    } catch (error) {
      this.options.log.warn(`Audit mirror: could not write the wiki page of ${day} (run ${run.correlationId}): ${redactText(error instanceof Error ? error.message : String(error))}`);
    }
  }
}

export function createAzureAuditMirror(options: AzureAuditMirrorOptions): AzureAuditMirror {
  return new AzureAuditMirror(options);
}
