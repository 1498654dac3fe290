import { type GitHubProjectSetup } from '../../core/bootstrap/githubProjectSetup';
import { type ProjectSetup } from '../../core/bootstrap/projectSetup';
import { type AzureTestRuns } from './azureBoards/testRuns';
import { type AuditMirror, type AuditSink } from '../../core/audit/sink';
import { type Backend, type ServiceEndpoints } from '../../core/backend';
import { type Outbox, type WriteConnection, type WriteKind } from '../../core/boards/outbox';
import { azureHome, githubHome, withAccount, type WriteHome, type WriteTarget } from '../../core/boards/writeTarget';
import { type BudgetReading } from '../../core/boards/requestBudget';
import {
  type CachedList,
  type CachedWorkTracker,
  type ProjectTracker,
  type PagedWorkTracker,
  type WorkItemFilter,
  type WorkTracker,
} from '../../core/boards/workTracker';
import { DevOpsError } from '../../core/errors';
import { type Credential, type CredentialRequest, type Logger } from '../../core/host';
import { Listeners } from '../../core/listeners';
import { liveEndpoints } from '../../core/liveEndpoints';
import { type PlanningBoards } from '../../core/planning/planningBoards';
import { type Settings } from '../../core/settings';
import { type CodeHosts } from '../../core/boards/codeHost';
import { type RepositoryControls } from '../../core/security/repositoryControls';
import { startupTimeline } from '../../core/startupTimeline';
import { type ConnectedScope, organizationOf } from '../../core/todo/referenceScope';
import { SANDBOX_GITHUB, SANDBOX_ORGANIZATION, SANDBOX_PROJECT } from '../../sandbox/identity';
import { type TrackerKind, workItemKey } from '../../core/workItem';
import type { AzureBoardsTracker, CreateAzureBoardsTrackerOptions } from './azureBoards/index';
// Small (node fs and the work item schema): the first rows are read with it before the clients' code loads.
import { currentAzureCacheKey, readCachedList } from './azureBoards/cachedList';
import type { AzureAuditMirror } from './azureBoards/auditMirror';
import type { AzureConnection } from './azureBoards/azureConnection';
import type { GitHubClient } from './github/githubClient';
import type { GitHubTrackers, GitHubTrackersOptions } from './github/index';

export interface TrackerSetDeps {
  readonly backend: Backend;
  readonly settings: () => Settings;
  readonly log: Logger;
  readonly storageDir: string;
  /** The workspace folder the sandbox keeps its state in (none: the storage folder); its cache key names it. */
  readonly workspaceRoot?: string;
  readonly getCredential: (service: 'azureDevOps' | 'github', request: CredentialRequest) => Promise<Credential | undefined>;
  readonly outbox: () => Promise<Outbox>;
  readonly audit?: AuditSink;
  /** Client time-outs and retry pacing; the services' defaults when omitted (tests and the chaos run shorten them). */
  readonly tuning?: {
    readonly azure?: Pick<CreateAzureBoardsTrackerOptions, 'timeoutMs' | 'retries' | 'retryDelayMs'>;
    readonly github?: Pick<GitHubTrackersOptions, 'timeoutMs' | 'tuning'>;
  };
}

export type GitHubTracker = WorkTracker & ProjectTracker;

/** What identifies a connection: when it changes, the trackers are made again. */
function connectionKey(settings: Settings): string {
  if (settings.backend === 'sandbox') return 'sandbox';
  const { azureDevOps, github, cache } = settings;
  return JSON.stringify([azureDevOps.organizationUrl, azureDevOps.project, azureDevOps.team, github.owner, github.repo, github.projectNumber, cache.ttlSeconds]);
}

/**
 * The trackers for the current backend, made on first use. The Azure DevOps and GitHub client
 * libraries (and the sandbox, when selected) load only when a view, a lens or `@devops` first asks
 * for work items, so activation stays fast. `azure()` and `github()` answer at once from settings
 * whether a tracker is configured; the object they return loads the real one behind each call.
 */
