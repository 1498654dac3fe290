import { type DevOpsError, type DevOpsErrorCode } from '../errors';
import { type TrackerKind, type WorkItem } from '../workItem';
import { type FieldConflict, type OutboxChoice, type SettledWrite } from './outbox';

/**
 * What the sidebar, the TODO lenses, `@devops` and the agents ask of a work tracker. Azure Boards
 * (azure-devops-node-api) and GitHub issues/Projects (octokit) implement it in src/providers/boards;
 * nothing above the providers knows which service answers.
 *
 * Contract for every implementation:
 * - Reads come from a cache with a time-to-live; `list` answers from the cache at once when it holds
 *   the query, and `refresh` asks the service only for items changed since the last sync (one
 *   request when nothing changed). `onDidChange` fires after a refresh that changed something.
 * - Writes go through the outbox's one write protocol (core/boards/outbox.ts) and never overwrite
 *   a concurrent edit: the fields a write sets are compared with what the caller saw (not the
 *   revision), and a field someone else changed meanwhile comes back as `{ kind: 'conflict' }` with
 *   the remote item, for the user to decide.
 * - A write that cannot be sent now (offline, 5xx, 429), or whose answer was lost, goes to the
 *   durable outbox and comes back as `{ kind: 'queued' }`; the outbox checks and sends it later,
 *   exactly once (each write carries a client id that recognises a change already made).
 * - A write the service refuses (a rule, a permission, a deleted item) comes back as
 *   `{ kind: 'refused' }` with the service's reason. Bad input is a thrown DevOpsError before
 *   anything is sent, with a message the user can act on and no secret in it.
 */

export type WorkItemFilter = 'assignedToMe' | 'currentIteration' | 'allOpen';

export interface ListOptions {
  readonly signal?: AbortSignal;
}

export interface RefreshOptions {
  readonly signal?: AbortSignal;
  /** Ignore the changed-since watermark and fetch everything again. */
  readonly full?: boolean;
  /**
   * Also ask each cached list again (ids only, one query a list), which a changed-since query
   * cannot: items deleted, moved out of the project or out of the sprint leave the lists. The
   * tracker does this by itself now and then; a refresh the user asked for asks for it.
   */
  readonly reconcile?: boolean;
}

export interface WorkItemSnapshot {
  readonly items: readonly WorkItem[];
  /** ISO time of the last successful sync with the service; undefined before the first. */
  readonly syncedAt: string | undefined;
  /** True when the time-to-live has passed; the caller shows the items and refreshes. */
  readonly stale: boolean;
}

/** A list's ids without its items (a large list is shown a part at a time). */
export interface WorkItemIdSnapshot {
  /** In id order: every id the filter matches, however many (no cap). */
  readonly ids: readonly number[];
  readonly syncedAt: string | undefined;
  readonly stale: boolean;
}

/** A state the item may move to, as the process template or the Status field allows. */
export interface StateChoice {
  /** The real state (Azure Boards) or Status option name (GitHub Projects) to write. */
  readonly state: string;
  /** The lifecycle step it corresponds to (core/process), when it maps onto one. */
  readonly lifecycle?: string;
  readonly description?: string;
}

/** One change of an item's state, as its tracker's history records it. */
export interface StateChange {
  /** ISO time of the change. */
  readonly at: string;
  /** The state before; undefined for the item's first revision. */
  readonly from: string | undefined;
  readonly to: string;
  /** Who made it (display name or unique name), when the history says. */
  readonly by: string | undefined;
}

export type WriteOutcome =
  | { readonly kind: 'applied'; readonly item: WorkItem }
  | { readonly kind: 'queued'; readonly outboxId: string; readonly reason: string }
  /** `fields`: per field, what the service holds, what the caller saw, what the caller asked for. */
  | { readonly kind: 'conflict'; readonly remote: WorkItem; readonly message: string; readonly fields: readonly FieldConflict[] }
  | { readonly kind: 'refused'; readonly code: DevOpsErrorCode; readonly message: string };

export interface WriteOptions {
  readonly signal?: AbortSignal;
  /** Idempotency key; the outbox keeps it so a replay is recognised. Generated when omitted. */
  readonly clientId?: string;
  /** Who asked (for the audit trail): a command id or an agent run's correlation id. */
  readonly correlationId?: string;
}

