/**
 * Where an agent's code changes meet the team: pull requests on Azure Repos or GitHub, pages in
 * the Azure DevOps project wiki. Providers implement these over the trackers' own connections
 * (the same credentials, bound to the same hosts, under the same retry and rate-limit policies).
 */

export interface PullRequestRequest {
  /** Azure Repos: the repository's name in the connected project (default: the project's repository of the same name, else its only one). GitHub: the connected repository. */
  readonly repository?: string;
  /** Short branch names (`task-12-dev`, `main`). */
  readonly sourceBranch: string;
  readonly targetBranch: string;
  readonly title: string;
  /** Markdown. */
  readonly description: string;
  /** Work items to link (Azure Boards ids; GitHub issue numbers are linked by the description's "Resolves #n"). */
  readonly workItemIds?: readonly number[];
  readonly isDraft?: boolean;
}

export interface PullRequestFound {
  readonly id: number;
  /** The page a person opens. */
  readonly url: string;
}

/**
 * One repository's pull requests, as the outbox's adapter uses them: `findOpen` only reads (it is
 * how a lost answer, a replay or a re-run learns the pull request is there already), `create`
 * writes once and is never retried by the client (the outbox looks, then sends again).
 */
export interface PullRequestHost {
  findOpen(request: PullRequestRequest, signal?: AbortSignal): Promise<PullRequestFound | undefined>;
  create(request: PullRequestRequest, signal?: AbortSignal): Promise<PullRequestFound>;
}

/** How opening a pull request ended, in the outbox's words. */
export type PullRequestOutcome =
  /** `existed`: an open pull request for the same branches was there already (a re-run, or a lost answer that had been made). */
  | { readonly kind: 'applied'; readonly id: number; readonly url: string; readonly existed: boolean }
  /** Not sent yet (the service is down, the answer was lost and could not be checked): the outbox sends it, once. */
  | { readonly kind: 'queued'; readonly reason: string }
  | { readonly kind: 'refused'; readonly message: string };

/** The outbox's bookkeeping for one write: stable across a resumed plan, so it is made once. */
export interface WriteRequestOptions {
  readonly clientId: string;
  readonly correlationId?: string;
  readonly signal?: AbortSignal;
}

export interface WikiHost {
  /** Creates or replaces a page of the project wiki (`/Folder/Page`); the page's address comes back, and whether it is new. */
  putPage(path: string, content: string, signal?: AbortSignal): Promise<{ readonly url: string; readonly created: boolean }>;
}

/** How writing a wiki page ended, in the outbox's words. */
export type WikiPageOutcome =
  | { readonly kind: 'applied'; readonly url: string | undefined; readonly created: boolean | undefined }
  | { readonly kind: 'queued'; readonly reason: string }
  | { readonly kind: 'refused'; readonly message: string };

export const CODE_HOSTS = ['azureRepos', 'github'] as const;
export type CodeHostKind = (typeof CODE_HOSTS)[number];

/** Pull requests and wiki pages, reached through the trackers' connections (loaded on first use). */
export interface CodeHosts {
  /**
   * Opens a pull request through the outbox's write protocol (look first, send once, queue when
   * the outcome cannot be known, replay after a restart), to the repository this window is
   * connected to, as the account signed in there. Throws notConfigured when that host is not.
   */
  openPullRequest(host: CodeHostKind, request: PullRequestRequest, write: WriteRequestOptions): Promise<PullRequestOutcome>;
  /**
   * Writes a page of the Azure DevOps project wiki through the outbox's write protocol (the whole
   * page, so a lost answer is simply written again; queued when the service cannot take it now,
   * replayed after a restart, to the project and account it was planned for). Throws
   * notConfigured when Azure DevOps is not.
   */
  writeWikiPage(path: string, content: string, write: WriteRequestOptions): Promise<WikiPageOutcome>;
  wiki(): Promise<WikiHost | undefined>;
}