export class TrackerSet {
  private readonly changed = new Listeners((error) => this.deps.log.warn(`A tracker change listener failed: ${String(error)}`));
  private key: string;
  private azureTracker: Promise<AzureBoardsTracker> | undefined;
  private githubTrackers: Promise<GitHubTrackers> | undefined;
  /** The trackers once made (for what they already know without a request). */
  private loadedAzure: AzureBoardsTracker | undefined;
  private loadedGitHub: GitHubTrackers | undefined;
  private readonly azureProxy: PagedWorkTracker & CachedWorkTracker;
  private readonly githubProxy: GitHubTracker;
  private readonly forwarded: { dispose(): void }[] = [];
  private mirror: Promise<AzureAuditMirror> | undefined;

  constructor(private readonly deps: TrackerSetDeps) {
    this.key = connectionKey(deps.settings());
    this.azureProxy = {
      ...this.workTrackerProxy(() => this.loadAzure()),
      listIds: async (filter, options) => (await this.loadAzure()).listIds(filter, options),
      items: async (ids, signal) => (await this.loadAzure()).items(ids, signal),
      groupIds: async (filter, by, options) => (await this.loadAzure()).groupIds(filter, by, options),
      stateHistory: async (item, signal) => (await this.loadAzure()).stateHistory(item, signal),
      cached: (filter, maxItems) => this.cachedAzure(filter, maxItems),
    };
    this.githubProxy = {
      ...this.workTrackerProxy(async () => (await this.loadGitHub()).issues),
      projects: async (signal) => (await this.loadGitHub()).projects.projects(signal),
      board: async (number, options) => (await this.loadGitHub()).projects.board(number, options),
      openBoard: async (number, options) => (await this.loadGitHub()).projects.openBoard(number, options),
      readGroup: async (number, status, want, signal) => (await this.loadGitHub()).projects.readGroup(number, status, want, signal),
      setStatus: async (number, itemId, status, options) => (await this.loadGitHub()).projects.setStatus(number, itemId, status, options),
      setProjectIteration: async (number, move, options) => (await this.loadGitHub()).projects.setProjectIteration(number, move, options),
      addIssueToProject: async (number, issue, options) => (await this.loadGitHub()).projects.addIssueToProject(number, issue, options),
      projectPlace: async (item, signal) => (await this.loadGitHub()).issues.projectPlace(item, signal),
      onDidChange: (listener) => this.changed.on(listener),
    };
  }

  /** The Azure Boards tracker, or undefined when no organization and project are configured. */
  azure(): (PagedWorkTracker & CachedWorkTracker) | undefined {
    return this.endpointsNow().azureDevOps ? this.azureProxy : undefined;
  }

  /** The GitHub issues and Projects tracker, or undefined when no owner and repository are configured. */
  github(): GitHubTracker | undefined {
    return this.endpointsNow().github ? this.githubProxy : undefined;
  }

  /**
   * Where each tracker reads (organization and project, repository), so a reference naming another
   * one is refused instead of answered with the connected tracker's item of the same id.
   */
  scope(kind: 'azureBoards' | 'github'): ConnectedScope | undefined {
    const settings = this.deps.settings();
    const sandbox = settings.backend === 'sandbox';
    if (kind === 'azureBoards') {
      if (!this.azure()) return undefined;
      return sandbox ? { organization: SANDBOX_ORGANIZATION, project: SANDBOX_PROJECT } : { organization: organizationOf(settings.azureDevOps.organizationUrl) ?? '', project: settings.azureDevOps.project };
    }
    if (!this.github()) return undefined;
    return { repository: sandbox ? `${SANDBOX_GITHUB.owner}/${SANDBOX_GITHUB.repo}` : `${settings.github.owner}/${settings.github.repo}` };
  }

  /**
   * Pull requests (Azure Repos, GitHub) and the Azure DevOps project wiki for agents' remote
   * changes, over the trackers' own connections; each loads its tracker on first use.
   */
  codeHosts(): CodeHosts {
    return {
      openPullRequest: async (host, request, write) => {
        const service = host === 'azureRepos' ? 'azureBoards' : 'github';
        if (!(service === 'azureBoards' ? this.azure() : this.github())) {
          throw new DevOpsError('notConfigured', `${host === 'azureRepos' ? 'Azure DevOps' : 'GitHub'} is not connected; sign in (AI DevOps: Sign In) and run the agent again.`);
        }
        // The target loads the tracker, whose connection gives the outbox this kind's adapter.
        const [{ sendPullRequest }, outbox, target] = await Promise.all([import('./pullRequestWrites'), this.deps.outbox(), this.writeTarget(service, write.signal)]);
        return sendPullRequest(outbox, target, request, write);
      },
      writeWikiPage: async (path, content, write) => {
        if (!this.azure()) throw new DevOpsError('notConfigured', 'Azure DevOps is not connected, so there is no project wiki to write to; sign in (AI DevOps: Sign In) and run the agent again.');
        const [{ sendWikiPage }, outbox, target] = await Promise.all([import('./wikiPageWrites'), this.deps.outbox(), this.writeTarget('azureBoards', write.signal)]);
        return sendWikiPage(outbox, target, path, content, write);
      },
      wiki: async () => {
        if (!this.azure()) return undefined;
        return (await this.loadAzure()).wiki;
      },
    };
  }