export interface NewWorkItem {
  readonly type: string;
  readonly title: string;
  /** Markdown (GitHub) or HTML-safe text (Azure Boards converts it). */
  readonly description: string;
  readonly parentId?: number;
  readonly tags?: readonly string[];
  readonly assignToMe?: boolean;
  /**
   * Azure Boards: more fields by reference name (an estimate, acceptance criteria); numbers as
   * they are, text as the plain text of an HTML field. GitHub issues have no such fields and refuse them.
   */
  readonly fields?: Readonly<Record<string, string | number>>;
  /** GitHub: the organization's issue type (its name); other trackers have none. */
  readonly issueType?: string;
}

export interface TrackerIdentity {
  readonly kind: TrackerKind;
  /** `Azure Boards (sandbox-org/Contoso Web)`, `GitHub (contoso/contoso-web)`. */
  readonly label: string;
  /** The signed-in user's display name or login, when known. */
  readonly me: string | undefined;
}

export interface WorkTracker {
  identity(signal?: AbortSignal): Promise<TrackerIdentity>;
  /** Items matching the filter from the cache (refreshing first when nothing is cached yet). */
  list(filter: WorkItemFilter, options?: ListOptions): Promise<WorkItemSnapshot>;
  /** Asks the service for changes since the last sync; returns how many items changed. */
  refresh(options?: RefreshOptions): Promise<{ readonly changed: number; readonly requests: number }>;
  /** Items by id, from the cache when fresh, else fetched (Azure Boards: 200 ids a request). */
  get(ids: readonly number[], signal?: AbortSignal): Promise<ReadonlyMap<number, WorkItem | DevOpsError>>;
  /** The work item types that may be created under this one (or at the top when undefined). */
  childTypes(parent: WorkItem | undefined): Promise<readonly string[]>;
  allowedStates(item: WorkItem, signal?: AbortSignal): Promise<readonly StateChoice[]>;
  changeState(item: WorkItem, state: string, options?: WriteOptions): Promise<WriteOutcome>;
  /**
   * Every change of the item's state, oldest first, from the service's revision history (Azure
   * Boards' updates). Trackers whose service keeps no such history that can be read leave it out.
   */
  stateHistory?(item: WorkItem, signal?: AbortSignal): Promise<readonly StateChange[]>;
  assignToMe(item: WorkItem, options?: WriteOptions): Promise<WriteOutcome>;
  addComment(item: WorkItem, markdown: string, options?: WriteOptions): Promise<WriteOutcome>;
  create(item: NewWorkItem, options?: WriteOptions): Promise<WriteOutcome>;
  /** Moves the item into an iteration (Azure Boards' Iteration Path); trackers without iterations leave it out. */
  setIteration?(item: WorkItem, path: string, options?: WriteOptions): Promise<WriteOutcome>;
  /**
   * Marks the item blocked, or clears the mark, the way its tracker shows it: Azure Boards'
   * Microsoft.VSTS.CMMI.Blocked field where the type has it (Yes / No or emptied), else the
   * `Blocked` tag (other tags kept); GitHub: the configured Project's Status "Blocked" (back to its
   * Ready option when cleared) where the Project has that option and the issue is in it, else a
   * `blocked` label. Which one is decided when the change is sent, so a change queued offline is
   * decided online. `seen`: whether the caller saw it blocked (a GitHub Project's Status is not on
   * the WorkItem), else read from the item. Trackers without it leave it out.
   */
  setBlocked?(item: WorkItem, blocked: boolean, options?: WriteOptions & { readonly seen?: boolean }): Promise<WriteOutcome>;
  /**
   * GitHub: the issue's item in the configured Project (v2), its Status and the Project's Status
   * options; undefined when no Project is configured or the issue is not in it.
   */
  projectPlace?(item: WorkItem, signal?: AbortSignal): Promise<ProjectPlace | undefined>;
  /** Links a branch (`refs/heads/<name>`) of the tracker's repository to the item. */
  linkBranch(item: WorkItem, branch: string, options?: WriteOptions): Promise<WriteOutcome>;
  /** Fires when cached items changed (refresh, a write, an outbox replay). */
  onDidChange(listener: () => void): { dispose(): void };
}

export interface IdListOptions extends ListOptions {
  /** While a list longer than one query's page is asked for: the ids known so far, after each page but the last. */
  readonly onPage?: (idsSoFar: readonly number[]) => void;
}

