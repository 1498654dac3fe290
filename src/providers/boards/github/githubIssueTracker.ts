import { randomUUID } from 'node:crypto';
import { Listeners } from '../../../core/listeners';
import { type Outbox, type RemoteWriteRequest, type WriteConnection, type WriteKind } from '../../../core/boards/outbox';
import { githubHome, withAccount, type WriteHome } from '../../../core/boards/writeTarget';
import {
  type NewWorkItem,
  type ProjectPlace,
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
import { GitHubUserSchema, type GitHubIssue, IssueListSchema, IssueSchema } from './githubSchemas';
import { ASSIGNED_TO_ME_FIELD, canonicalState, githubIssueWriteKinds, STATE_FIELD } from './githubWrites';
import { allowedStatesFor, currentMilestone, isOpen, isValidClientId, PULL_REQUEST_TYPE, stateWriteFor, toWorkItem, withClientIdMarker } from './issueMapping';
import { cacheKeyOf, IssueStore } from './issueStore';
import { BLOCKED_FIELD, type GitHubBlockedHost, issuePlace, setBlockedKind } from './githubBlocked';
import { isMarkedBlocked } from '../../../core/boards/blockedMark';

export interface GitHubIssueTrackerOptions {
  readonly storageDir: string;
  readonly cacheTtlSeconds: number;
  readonly outbox: Pick<Outbox, 'send'>;
  readonly log: Logger;
  /** The connection as the outbox records it; the sandbox's is `sandbox` whatever its port (the TrackerSet says). */
  readonly home?: WriteHome;
  readonly now?: () => Date;
}

const PAGE = 100;
const GET_CONCURRENCY = 4;

/**
 * A repository's issues and pull requests as a WorkTracker. Reads come from IssueStore; `refresh`
 * asks `GET /repos/{o}/{r}/issues?since=<watermark>` (state=all, sorted by update), so a refresh
 * with nothing changed is one request. Writes are described here and sent by the outbox's write
 * protocol through the adapters in githubWrites.ts.
 */
export class GitHubIssueTracker implements WorkTracker {
  readonly repository: string;
  private readonly store: IssueStore;
  private readonly listeners = new Listeners((error) => this.options.log.error(error instanceof Error ? error : String(error)));
  private refreshing: Promise<{ changed: number; requests: number }> | undefined;
  private refreshingFull = false;
  private saveTimer: NodeJS.Timeout | undefined;
  private kinds: WriteKind[] | undefined;
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

  // ---- writes: described here, sent by the outbox through githubWrites.ts ----

  /** The connection this tracker writes to, as the outbox records it with each change. */
  get home(): WriteHome {
    return this.options.home ?? githubHome(this.client.endpoint, 'live');
  }

  /** Who is signed in (the account a change is recorded and sent as). */
  async account(signal?: AbortSignal): Promise<string | undefined> {
    return (await this.identity(signal)).me;
  }

  /** This tracker as a connection of the outbox (its first attempts go through its own client and adapters). */
  readonly writeConnection: WriteConnection = {
    home: async () => this.home,
    account: (signal) => this.account(signal),
    knownAccount: () => this.store.me,
    kinds: async () => new Map(this.writeKinds().map((k) => [k.kind, k])),
  };

  private get blockedHost(): GitHubBlockedHost {
    return {
      client: this.client,
      owner: this.path.owner,
      repo: this.path.repo,
      projectNumber: this.client.endpoint.projectNumber,
      key: (id) => this.key(id),
      fetchIssue: (id, signal) => this.fetchIssue(id, signal),
    };
  }

  /** The kinds of write the adapters send for the repository's issues. */
  writeKinds(): readonly WriteKind[] {
    this.kinds ??= [...this.issueKinds(), setBlockedKind(this.blockedHost) as WriteKind];
    return this.kinds;
  }

  private issueKinds(): readonly WriteKind[] {
    return githubIssueWriteKinds({
      client: this.client,
      owner: this.path.owner,
      repo: this.path.repo,
      repository: this.repository,
      log: this.options.log,
      key: (id) => this.key(id),
      now: () => this.now(),
      me: (signal) => this.me(signal),
      fetchIssue: (id, signal) => this.fetchIssue(id, signal),
      remember: (issue) => this.remember(issue),
      assigneesOf: (id) => this.store.assigneesOf(id),
    });
  }

  async projectPlace(item: WorkItem, signal?: AbortSignal): Promise<ProjectPlace | undefined> {
    const place = await issuePlace(this.blockedHost, item.id, signal);
    return place ? { projectNumber: place.projectNumber, itemId: place.itemId, status: place.status, options: place.options } : undefined;
  }

  /** Blocked as the configured Project's Status where it has one, else the `blocked` label (githubBlocked.ts decides when it is sent). */
  async setBlocked(item: WorkItem, blocked: boolean, options: WriteOptions & { readonly seen?: boolean } = {}): Promise<WriteOutcome> {
    return this.submit(
      {
        kind: 'setBlocked',
        subject: `#${item.id}`,
        touches: [BLOCKED_FIELD],
        changes: [{ field: BLOCKED_FIELD, bases: [options.seen ?? isMarkedBlocked(item)], want: blocked }],
        payload: { number: item.id, blocked },
        description: `${this.key(item.id)}: ${blocked ? 'mark Blocked' : 'clear Blocked'}`,
      },
      item,
      options,
    );
  }

  async changeState(item: WorkItem, state: string, options: WriteOptions = {}): Promise<WriteOutcome> {
    const write = stateWriteFor(state);
    const choices = allowedStatesFor(item).map((c) => c.state);
    const name = canonicalState(state);
    if (!write || !name || !choices.some((c) => stateWriteFor(c)?.state_reason === write.state_reason)) {
      throw new DevOpsError('invalidInput', `${this.key(item.id)} cannot move from ${item.state} to ${state}; it can move to ${choices.join(', ') || 'nothing'}.`);
    }
    return this.submit(
      { kind: 'changeState', subject: `#${item.id}`, touches: [STATE_FIELD], changes: [{ field: STATE_FIELD, bases: [item.state], want: name }], payload: { number: item.id, state: name }, description: `${this.key(item.id)}: State → ${name}` },
      item,
      options,
    );
  }

  async assignToMe(item: WorkItem, options: WriteOptions = {}): Promise<WriteOutcome> {
    // What the user saw: whether they were among the assignees (the cache knows the whole list).
    const me = this.store.me?.toLowerCase();
    const seen = me !== undefined && this.store.assigneesOf(item.id).some((a) => a.toLowerCase() === me);
    return this.submit(
      { kind: 'assignToMe', subject: `#${item.id}`, touches: [ASSIGNED_TO_ME_FIELD], changes: [{ field: ASSIGNED_TO_ME_FIELD, bases: [seen], want: true }], payload: { number: item.id }, description: `${this.key(item.id)}: assign to me` },
      item,
      options,
    );
  }

  async addComment(item: WorkItem, markdown: string, options: WriteOptions = {}): Promise<WriteOutcome> {
    if (markdown.trim() === '') throw new DevOpsError('invalidInput', 'A comment cannot be empty.');
    const clientId = this.clientIdFor(options);
    return this.submit({ kind: 'addComment', subject: `#${item.id}`, touches: ['comments'], payload: { number: item.id, body: withClientIdMarker(markdown, clientId) }, description: `${this.key(item.id)}: comment` }, item, { ...options, clientId }, options.clientId !== undefined);
  }

  async linkBranch(item: WorkItem, branch: string, options: WriteOptions = {}): Promise<WriteOutcome> {
    const name = branch.replace(/^refs\/heads\//, '');
    if (!name || /[\s~^:?*[\\]|\.\.|@\{/.test(name)) throw new DevOpsError('invalidInput', `"${branch}" is not a valid branch name.`);
    const repoWeb = item.url.replace(/\/(issues|pull)\/\d+.*$/, '');
    const markdown = `Work on this ${item.type === PULL_REQUEST_TYPE ? 'pull request' : 'issue'} started on branch [\`${name}\`](${repoWeb}/tree/${name.split('/').map(encodeURIComponent).join('/')}).`;
    const clientId = this.clientIdFor(options);
    return this.submit(
      { kind: 'addComment', subject: `#${item.id}`, touches: ['comments'], payload: { number: item.id, body: withClientIdMarker(markdown, clientId) }, description: `${this.key(item.id)}: link branch ${name}` },
      item,
      { ...options, clientId },
      options.clientId !== undefined,
    );
  }

  async create(item: NewWorkItem, options: WriteOptions = {}): Promise<WriteOutcome> {
    if (item.type !== 'Issue') throw new DevOpsError('invalidInput', `GitHub items are created as issues, not as ${item.type}.`);
    if (item.title.trim() === '') throw new DevOpsError('invalidInput', 'A title is required.');
    if (item.fields && Object.keys(item.fields).length) throw new DevOpsError('invalidInput', `GitHub issues have no fields like ${Object.keys(item.fields)[0]}; write them into the body.`);
    const clientId = this.clientIdFor(options);
    const payload = { title: item.title, body: withClientIdMarker(item.description, clientId), labels: [...(item.tags ?? [])], assignToMe: item.assignToMe === true, parentId: item.parentId ?? null, ...(item.issueType ? { type: item.issueType } : {}) };
    return this.submit({ kind: 'create', subject: 'new', touches: [], payload, description: `${this.repository}: new issue "${item.title.slice(0, 60)}"` }, undefined, { ...options, clientId }, options.clientId !== undefined);
  }

  private clientIdFor(options: WriteOptions): string {
    const id = options.clientId ?? randomUUID();
    if (!isValidClientId(id)) throw new DevOpsError('invalidInput', 'A client id may use letters, digits and . _ : - only (at most 100).');
    return id;
  }

  /** Hands a described change to the outbox and reads its outcome in WorkTracker terms. */
  private async submit(write: Pick<RemoteWriteRequest, 'kind' | 'subject' | 'touches' | 'changes' | 'payload' | 'description'>, seen: WorkItem | undefined, options: WriteOptions, mayRepeat = false): Promise<WriteOutcome> {
    const clientId = options.clientId ?? randomUUID();
    const account = await this.account(options.signal).catch(() => undefined);
    const outcome = await this.options.outbox.send(
      { ...write, target: withAccount(this.home, account), clientId, correlationId: options.correlationId ?? clientId, mayRepeat },
      { via: this.writeConnection, ...(options.signal ? { signal: options.signal } : {}) },
    );
    const item = (value: unknown): WorkItem => {
      const found = (value as WorkItem | undefined) ?? seen;
      if (!found) throw new DevOpsError('badResponse', `${write.description}: GitHub did not send the item back.`);
      return found;
    };
    switch (outcome.kind) {
      case 'queued':
      case 'refused':
        return outcome;
      case 'conflict':
        return { kind: 'conflict', remote: item(outcome.remote), message: outcome.message, fields: outcome.fields };
      case 'applied':
        return { kind: 'applied', item: item(outcome.result) };
    }
  }

  /** GitHub holds a change: the cache and the views move on (saved a moment later, with other writes). */
  private remember(issue: GitHubIssue): WorkItem {
    this.store.upsert(issue);
    this.scheduleSave();
    this.fire();
    return this.store.get(issue.number) ?? toWorkItem(issue, this.repository);
  }
}