  /** The work items linked to Azure Repos pull requests (release notes' "Merged PR 12"); undefined when Azure DevOps is not connected. */
  async azurePullRequestWorkItems(ids: readonly number[], signal?: AbortSignal): Promise<ReadonlyMap<number, readonly number[] | DevOpsError> | undefined> {
    if (!this.azure()) return undefined;
    const [{ AzurePullRequests }, tracker] = await Promise.all([import('./azureBoards/azurePullRequests'), this.loadAzure()]);
    return new AzurePullRequests(tracker.azure).linkedWorkItems(ids, signal);
  }

  /**
   * The planner's reads of a tracker (its process, an epic's tree, what a plan made) over the
   * same connection as the tracker, or undefined when that tracker is not configured. The
   * planning code loads with the first call.
   */
  async planning(kind: TrackerKind): Promise<PlanningBoards | undefined> {
    if (kind === 'azureBoards') {
      if (!this.azure()) return undefined;
      const [{ AzurePlanning }, tracker] = await Promise.all([import('../planning/azurePlanning'), this.loadAzure()]);
      return new AzurePlanning(tracker.azure, this.deps.settings().planning.blockedDays);
    }
    if (!this.github()) return undefined;
    const [{ GitHubPlanning }, trackers] = await Promise.all([import('../planning/githubPlanning'), this.loadGitHub()]);
    return new GitHubPlanning(trackers.client, undefined, this.deps.settings().github.capacity, this.deps.settings().planning.blockedDays);
  }

  /**
   * The outbox's way to this window's connections: what they are connected to (from settings, so
   * asking loads nothing) and, when a change for one of them is due, its tracker's adapters (loaded
   * then). The composition root connects them, so queued changes go out after a restart and on
   * "Send Now" whether or not a view has opened a tracker; changes for any other connection wait.
   */
  writeConnections(): WriteConnection[] {
    return [
      {
        home: async () => this.homes().azure,
        account: async (signal) => (await this.loadAzure()).account(signal),
        knownAccount: () => this.loadedAzure?.writeConnection.knownAccount(),
        kinds: async () => (await this.loadAzure()).writeKinds(),
      },
      {
        home: async () => this.homes().github,
        account: async (signal) => (await this.loadGitHub()).issues.account(signal),
        knownAccount: () => this.loadedGitHub?.issues.writeConnection.knownAccount(),
        kinds: async (): Promise<ReadonlyMap<string, WriteKind>> => (await this.loadGitHub()).writeKinds(),
      },
    ];
  }

  /**
   * Where a write to this window's Azure DevOps project or GitHub repository goes, as the account
   * signed in there: the `target` of an outbox request (loads the tracker to learn the account). A
   * request sent with it and no `via` goes through the connection above, whose adapters are the
   * service's fixed list, so the same change is found again after a restart.
   */
  async writeTarget(service: 'azureBoards' | 'github', signal?: AbortSignal): Promise<WriteTarget> {
    const homes = this.homes();
    if (service === 'azureBoards') {
      if (!homes.azure) throw new DevOpsError('notConfigured', 'Azure DevOps is not configured: set aiDevops.azureDevOps.organizationUrl and aiDevops.azureDevOps.project, or try the sandbox.');
      return withAccount(homes.azure, await (await this.loadAzure()).account(signal));
    }
    if (!homes.github) throw new DevOpsError('notConfigured', 'GitHub is not configured: set aiDevops.github.owner and aiDevops.github.repo, or try the sandbox.');
    return withAccount(homes.github, await (await this.loadGitHub()).issues.account(signal));
  }

