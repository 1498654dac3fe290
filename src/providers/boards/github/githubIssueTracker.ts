import { randomUUID } from 'node:crypto';
import { Listeners } from '../../../core/listeners';
import { type Outbox, type OutboxEntry, type ReplayResult } from '../../../core/boards/outbox';
import {
  type NewWorkItem,
  type RefreshOptions,
  type StateChoice,
  type TrackerIdentity,
  type WorkItemFilter,
  type WorkItemSnapshot,
  type WorkTracker,
  type WriteOptions,
  type WriteOutcome,
} from '../../../core/boards/workTracker';
import { DevOpsError, isDevOpsError, throwIfAborted } from '../../../core/errors';
import { type Logger } from '../../../core/host';
import { type WorkItem, workItemKey } from '../../../core/workItem';
import { type GitHubClient, nextLink } from './githubClient';
import { toDevOpsError } from './githubErrors';
import { type GitHubOp, GitHubOpSchema, opToJson } from './githubOperations';
import { CommentListSchema, CommentSchema, GitHubUserSchema, type GitHubIssue, IssueListSchema, IssueSchema } from './githubSchemas';
import {
  allowedStatesFor,
  clientIdOf,
  currentMilestone,
  isInState,
  isOpen,
  isValidClientId,
  PULL_REQUEST_TYPE,
  stateWriteFor,
  toWorkItem,
  withClientIdMarker,
} from './issueMapping';
import { cacheKeyOf, IssueStore } from './issueStore';

export interface GitHubIssueTrackerOptions {
  readonly storageDir: string;
  readonly cacheTtlSeconds: number;
  readonly outbox: Pick<Outbox, 'enqueue'>;
  readonly log: Logger;
  readonly now?: () => Date;
}

/** How far back a replay looks for a comment or issue it may already have made (clock skew). */
const REPLAY_LOOKBACK_MS = 10 * 60 * 1000;
/** A client id given by the caller (a resumed batch) may be days old. */
const CALLER_ID_LOOKBACK_MS = 30 * 24 * 60 * 60 * 1000;
const PAGE = 100;
const GET_CONCURRENCY = 4;

type IssueOp = Exclude<GitHubOp, { op: 'setStatus' }>;
type Applied = { readonly kind: 'applied'; readonly item: WorkItem; readonly alreadyApplied: boolean };
type Conflict = { readonly kind: 'conflict'; readonly remote: WorkItem; readonly message: string };

/**
 * A repository's issues and pull requests as a WorkTracker. Reads come from IssueStore; `refresh`
 * asks `GET /repos/{o}/{r}/issues?since=<watermark>` (state=all, sorted by update), so a refresh
 * with nothing changed is one request. Writes check updated_at against what the caller saw first,
 * and a write that fails for a passing reason goes to the outbox.
 */
export class GitHubIssueTracker implements WorkTracker {
  readonly repository: string;
  private readonly store: IssueStore;
  private readonly listeners = new Listeners((error) => this.options.log.error(error instanceof Error ? error : String(error)));
  private refreshing: Promise<{ changed: number; requests: number }> | undefined;
  private refreshingFull = false;
  private saveTimer: NodeJS.Timeout | undefined;
  private createdIndex: { readonly me: string; readonly ids: Map<string, GitHubIssue>; readonly scannedFrom: number; readonly scannedAt: string } | undefined;
  private readonly now: () => Date;
  /** The credential generation `store.me` was last confirmed for. */
  private meGeneration: number | undefined;

  constructor(
    private readonly client: GitHubClient,
    private readonly options: GitHubIssueTrackerOptions,
  ) {
    const { owner, repo, baseUrl } = client.endpoint;
    this.repository = `${owner}/${repo}`;
    this.store = new IssueStore(options.storageDir, cacheKeyOf(baseUrl, this.repository), this.repository, options.log);
    this.now = options.now ?? (() => new Date());
  }

  private get path(): { owner: string; repo: string } {
    return { owner: this.client.endpoint.owner, repo: this.client.endpoint.repo };
  }

