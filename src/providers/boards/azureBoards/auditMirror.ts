import { z } from 'zod';
import { type AuditEvent, isAgentService } from '../../../core/audit/event';
import { type AgentRun } from '../../../core/audit/runs';
import { type AuditMirror } from '../../../core/audit/sink';
import { type Outbox, type WriteKind } from '../../../core/boards/outbox';
import { withAccount } from '../../../core/boards/writeTarget';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { type Logger } from '../../../core/host';
import { redactText } from '../../../core/redact';
import { type AzureConnection } from './azureConnection';
import { type AzureBoardsTracker } from './azureBoardsTracker';

/** Wiki pages: the REST location of `…/wikis/{wikiIdentifier}/pages` (azure-devops-node-api has no page PUT). */
const WIKI_PAGES_LOCATION = '25d3fbc7-fe3d-46cb-b5a5-0b6f79caf27b';
const WIKI_PAGE_KIND = 'auditWikiPage';

export interface AzureAuditMirrorOptions {
  readonly tracker: AzureBoardsTracker;
  readonly outbox: Outbox;
  readonly log: Logger;
  /** Folder of the run pages in the project wiki. */
  readonly wikiFolder?: string;
}

const WikiListSchema = z.array(z.object({ id: z.string(), name: z.string(), type: z.union([z.string(), z.number()]).optional() }).loose());
const WikiPagePayloadSchema = z.object({ path: z.string(), content: z.string() });

/**
 * The audit trail's copy in Azure DevOps. Events that touch an Azure Boards work item and come
 * from an agent or a command (not the tracker's own changes, which the service records in the
 * item's history already) become a comment on it, carrying the event's hash as client id so a
 * replay never posts it twice. A finished agent run becomes a wiki page, written with If-Match so
 * an edit made on the page in between is not overwritten. Anything that cannot be sent goes to
 * the outbox; the local event is never affected.
 */
export class AzureAuditMirror implements AuditMirror {
  private readonly connection: AzureConnection;

  constructor(private readonly options: AzureAuditMirrorOptions) {
    this.connection = options.tracker.azure;
    options.tracker.addWriteKind(this.pageKind());
  }

  /** Run pages go through the outbox's protocol like every remote write; writing the same page again is harmless, so nothing is looked up first. */
  private pageKind(): WriteKind<z.infer<typeof WikiPagePayloadSchema>> {
    return {
      kind: WIKI_PAGE_KIND,
      payload: WikiPagePayloadSchema,
      observe: async () => ({ made: false }),
      send: async (p, _observed, context) => {
        await this.putPage(p.path, p.content, context.signal);
        return undefined;
      },
    };
  }

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
        payload: { path, content: pageFor(run) },
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

  private wikiId: Promise<string> | undefined;

  private projectWiki(signal?: AbortSignal): Promise<string> {
    const current = (this.wikiId ??= (async () => {
      const project = this.connection.endpoint.project;
      const wikis = WikiListSchema.safeParse(await this.connection.call('listing the project wikis', async (api) => (await api.wiki()).getAllWikis(project), { idempotent: true, signal }));
      if (!wikis.success) throw new DevOpsError('badResponse', 'Azure DevOps sent a wiki list that could not be read.');
      const wiki = wikis.data.find((w) => w.type === 0 || w.type === 'projectWiki') ?? wikis.data[0];
      if (!wiki) throw new DevOpsError('notFound', `The project "${project}" has no wiki; create the project wiki in Azure DevOps to get a page per agent run.`);
      return wiki.id;
    })());
    current.catch(() => {
      if (this.wikiId === current) this.wikiId = undefined;
    });
    return current;
  }

  /**
   * Creates or updates the page: GET for its ETag, PUT with If-Match (without it when the page is
   * new). A 409 (created meanwhile) or 412 (edited meanwhile) reads the page again once; the run's
   * page is ours, so the second write replaces what was there with the full run.
   */
  private async putPage(path: string, content: string, signal?: AbortSignal): Promise<void> {
    const project = this.connection.endpoint.project;
    const wikiIdentifier = await this.projectWiki(signal);
    const url = async (api: Awaited<ReturnType<AzureConnection['api']>>): Promise<{ url: string; accept: string }> => {
      const wiki = await api.wiki();
      const data = await wiki.vsoClient.getVersioningData('7.1', 'wiki', WIKI_PAGES_LOCATION, { project, wikiIdentifier }, { path });
      return { url: data.requestUrl ?? '', accept: `application/json;api-version=${data.apiVersion ?? '7.1'}` };
    };
    const eTag = async (): Promise<string | undefined> => {
      const res = await this.connection.call(
        `reading the wiki page ${path}`,
        async (api) => {
          const { url: u, accept } = await url(api);
          return api.web.rest.get<unknown>(u, { acceptHeader: accept });
        },
        { idempotent: true, signal },
      );
      if (res.statusCode === 404 || res.result === null) return undefined;
      const header = (res.headers as Record<string, unknown>).etag;
      return typeof header === 'string' ? header : undefined;
    };
    const put = (ifMatch: string | undefined): Promise<unknown> =>
      this.connection.call(
        `writing the wiki page ${path}`,
        async (api) => {
          const { url: u, accept } = await url(api);
          return api.web.rest.replace<unknown>(u, { content }, { acceptHeader: accept, ...(ifMatch ? { additionalHeaders: { 'If-Match': ifMatch } } : {}) });
        },
        { idempotent: false, signal },
      );
    try {
      await put(await eTag());
    } catch (error) {
      if (!isDevOpsError(error) || (error.options.status !== 409 && error.options.status !== 412)) throw error;
      await put(await eTag());
    }
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