  /** The connections as the outbox records them: the sandbox's are `sandbox`, whatever port its stand-ins have this session. */
  private homes(): { azure: WriteHome | undefined; github: WriteHome | undefined } {
    const settings = this.deps.settings();
    if (settings.backend === 'sandbox') {
      return {
        azure: { service: 'azureBoards', organization: 'sandbox', project: SANDBOX_PROJECT },
        github: { service: 'github', host: 'sandbox', owner: SANDBOX_GITHUB.owner, repo: SANDBOX_GITHUB.repo },
      };
    }
    const live = liveEndpoints(settings);
    return { azure: live.azureDevOps ? azureHome(live.azureDevOps, 'live') : undefined, github: live.github ? githubHome(live.github, 'live') : undefined };
  }

  /** Fires when trackers were made again (settings, backend) and when any tracker's items changed. */
  onDidChange(listener: () => void): { dispose(): void } {
    return this.changed.on(listener);
  }

  /** Settings or the backend changed: drop the trackers when their connection is no longer the same. */
  reconnect(): void {
    const key = connectionKey(this.deps.settings());
    if (key === this.key) return;
    this.key = key;
    this.disposeTrackers();
    this.changed.fire();
  }

  dispose(): void {
    this.disposeTrackers();
  }

  /**
   * The request budgets last seen in the services' rate-limit headers (GitHub: core and GraphQL;
   * Azure DevOps: X-RateLimit-*, sent once usage is being delayed). Only trackers already in use
   * report: asking never loads a client.
   */
  async budgets(): Promise<BudgetReading[]> {
    const readings: BudgetReading[] = [];
    const github = this.githubTrackers ? await this.githubTrackers.catch(() => undefined) : undefined;
    for (const resource of ['core', 'graphql']) {
      const b = github?.budget(resource);
      if (b) readings.push({ service: 'GitHub', resource: b.resource, limit: b.limit, remaining: b.remaining, resetAt: b.resetAt });
    }
    const azure = this.azureTracker ? await this.azureTracker.catch(() => undefined) : undefined;
    if (azure) {
      const r = azure.azure.lastRateLimit;
      readings.push({ service: 'Azure DevOps', ...(r?.resource ? { resource: r.resource } : {}), ...(r?.limit !== undefined ? { limit: r.limit } : {}), ...(r?.remaining !== undefined ? { remaining: r.remaining } : {}), ...(r?.resetAt ? { resetAt: r.resetAt } : {}) });
    }
    return readings;
  }

  /**
   * The audit trail's copy in Azure DevOps (a comment per run on each item, a wiki page per day), while
   * `enabled()` (aiDevops.audit.mirrorToAzureDevOps) and Azure Boards is configured; otherwise the
   * events stay local only. The mirror's client loads with the first event that touches an item.
   */
  auditMirror(enabled: () => boolean): AuditMirror {
    const active = async (): Promise<AzureAuditMirror | undefined> => (enabled() && this.azure() ? this.loadMirror() : undefined);
    return {
      mirrorEvent: async (event) => (await active())?.mirrorEvent(event),
      publishRun: async (run) => (await active())?.publishRun(run),
    };
  }

  /**
   * Bootstrap of the connected Azure DevOps project (read what it has, add what is missing) over
   * the Azure Boards tracker's connection; undefined when Azure DevOps is not configured. The
   * project need not exist yet: bootstrap creates it.
   */
  async projectSetup(): Promise<ProjectSetup | undefined> {
    if (!this.azure()) return undefined;
    const [{ AzureProjectSetup }, tracker] = await Promise.all([import('./azureBoards/projectSetup'), this.loadAzure()]);
    return new AzureProjectSetup(tracker.azure);
  }

  /** Bootstrap of the repository's GitHub Project over the GitHub tracker's client; undefined when GitHub is not configured. */
  async githubProjectSetup(): Promise<GitHubProjectSetup | undefined> {
    if (!this.github()) return undefined;
    const [{ GitHubProjectSetupClient }, trackers] = await Promise.all([import('./github/githubProjectSetup'), this.loadGitHub()]);
    return new GitHubProjectSetupClient(trackers.client);
  }