/**
 * A tracker that answers a list's ids before its items (Azure Boards: WIQL, then batches of 200):
 * the view of a list too large to read whole shows its groups at once and reads the items of a
 * group when it is opened. The lists stay current through `refresh` like `list`'s.
 */
export interface PagedWorkTracker extends WorkTracker {
  /** Every id the filter matches, from the cache or the service, without reading the items. */
  listIds(filter: WorkItemFilter, options?: IdListOptions): Promise<WorkItemIdSnapshot>;
  /** Items by id: cached ones as they are, the others read (and cached); an unknown id is a `notFound` error. */
  items(ids: readonly number[], signal?: AbortSignal): Promise<ReadonlyMap<number, WorkItem | DevOpsError>>;
  /**
   * A list's ids by state or by iteration, without reading the items (a query per state or sprint):
   * every id of the list in exactly one group, in workflow or sprint order, the ids the queries did
   * not place (another state or sprint) in a last group with the key ''.
   */
  groupIds?(filter: WorkItemFilter, by: IdGrouping, options?: ListOptions): Promise<readonly IdGroup[]>;
}

/** What a list too large to read whole can be grouped by from its ids alone. */
export type IdGrouping = 'state' | 'iteration';

export interface IdGroup {
  /** The state or iteration path; '' for the ids in none of the others. */
  readonly key: string;
  readonly label: string;
  /** In id order. */
  readonly ids: readonly number[];
}

/** A list as the disk cache held it at start: its ids, and its items when it was small enough to read whole. */
export interface CachedList extends WorkItemIdSnapshot {
  /** Every item of `ids`, in the service's order; absent for a list of more than `maxItems` ids, or one whose items are not all cached. */
  readonly items?: readonly WorkItem[];
}

/**
 * A tracker whose lists can be read from its disk cache without the tracker's own code or the
 * service (the Azure Boards tree's first rows on start-up, before the sandbox or the service answers).
 */
export interface CachedWorkTracker extends WorkTracker {
  /** What the cache held for the filter at start; undefined when that list was never cached, or once the tracker itself answers. */
  cached(filter: WorkItemFilter, maxItems: number): Promise<CachedList | undefined>;
}

export function hasCachedLists(tracker: WorkTracker): tracker is CachedWorkTracker {
  return typeof (tracker as Partial<CachedWorkTracker>).cached === 'function';
}

export function isPagedTracker(tracker: WorkTracker): tracker is PagedWorkTracker {
  const t = tracker as Partial<PagedWorkTracker>;
  return typeof t.listIds === 'function' && typeof t.items === 'function';
}

/** Where a GitHub issue sits in the configured Project (v2). */
export interface ProjectPlace {
  readonly projectNumber: number;
  /** The ProjectV2Item node id. */
  readonly itemId: string;
  /** Its Status option's name; undefined when unset. */
  readonly status: string | undefined;
  /** The Project's Status options in its own order (empty: no single-select Status field). */
  readonly options: readonly string[];
}

/** GitHub Projects (v2): a project's items grouped by its single-select Status field. */
export interface ProjectSummary {
  readonly number: number;
  readonly title: string;
  readonly url: string;
  readonly closed: boolean;
}

export interface ProjectItem {
  /** The ProjectV2Item node id. */
  readonly itemId: string;
  readonly contentType: 'issue' | 'pullRequest' | 'draft';
  /** Issue or PR number; undefined for a draft. */
  readonly number: number | undefined;
  readonly repository: string | undefined;
  readonly title: string;
  /** The Status option name; undefined when unset. */
  readonly status: string | undefined;
  readonly assignees: readonly string[];
  readonly labels: readonly string[];
  readonly url: string | undefined;
  readonly state: string | undefined;
}

export interface ProjectBoard {
  readonly project: ProjectSummary;
  /** The Status field's options in the project's own order. */
  readonly statusOptions: readonly string[];
  readonly items: readonly ProjectItem[];
  readonly syncedAt: string | undefined;
}

export type ProjectWriteOutcome =
  | { readonly kind: 'applied-project'; readonly item: ProjectItem }
  | { readonly kind: 'project-conflict'; readonly remote: ProjectItem; readonly message: string }
  | { readonly kind: 'queued'; readonly outboxId: string; readonly reason: string }
  | { readonly kind: 'refused'; readonly code: DevOpsErrorCode; readonly message: string };