  private key(id: number): string {
    return workItemKey({ tracker: 'github', id, repository: this.repository });
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.listeners.on(listener);
  }

  private fire(): void {
    this.listeners.fire();
  }

  /**
   * Who is signed in: asked once per credential (a new sign-in may be another account); the last
   * answer on disk stands in while GitHub cannot be reached, so "assigned to me" works offline.
   */
  async identity(signal?: AbortSignal): Promise<TrackerIdentity> {
    await this.store.load();
    if (this.meGeneration === undefined || this.meGeneration !== this.client.credentialGeneration) {
      try {
        const { data } = await this.client.restParsed('reading the signed-in GitHub user', GitHubUserSchema, (kit, request) => kit.rest.users.getAuthenticated({ request }), {
          ...(signal ? { signal } : {}),
        });
        this.meGeneration = this.client.credentialGeneration;
        if (this.store.me !== data.login) {
          this.store.me = data.login;
          await this.saveQuietly();
        }
      } catch (error) {
        if (!(isDevOpsError(error) && error.transient && this.store.me)) throw error;
        this.options.log.warn(`Using the last known GitHub user (${this.store.me}): ${error.message}`);
      }
    }
    return { kind: 'github', label: `GitHub (${this.repository})`, me: this.store.me };
  }

  private async me(signal?: AbortSignal): Promise<string> {
    const who = (await this.identity(signal)).me;
    if (!who) throw new DevOpsError('unauthorized', 'GitHub did not say who is signed in.');
    return who;
  }

  private isStale(): boolean {
    if (!this.store.syncedAt) return true;
    return this.now().getTime() - Date.parse(this.store.syncedAt) >= this.options.cacheTtlSeconds * 1000;
  }

  private snapshot(items: WorkItem[]): WorkItemSnapshot {
    return { items, syncedAt: this.store.syncedAt, stale: this.isStale() };
  }

  /**
   * `assignedToMe`: open items with the user among their assignees. `allOpen`: open issues and pull
   * requests. `currentIteration`: open items in the current milestone (see currentMilestone: due
   * soonest from today), or every open item when no open milestone has a due date.
   */
  async list(filter: WorkItemFilter, options: { signal?: AbortSignal } = {}): Promise<WorkItemSnapshot> {
    await this.store.load();
    if (!this.store.syncedAt) await this.refresh(options);
    const open = this.store.all().filter(isOpen);
    switch (filter) {
      case 'allOpen':
        return this.snapshot(open);
      case 'assignedToMe': {
        const me = (await this.me(options.signal)).toLowerCase();
        return this.snapshot(open.filter((i) => this.store.assigneesOf(i.id).some((a) => a.toLowerCase() === me)));
      }
      case 'currentIteration': {
        const milestone = currentMilestone(this.store.milestones(), this.now());
        if (!milestone) return this.snapshot(open);
        return this.snapshot(open.filter((i) => this.store.milestoneOf(i.id)?.number === milestone.number));
      }
    }
  }

  /** The milestone `currentIteration` lists, when there is one. */
  async currentIteration(): Promise<string | undefined> {
    await this.store.load();
    return currentMilestone(this.store.milestones(), this.now())?.title;
  }

  refresh(options: RefreshOptions = {}): Promise<{ readonly changed: number; readonly requests: number }> {
    // Concurrent refreshes (tree, lenses, status bar) share one round of requests; a full refresh
    // asked for during an incremental one runs after it.
    if (this.refreshing && (!options.full || this.refreshingFull)) return this.refreshing;
    const previous = this.refreshing?.catch(() => undefined) ?? Promise.resolve();
    const run = previous
      .then(() => this.doRefresh(options))
      .finally(() => {
        if (this.refreshing === run) this.refreshing = undefined;
      });
    this.refreshing = run;
    this.refreshingFull = options.full === true;
    return run;
  }