  /**
   * The clients behind the trackers, for delivery calls beyond work items (GitHub releases,
   * workflow runs and environments; Azure Pipelines runs). Asking loads the tracker, with its
   * credential, throttling and retries; an unconfigured service answers with how to set it up.
   */
  deliveryClients(): { github(): Promise<GitHubClient>; azure(): Promise<AzureConnection> } {
    return {
      github: async () => (await this.loadGitHub()).client,
      azure: async () => (await this.loadAzure()).azure,
    };
  }

  /**
   * Branch policies and required reviewers of the connected Azure Repos project and GitHub
   * repository, for the compliance report: one reader per configured service, named from the
   * settings at once; the tracker and the reading code load when it is read.
   */
  repositoryControls(): RepositoryControls[] {
    const readers: RepositoryControls[] = [];
    const azure = this.scope('azureBoards');
    if (azure && 'project' in azure)
      readers.push({
        name: `Azure Repos ${azure.project}`,
        branchControls: async (signal) => {
          const [{ AzureBranchPolicies }, tracker] = await Promise.all([import('./azureBoards/azureBranchPolicies'), this.loadAzure()]);
          return new AzureBranchPolicies(tracker.azure).branchControls(signal);
        },
      });
    const github = this.scope('github');
    if (github && 'repository' in github)
      readers.push({
        name: `GitHub ${github.repository}`,
        branchControls: async (signal) => {
          const [{ GitHubBranchProtection }, trackers] = await Promise.all([import('./github/githubBranchProtection'), this.loadGitHub()]);
          return new GitHubBranchProtection(trackers.client).branchControls(signal);
        },
      });
    return readers;
  }

  /** Azure Test Plans through the Azure Boards connection (same credential, retries and limits), when Azure DevOps is configured. */
  async azureTestRuns(): Promise<AzureTestRuns | undefined> {
    if (!this.azure()) return undefined;
    const [{ AzureTestRuns }, tracker] = await Promise.all([import('./azureBoards/testRuns'), this.loadAzure()]);
    return new AzureTestRuns(tracker.azure);
  }

  private loadMirror(): Promise<AzureAuditMirror> {
    this.mirror ??= (async () => {
      const [{ createAzureAuditMirror }, tracker, outbox] = await Promise.all([import('./azureBoards/auditMirror'), this.loadAzure(), this.deps.outbox()]);
      return createAzureAuditMirror({ tracker, outbox, log: this.deps.log });
    })();
    this.mirror.catch(() => (this.mirror = undefined));
    return this.mirror;
  }

  private endpointsNow(): Pick<ServiceEndpoints, 'azureDevOps' | 'github'> {
    const settings = this.deps.settings();
    // The sandbox serves both; its URLs are known only once it runs, but that it has both is known now.
    if (settings.backend === 'sandbox') return { azureDevOps: { organizationUrl: '', project: '', team: '' }, github: { baseUrl: '', owner: '', repo: '', projectNumber: null } };
    return liveEndpoints(settings);
  }

  private disposeTrackers(): void {
    const azure = this.azureTracker;
    const github = this.githubTrackers;
    this.azureTracker = undefined;
    this.githubTrackers = undefined;
    this.loadedAzure = undefined;
    this.loadedGitHub = undefined;
    this.mirror = undefined;
    this.forwarded.splice(0).forEach((d) => d.dispose());
    void azure?.then((t) => t.dispose(), () => undefined);
    void github?.then((t) => t.dispose(), () => undefined);
  }

  /**
   * The Azure Boards cache files of the current connection, read without its tracker: the tree's
   * first rows while the sandbox starts and the clients' code loads. Once the tracker is made it
   * answers itself (undefined here).
   */
  private async cachedAzure(filter: WorkItemFilter, maxItems: number): Promise<CachedList | undefined> {
    if (this.loadedAzure) return undefined;
    return readCachedList({ storageDir: this.deps.storageDir, settings: this.deps.settings(), workspaceRoot: this.deps.workspaceRoot, log: this.deps.log, filter, maxItems });
  }