/** A Project item moved into an iteration: the ids the mutation needs, and the titles people read. */
export interface IterationMove {
  readonly projectId: string;
  readonly itemId: string;
  readonly fieldId: string;
  /** The iteration field's name (the item's value is read back by it). */
  readonly fieldName: string;
  readonly iterationId: string;
  /** The iteration's title. */
  readonly iteration: string;
  /** The title of the iteration the item was in when planned, or null: a different one now is a conflict. */
  readonly from: string | null;
  /** The issue's number, for messages. */
  readonly number?: number;
}

/** A board read a page at a time: the items read so far, and whether the project has more. */
export interface PartialProjectBoard extends ProjectBoard {
  /** Every item is read; otherwise groups hold what the pages read so far hold. */
  readonly complete: boolean;
  /** The project's item count as the service reported it (archived ones included). */
  readonly totalCount: number | undefined;
}

export interface ProjectTracker {
  projects(signal?: AbortSignal): Promise<readonly ProjectSummary[]>;
  board(projectNumber: number, options?: RefreshOptions): Promise<ProjectBoard>;
  /**
   * The board for a view of a large project: the disk cache as it is (any age) unless `refresh`,
   * else the first page of items read again (100), not every page. Optional: a tracker without it
   * is shown whole with `board`.
   */
  openBoard?(projectNumber: number, options?: { readonly refresh?: boolean; readonly signal?: AbortSignal }): Promise<PartialProjectBoard>;
  /**
   * Reads further pages (in the project's order, as GitHub pages them; it cannot filter by
   * Status) until the Status group `status` (undefined: No Status) holds `want` items or the
   * project has no more. What a view does when a group, or a page of one, is opened.
   */
  readGroup?(projectNumber: number, status: string | undefined, want: number, signal?: AbortSignal): Promise<PartialProjectBoard>;
  /**
   * Sets the item's Status option (updateProjectV2ItemFieldValue). `project-conflict`: someone moved
   * the item since the board was read (its Status is not the one the caller saw); nothing was written.
   */
  setStatus(projectNumber: number, itemId: string, status: string, options?: WriteOptions & { readonly from?: string | null }): Promise<ProjectWriteOutcome>;
  /**
   * Sets the item's iteration field to one of its iterations (updateProjectV2ItemFieldValue with
   * the iteration's id). `project-conflict`: the item's iteration is no longer `move.from`.
   */
  setProjectIteration?(projectNumber: number, move: IterationMove, options?: WriteOptions): Promise<ProjectWriteOutcome>;
  /**
   * Adds an issue of the repository to the Project, with its estimate in the Project's number field
   * (`estimateField`) when given, through the outbox; an issue already there (with that estimate) is applied at once.
   */
  addIssueToProject?(projectNumber: number, issue: { readonly number: number; readonly estimate?: number; readonly estimateField?: string }, options?: WriteOptions): Promise<ProjectWriteOutcome>;
  onDidChange(listener: () => void): { dispose(): void };
}

/** Remote changes waiting to be sent (the status bar shows the count). */
export interface OutboxEntrySummary {
  readonly id: string;
  readonly tracker: TrackerKind;
  readonly description: string;
  readonly attempts: number;
  readonly lastError: string | undefined;
  readonly createdAt: string;
  /** `pending`: will be sent; `conflict`, `refused`: wait for the user's choice. */
  readonly state: 'pending' | 'conflict' | 'refused';
  /** The connection (and account) it goes to: `GitHub acme/web (as alice)`. */
  readonly where: string;
  /**
   * Why it waits although it is pending: it belongs to another connection or account than this
   * window's (it is sent only there), or it was queued by an earlier version that did not record one.
   */
  readonly elsewhere: string | undefined;
  /** The fields in conflict. */
  readonly conflict: readonly FieldConflict[];
  readonly url: string | undefined;
}

export interface OutboxView {
  pending(): readonly OutboxEntrySummary[];
  /** Sends what can be sent now (whatever has been loaded: it loads the trackers it needs); resolves with how many were sent. */
  flush(signal?: AbortSignal): Promise<number>;
  /** Drops an entry the user gave up on. */
  discard(id: string): Promise<void>;
  /** The user's choice for a change that waits for them: send it over the other change (`overwrite`), or try a refused one again (`retry`). */
  resolve(id: string, choice: OutboxChoice): Promise<void>;
  onDidChange(listener: () => void): { dispose(): void };
  /** A change sent in the background ended: applied, or in conflict or refused (the user is told at once). */
  onDidSettle(listener: (settled: SettledWrite) => void): { dispose(): void };
}