  private async doRefresh(options: RefreshOptions): Promise<{ changed: number; requests: number }> {
    await this.store.load();
    const before = this.client.requests;
    const full = options.full === true || !this.store.watermark;
    // A first sync needs open items only; later ones ask for everything changed, closings included.
    const query: Record<string, string | number> = { state: full ? 'open' : 'all', sort: 'updated', direction: 'asc', per_page: PAGE };
    if (!full && this.store.watermark) query['since'] = this.store.watermark;
    const fetched: GitHubIssue[] = [];
    let url: string | undefined = `GET /repos/${encodeURIComponent(this.path.owner)}/${encodeURIComponent(this.path.repo)}/issues`;
    let first = true;
    // The same `since` as last time: a conditional GET, which GitHub answers 304 without charging
    // the rate limit when nothing changed.
    const etag = !full && this.store.etag && this.store.etag.watermark === this.store.watermark ? this.store.etag.value : undefined;
    let firstEtag: string | undefined;
    let notModified = false;
    while (url) {
      const route: string = url;
      const { data, headers } = await this.client.restParsed(
        `listing the issues of ${this.repository}`,
        IssueListSchema,
        (kit, request) =>
          first
            ? kit.request(route, { ...query, ...(etag ? { headers: { 'if-none-match': etag } } : {}), request }).catch((error: unknown) => {
                const e = error as { status?: number; response?: { headers: Record<string, string | number | undefined> } };
                if (e.status !== 304 || !e.response) throw error;
                notModified = true;
                return { data: [], headers: e.response.headers };
              })
            : kit.request(`GET ${route}`, { request }),
        { ...(options.signal ? { signal: options.signal } : {}) },
      );
      if (first && typeof headers.etag === 'string') firstEtag = headers.etag;
      fetched.push(...data);
      url = notModified ? undefined : nextLink(headers);
      first = false;
    }
    const askedWith = this.store.watermark;
    if (full) this.store.clear();
    let changed = 0;
    for (const issue of fetched) if (this.store.upsert(issue, true)) changed++;
    // Kept only while the next refresh asks the same question (the watermark did not move).
    if (notModified) this.store.etag = etag && askedWith ? { watermark: askedWith, value: etag } : undefined;
    else this.store.etag = firstEtag && !full && this.store.watermark === askedWith && askedWith ? { watermark: askedWith, value: firstEtag } : undefined;
    this.store.syncedAt = this.now().toISOString();
    await this.saveQuietly();
    if (changed > 0) this.fire();
    return { changed, requests: this.client.requests - before };
  }