  private loadAzure(): Promise<AzureBoardsTracker> {
    this.azureTracker ??= (async () => {
      // Its code loads while the endpoints are worked out (the sandbox may be starting): neither waits for the other.
      const code = startupTimeline().span('Azure Boards: loading its code', () => import('./azureBoards/index'));
      code.catch(() => undefined);
      const endpoint = (await this.deps.backend.endpoints()).azureDevOps;
      if (!endpoint) throw new DevOpsError('notConfigured', 'Azure DevOps is not configured: set aiDevops.azureDevOps.organizationUrl and aiDevops.azureDevOps.project, or try the sandbox.');
      const [{ createAzureBoardsTracker }, outbox] = await Promise.all([code, this.deps.outbox()]);
      const cacheKey = currentAzureCacheKey(this.deps.settings(), this.deps.workspaceRoot);
      const tracker = createAzureBoardsTracker({
        endpoint,
        credential: (request) => this.deps.getCredential('azureDevOps', { ...request, url: endpoint.organizationUrl }),
        log: this.deps.log,
        storageDir: this.deps.storageDir,
        cacheTtlSeconds: this.deps.settings().cache.ttlSeconds,
        outbox,
        ...(this.deps.audit ? { audit: this.deps.audit } : {}),
        ...this.homeOption(this.homes().azure),
        ...(cacheKey !== undefined ? { cacheKey } : {}),
        ...this.deps.tuning?.azure,
      });
      this.forwarded.push(tracker.onDidChange(() => this.changed.fire()));
      this.loadedAzure = tracker;
      return tracker;
    })();
    this.azureTracker.catch(() => (this.azureTracker = undefined));
    return this.azureTracker;
  }

  private loadGitHub(): Promise<GitHubTrackers> {
    this.githubTrackers ??= (async () => {
      const code = startupTimeline().span('GitHub: loading its code', () => import('./github/index'));
      code.catch(() => undefined);
      const endpoint = (await this.deps.backend.endpoints()).github;
      if (!endpoint) throw new DevOpsError('notConfigured', 'GitHub is not configured: set aiDevops.github.owner and aiDevops.github.repo, or try the sandbox.');
      const [{ createGitHubTrackers }, outbox] = await Promise.all([code, this.deps.outbox()]);
      const trackers = createGitHubTrackers({
        endpoint,
        credential: (request) => this.deps.getCredential('github', { ...request, url: endpoint.baseUrl }),
        log: this.deps.log,
        storageDir: this.deps.storageDir,
        cacheTtlSeconds: this.deps.settings().cache.ttlSeconds,
        outbox,
        ...this.homeOption(this.homes().github),
        ...this.deps.tuning?.github,
      });
      this.forwarded.push(
        trackers.issues.onDidChange(() => this.changed.fire()),
        trackers.projects.onDidChange(() => this.changed.fire()),
      );
      this.loadedGitHub = trackers;
      return trackers;
    })();
    this.githubTrackers.catch(() => (this.githubTrackers = undefined));
    return this.githubTrackers;
  }

  private homeOption(home: WriteHome | undefined): { home?: WriteHome } {
    return home ? { home } : {};
  }

  private workTrackerProxy(load: () => Promise<WorkTracker>): WorkTracker {
    return {
      identity: async (signal) => (await load()).identity(signal),
      list: async (filter, options) => (await load()).list(filter, options),
      refresh: async (options) => (await load()).refresh(options),
      get: async (ids, signal) => (await load()).get(ids, signal),
      childTypes: async (parent) => (await load()).childTypes(parent),
      allowedStates: async (item, signal) => (await load()).allowedStates(item, signal),
      changeState: async (item, state, options) => (await load()).changeState(item, state, options),
      assignToMe: async (item, options) => (await load()).assignToMe(item, options),
      addComment: async (item, markdown, options) => (await load()).addComment(item, markdown, options),
      create: async (item, options) => (await load()).create(item, options),
      linkBranch: async (item, branch, options) => (await load()).linkBranch(item, branch, options),
      setIteration: async (item, path, options) => {
        const tracker = await load();
        if (!tracker.setIteration) throw new DevOpsError('refused', `${workItemKey(item)} cannot be moved into an iteration: its tracker has no iterations here.`);
        return tracker.setIteration(item, path, options);
      },
      setBlocked: async (item, blocked, options) => {
        const tracker = await load();
        if (!tracker.setBlocked) throw new DevOpsError('refused', `${workItemKey(item)} cannot be marked blocked here.`);
        return tracker.setBlocked(item, blocked, options);
      },
      onDidChange: (listener) => this.changed.on(listener),
    };
  }
}
