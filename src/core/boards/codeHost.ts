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

export interface PullRequestCreated {
  readonly id: number;
  /** The page a person opens. */
  readonly url: string;
  /** True when an open pull request for the same branches was there already (a re-run), so none was made. */
  readonly existed: boolean;
}

export interface PullRequestHost {
  /** Creates the pull request, or returns the open one for the same source and target (never two). */
  createPullRequest(request: PullRequestRequest, signal?: AbortSignal): Promise<PullRequestCreated>;
}

export interface WikiHost {
  /** Creates or replaces a page of the project wiki (`/Folder/Page`); the page's address comes back. */
  putPage(path: string, content: string, signal?: AbortSignal): Promise<{ readonly url: string }>;
}

export const CODE_HOSTS = ['azureRepos', 'github'] as const;
export type CodeHostKind = (typeof CODE_HOSTS)[number];

/** Pull requests and wiki pages, reached through the trackers' connections (loaded on first use). */
export interface CodeHosts {
  pullRequests(host: CodeHostKind): Promise<PullRequestHost | undefined>;
  wiki(): Promise<WikiHost | undefined>;
}