  /**
   * Writes and single reads save the cache a moment later, together: rewriting a 10,000-item file
   * takes ~150 ms, which a user's click should not wait for. A refresh saves before it returns.
   */
  private scheduleSave(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.saveQuietly();
    }, 250);
    this.saveTimer.unref();
  }

  /** Saves what a write left pending now (GitHubTrackers.dispose calls it). */
  async flush(): Promise<void> {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.saveQuietly();
  }

  private async saveQuietly(): Promise<void> {
    try {
      await this.store.save();
    } catch (error) {
      this.options.log.warn(`Could not write the GitHub cache: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Items by number: from the cache when it is fresh (refreshing it first when stale), the rest fetched one by one. */
  async get(ids: readonly number[], signal?: AbortSignal): Promise<ReadonlyMap<number, WorkItem | DevOpsError>> {
    await this.store.load();
    if (this.isStale()) {
      try {
        await this.refresh(signal ? { signal } : {});
      } catch (error) {
        if (isDevOpsError(error) && error.code === 'cancelled') throw error;
        this.options.log.warn(`GitHub refresh failed; answering from the cache: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const result = new Map<number, WorkItem | DevOpsError>();
    const missing = [...new Set(ids)].filter((id) => {
      const cached = this.store.get(id);
      if (cached) result.set(id, cached);
      return !cached;
    });
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < missing.length) {
        const id = missing[next++]!;
        throwIfAborted(signal);
        try {
          result.set(id, (await this.fetchIssue(id, signal)).item);
        } catch (error) {
          const e = toDevOpsError(error, { action: `reading ${this.key(id)}` });
          if (e.code === 'cancelled') throw e;
          result.set(id, e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(GET_CONCURRENCY, missing.length) }, worker));
    if (missing.length > 0) this.scheduleSave();
    return result;
  }

  private async fetchIssue(id: number, signal?: AbortSignal): Promise<{ issue: GitHubIssue; item: WorkItem }> {
    const { data } = await this.client.restParsed(`reading ${this.key(id)}`, IssueSchema, (kit, request) => kit.rest.issues.get({ ...this.path, issue_number: id, request }), {
      ...(signal ? { signal } : {}),
    });
    this.store.upsert(data);
    return { issue: data, item: this.store.get(id) ?? toWorkItem(data, this.repository) };
  }

  async childTypes(parent: WorkItem | undefined): Promise<readonly string[]> {
    // Sub-issues: an issue may hold issues; a pull request holds nothing.
    return parent?.type === PULL_REQUEST_TYPE ? [] : ['Issue'];
  }

  async allowedStates(item: WorkItem): Promise<readonly StateChoice[]> {
    return allowedStatesFor(item);
  }

  // ---- writes ----

  async changeState(item: WorkItem, state: string, options: WriteOptions = {}): Promise<WriteOutcome> {
    const write = stateWriteFor(state);
    const choices = allowedStatesFor(item).map((c) => c.state);
    if (!write || !choices.some((c) => stateWriteFor(c)?.state_reason === write.state_reason)) {
      throw new DevOpsError('invalidInput', `${this.key(item.id)} cannot move from ${item.state} to ${state}; it can move to ${choices.join(', ') || 'nothing'}.`);
    }
    return this.submit({ op: 'changeState', number: item.id, state, expectedUpdatedAt: item.modifiedAt }, `${this.key(item.id)}: State → ${state}`, options);
  }

  async assignToMe(item: WorkItem, options: WriteOptions = {}): Promise<WriteOutcome> {
    return this.submit({ op: 'assignToMe', number: item.id, expectedUpdatedAt: item.modifiedAt }, `${this.key(item.id)}: assign to me`, options);
  }

  async addComment(item: WorkItem, markdown: string, options: WriteOptions = {}): Promise<WriteOutcome> {
    if (markdown.trim() === '') throw new DevOpsError('invalidInput', 'A comment cannot be empty.');
    const clientId = this.clientIdFor(options);
    return this.submit({ op: 'addComment', number: item.id, body: withClientIdMarker(markdown, clientId) }, `${this.key(item.id)}: comment`, { ...options, clientId });
  }

  async linkBranch(item: WorkItem, branch: string, options: WriteOptions = {}): Promise<WriteOutcome> {
    const name = branch.replace(/^refs\/heads\//, '');
    if (!name || /[\s~^:?*[\\]|\.\.|@\{/.test(name)) throw new DevOpsError('invalidInput', `"${branch}" is not a valid branch name.`);
    const repoWeb = item.url.replace(/\/(issues|pull)\/\d+.*$/, '');
    const markdown = `Work on this ${item.type === PULL_REQUEST_TYPE ? 'pull request' : 'issue'} started on branch [\`${name}\`](${repoWeb}/tree/${name.split('/').map(encodeURIComponent).join('/')}).`;
    const clientId = this.clientIdFor(options);
    return this.submit({ op: 'addComment', number: item.id, body: withClientIdMarker(markdown, clientId) }, `${this.key(item.id)}: link branch ${name}`, { ...options, clientId });
  }

  async create(item: NewWorkItem, options: WriteOptions = {}): Promise<WriteOutcome> {
    if (item.type !== 'Issue') throw new DevOpsError('invalidInput', `GitHub items are created as issues, not as ${item.type}.`);
    if (item.title.trim() === '') throw new DevOpsError('invalidInput', 'A title is required.');
    if (item.fields && Object.keys(item.fields).length) throw new DevOpsError('invalidInput', `GitHub issues have no fields like ${Object.keys(item.fields)[0]}; write them into the body.`);
    const clientId = this.clientIdFor(options);
    const op: IssueOp = {
      op: 'create',
      title: item.title,
      body: withClientIdMarker(item.description, clientId),
      labels: [...(item.tags ?? [])],
      assignToMe: item.assignToMe === true,
      parentId: item.parentId ?? null,
    };
    return this.submit(op, `${this.repository}: new issue "${item.title.slice(0, 60)}"`, { ...options, clientId });
  }

  private clientIdFor(options: WriteOptions): string {
    const id = options.clientId ?? randomUUID();
    if (!isValidClientId(id)) throw new DevOpsError('invalidInput', 'A client id may use letters, digits and . _ : - only (at most 100).');
    return id;
  }

  private targetOf(op: IssueOp): string {
    return 'number' in op ? `github:${this.key(op.number)}` : `github:${this.repository}`;
  }

  /** First attempt; a transient failure goes to the outbox. */
  private async submit(op: IssueOp, description: string, options: WriteOptions): Promise<WriteOutcome> {
    const clientId = options.clientId ?? randomUUID();
    try {
      // A caller-given client id may have been used before (a resumed batch): look for it first.
      const since = options.clientId ? new Date(this.now().getTime() - CALLER_ID_LOOKBACK_MS).toISOString() : undefined;
      const outcome = await this.execute(op, { lookFor: since, signal: options.signal });
      if (outcome.kind === 'conflict') return outcome;
      return { kind: 'applied', item: outcome.item };
    } catch (error) {
      const e = toDevOpsError(error, { action: description, ...(options.signal ? { signal: options.signal } : {}) });
      // An unreadable answer to a write (cut off, garbled) leaves it unknown whether it was made:
      // the outbox's replay finds out (client id, remote state) instead of the user guessing.
      const unknownOutcome = e.code === 'badResponse';
      if (!e.transient && !unknownOutcome) throw e;
      const reason = unknownOutcome ? `GitHub's answer could not be read (${e.message}); the change will be checked and made if it was not.` : e.message;
      const entry = await this.options.outbox.enqueue({ tracker: 'github', kind: op.op, clientId, payload: opToJson(op), target: this.targetOf(op), description, reason });
      this.options.log.info(`Queued in the outbox: ${description} (${reason})`);
      return { kind: 'queued', outboxId: entry.id, reason };
    }
  }

  /** Replays an outbox entry this tracker made (called by the GitHub replayer). */
  async replay(entry: OutboxEntry, signal?: AbortSignal): Promise<ReplayResult> {
    const parsed = GitHubOpSchema.safeParse(entry.payload);
    if (!parsed.success || parsed.data.op === 'setStatus') return { kind: 'failed', message: `The queued change "${entry.description}" is not one the GitHub issues tracker can send.` };
    try {
      const since = new Date(Date.parse(entry.createdAt) - REPLAY_LOOKBACK_MS).toISOString();
      const outcome = await this.execute(parsed.data, { lookFor: since, signal });
      if (outcome.kind === 'conflict') return { kind: 'conflict', message: outcome.message };
      return { kind: 'applied', alreadyApplied: outcome.alreadyApplied };
    } catch (error) {
      const e = toDevOpsError(error, { action: entry.description, ...(signal ? { signal } : {}) });
      if (e.code === 'cancelled') throw e;
      return e.transient ? { kind: 'retry', error: e } : { kind: 'failed', message: e.message };
    }
  }

  private conflict(remote: WorkItem, seenAt: string): Conflict {
    return {
      kind: 'conflict',
      remote,
      message: `${this.key(remote.id)} was changed on GitHub (at ${remote.modifiedAt}) after it was loaded (${seenAt}); its state is now ${remote.state}. Review it and try again.`,
    };
  }

  private async afterWrite(issue: GitHubIssue, alreadyApplied: boolean): Promise<Applied> {
    this.store.upsert(issue);
    this.scheduleSave();
    this.fire();
    return { kind: 'applied', item: this.store.get(issue.number) ?? toWorkItem(issue, this.repository), alreadyApplied };
  }

  /**
   * Sends one write, unless it is already made. `lookFor`: the time from which to search for a
   * comment or issue carrying the same client id (replays and caller-given ids).
   */
  private async execute(op: IssueOp, ctx: { lookFor: string | undefined; signal: AbortSignal | undefined }): Promise<Applied | Conflict> {
    const signal = ctx.signal ? { signal: ctx.signal } : {};
    const write = { ...signal, write: true };
    switch (op.op) {
      case 'changeState': {
        const target = stateWriteFor(op.state);
        if (!target) throw new DevOpsError('invalidInput', `"${op.state}" is not a GitHub state.`);
        const remote = await this.fetchIssue(op.number, ctx.signal);
        if (isInState(remote.item, target)) return this.afterWrite(remote.issue, true);
        if (remote.issue.updated_at !== op.expectedUpdatedAt) return this.conflict(remote.item, op.expectedUpdatedAt);
        // The issues endpoint closes and reopens pull requests too; state_reason is for issues only.
        const body = remote.issue.pull_request ? { state: target.state } : { state: target.state, state_reason: target.state_reason };
        const { data } = await this.client.restParsed(
          `changing the state of ${this.key(op.number)}`,
          IssueSchema,
          (kit, request) => kit.rest.issues.update({ ...this.path, issue_number: op.number, ...body, request }),
          write,
        );
        return this.afterWrite(data, false);
      }
      case 'assignToMe': {
        const me = await this.me(ctx.signal);
        const remote = await this.fetchIssue(op.number, ctx.signal);
        if ((remote.issue.assignees ?? []).some((a) => a.login.toLowerCase() === me.toLowerCase())) return this.afterWrite(remote.issue, true);
        if (remote.issue.updated_at !== op.expectedUpdatedAt) return this.conflict(remote.item, op.expectedUpdatedAt);
        // The whole list, just checked against updated_at, so nobody else's assignment is dropped.
        const assignees = [...(remote.issue.assignees ?? []).map((a) => a.login), me];
        const { data } = await this.client.restParsed(
          `assigning ${this.key(op.number)} to ${me}`,
          IssueSchema,
          (kit, request) => kit.rest.issues.update({ ...this.path, issue_number: op.number, assignees, request }),
          write,
        );
        return this.afterWrite(data, false);
      }
      case 'addComment': {
        // A comment does not conflict with other edits; it is only never posted twice. POSTs are
        // not retried by the plugin (a lost answer would post twice): the outbox replays them
        // after looking for the marker.
        const clientId = clientIdOf(op.body);
        if (ctx.lookFor && clientId && (await this.commentExists(op.number, clientId, ctx.lookFor, ctx.signal))) {
          return this.afterWrite((await this.fetchIssue(op.number, ctx.signal)).issue, true);
        }
        await this.client.restParsed(
          `commenting on ${this.key(op.number)}`,
          CommentSchema,
          (kit, request) => kit.rest.issues.createComment({ ...this.path, issue_number: op.number, body: op.body, request: { ...request, retries: 0 } }),
          write,
        );
        // The comment moved updated_at; read the item back so the next write's check starts from it.
        return this.afterWrite((await this.fetchIssue(op.number, ctx.signal)).issue, false);
      }
      case 'create': {
        const clientId = clientIdOf(op.body);
        const me = op.assignToMe || ctx.lookFor ? await this.me(ctx.signal) : undefined;
        if (ctx.lookFor && clientId && me) {
          const existing = await this.findCreated(clientId, me, ctx.lookFor, ctx.signal);
          if (existing) {
            const parented = op.parentId !== null && !existing.parent_issue_url ? await this.attachToParent(existing, op.parentId, ctx.signal) : existing;
            return this.afterWrite(parented, true);
          }
        }
        const { data } = await this.client.restParsed(
          `creating an issue in ${this.repository}`,
          IssueSchema,
          (kit, request) =>
            kit.rest.issues.create({ ...this.path, title: op.title, body: op.body, ...(op.labels.length ? { labels: op.labels } : {}), ...(op.assignToMe && me ? { assignees: [me] } : {}), request: { ...request, retries: 0 } }),
          write,
        );
        if (clientId) this.createdIndex?.ids.set(clientId, data);
        if (op.parentId !== null) return this.afterWrite(await this.attachToParent(data, op.parentId, ctx.signal), false);
        return this.afterWrite(data, false);
      }
    }
  }

  private async commentExists(number: number, clientId: string, since: string, signal: AbortSignal | undefined): Promise<boolean> {
    let url: string | undefined = `GET /repos/${encodeURIComponent(this.path.owner)}/${encodeURIComponent(this.path.repo)}/issues/${number}/comments`;
    let first = true;
    while (url) {
      const route: string = url;
      const { data, headers } = await this.client.restParsed(
        `looking for a comment already made on ${this.key(number)}`,
        CommentListSchema,
        (kit, request) => (first ? kit.request(route, { since, per_page: PAGE, request }) : kit.request(`GET ${route}`, { request })),
        signal ? { signal } : {},
      );
      if (data.some((c) => clientIdOf(c.body) === clientId)) return true;
      url = nextLink(headers);
      first = false;
    }
    return false;
  }

  /**
   * The issue carrying `clientId` among those the user created since `since`. The first look scans
   * back to `since` and keeps every client id it saw; later looks (a batch of TODOs, each with its
   * own id) only ask for what changed since the previous scan: one request each.
   */
  private async findCreated(clientId: string, me: string, since: string, signal: AbortSignal | undefined): Promise<GitHubIssue | undefined> {
    const index = this.createdIndex;
    const covered = index !== undefined && index.me === me && index.scannedFrom <= Date.parse(since);
    const ids = covered ? index.ids : new Map<string, GitHubIssue>();
    const scanSince = covered ? new Date(Date.parse(index.scannedAt) - REPLAY_LOOKBACK_MS).toISOString() : since;
    const scanStart = this.now().toISOString();
    let url: string | undefined = `GET /repos/${encodeURIComponent(this.path.owner)}/${encodeURIComponent(this.path.repo)}/issues`;
    let first = true;
    while (url) {
      const route: string = url;
      const { data, headers } = await this.client.restParsed(
        `looking for an issue already created in ${this.repository}`,
        IssueListSchema,
        (kit, request) =>
          first ? kit.request(route, { state: 'all', creator: me, since: scanSince, sort: 'created', direction: 'desc', per_page: PAGE, request }) : kit.request(`GET ${route}`, { request }),
        signal ? { signal } : {},
      );
      for (const i of data) {
        const id = i.pull_request ? undefined : clientIdOf(i.body);
        if (id) ids.set(id, i);
      }
      url = nextLink(headers);
      first = false;
    }
    this.createdIndex = { me, ids, scannedFrom: covered ? index.scannedFrom : Date.parse(since), scannedAt: scanStart };
    return ids.get(clientId);
  }

  /** Makes the new issue a sub-issue of its parent; when the service refuses, the issue stays, unparented, with a warning. */
  private async attachToParent(created: GitHubIssue, parentId: number, signal: AbortSignal | undefined): Promise<GitHubIssue> {
    try {
      await this.client.rest(
        `adding ${this.key(created.number)} as a sub-issue of ${this.key(parentId)}`,
        (kit, request) => kit.rest.issues.addSubIssue({ ...this.path, issue_number: parentId, sub_issue_id: created.id, request }),
        { ...(signal ? { signal } : {}), write: true },
      );
      return (await this.fetchIssue(created.number, signal)).issue;
    } catch (error) {
      const e = toDevOpsError(error, { action: 'adding a sub-issue' });
      if (e.transient || e.code === 'cancelled') throw e;
      this.options.log.warn(`Created ${this.key(created.number)} but could not make it a sub-issue of ${this.key(parentId)}: ${e.message}`);
      return created;
    }
  }
}
