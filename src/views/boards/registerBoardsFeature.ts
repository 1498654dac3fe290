import * as vscode from 'vscode';
import { parsePreferences, PREFERENCES_KEY } from '../../core/boards/viewPreferences';
import { type OutboxView, type ProjectTracker, type WorkTracker } from '../../core/boards/workTracker';
import { type Logger } from '../../core/host';
import { afterActivation } from '../../host/afterActivation';
import { type DisposableStore } from '../../host/disposable';
import { type TreeViews } from '../../host/viewStandIns';
import { type WarmBoards } from './warmBoards';
import { type SettingsService } from '../../host/settingsService';
import { AzureBoardsModel, type ViewSummary } from './azureBoardsModel';
import { AzureBoardsTreeProvider } from './azureBoardsTreeProvider';
import { BoardsController } from './boardsController';
import { type BoardsCommandContext } from './commandContext';
import { registerGitCommands } from './gitCommands';
import { GitHubProjectsModel } from './githubProjectsModel';
import { GitHubProjectsTreeProvider } from './githubProjectsTreeProvider';
import { OutboxStatusBar, registerOutboxCommands, watchSettledWrites } from './outboxStatusBar';
import { registerViewCommands } from './viewCommands';
import { registerWorkItemCommands } from './workItemCommands';
import { registerHandToAgent } from './handToAgent';
import { watchLifecycleNotices, watchProjectNotices } from './lifecycleNoticeWatcher';
import { type AttentionEntry } from '../../core/lifecycle/attention';

/** Hand-offs no agent fits, kept in the workspace for `@devops /status` (the store loads when there is one). */
const keepUndecided = (root: string) => async (entries: readonly AttentionEntry[]): Promise<void> => {
  await new (await import('../../agents/runtime/attentionStore')).AttentionStore(root).add(entries);
};

export interface BoardsTrackers {
  /** The Azure Boards tracker, or undefined while not configured / signed in. */
  azure(): WorkTracker | undefined;
  /** The GitHub issues + Projects tracker, or undefined while not configured / signed in. */
  github(): (WorkTracker & ProjectTracker) | undefined;
  /** Fires when either tracker is created, replaced or dropped (settings, sign-in, sandbox on/off). */
  onDidChange(listener: () => void): { dispose(): void };
}

export interface BoardsFeatureDeps {
  readonly log: Logger;
  readonly workspaceRoot: string | undefined;
  readonly trackers: BoardsTrackers;
  readonly outbox: OutboxView | undefined;
  readonly settings: SettingsService;
  /** workspaceState: the filter, grouping and GitHub project picked in the views. */
  readonly memento: vscode.Memento;
  /** Where the views' TreeViews come from (the stand-ins activate() made). */
  readonly views: TreeViews;
  /** The Azure Boards tree's model and provider made before the features (src/views/boards/warmBoards.ts), taken over here. */
  readonly warm?: WarmBoards;
  /** The wait before the next background refresh given the normal one: longer when a request budget runs low. */
  readonly backgroundRefreshDelayMs?: (baseMs: number) => Promise<number>;
}

export interface BoardsFeature {
  /** Reloads both views from the trackers' caches and, with `refresh`, from the services. */
  refresh(refresh?: boolean): Promise<{ azure: ViewSummary; github: ViewSummary }>;
}

/** Minimum gap between background refreshes of a visible view, whatever the cache's time-to-live. */
const MIN_BACKGROUND_REFRESH_MS = 60_000;

/**
 * The Azure Boards and GitHub Projects views, every aiDevops.boards.*, githubProjects.*, workItem.*
 * and outbox.* command, the outbox status bar item and the context keys the manifest's menus use
 * (aiDevops.workItems.available, aiDevops.outbox.pending; the *.configured keys are the settings
 * service's). Views show the trackers' cached items at once and refresh in the background.
 */
export function registerBoardsFeature(scope: DisposableStore, deps: BoardsFeatureDeps): BoardsFeature {
  const { log, trackers, settings } = deps;
  // The models read the preferences the controller owns; the controller needs the models first.
  const late: { controller?: BoardsController } = {};
  const preferences = () => late.controller?.preferences ?? parsePreferences(deps.memento.get(PREFERENCES_KEY));
  const projectNumber = () => late.controller?.projectNumber() ?? preferences().githubProject ?? settings.value.github.projectNumber ?? undefined;

  // The tree that shows the cached rows since start-up carries on with the tracker (same rows, same ids).
  deps.warm?.bind({ tracker: () => trackers.azure(), preferences, log });
  const azureModel = scope.add(deps.warm?.model ?? new AzureBoardsModel(() => trackers.azure(), preferences, log));
  const githubModel = scope.add(new GitHubProjectsModel(() => trackers.github(), projectNumber, log));
  const azureTree = deps.warm?.tree ?? new AzureBoardsTreeProvider(azureModel, preferences);
  const githubTree = new GitHubProjectsTreeProvider(githubModel);
  const ctl = scope.add(new BoardsController(deps.memento, azureModel, azureTree, githubModel, githubTree, () => settings.value.github.projectNumber ?? undefined, deps.views));
  late.controller = ctl;

  const setAvailable = (): void => {
    void vscode.commands.executeCommand('setContext', 'aiDevops.workItems.available', trackers.azure() !== undefined || trackers.github() !== undefined);
  };
  const reloadAll = async (): Promise<void> => {
    await Promise.all([azureModel.load({ refresh: false }), githubModel.load({ refresh: false })]);
  };

  const context: BoardsCommandContext = {
    log,
    workspaceRoot: deps.workspaceRoot,
    azure: () => trackers.azure(),
    github: () => trackers.github(),
    outbox: () => deps.outbox,
    azureModel,
    githubModel,
    reload: reloadAll,
  };

  const bar = scope.add(new OutboxStatusBar(() => deps.outbox));
  scope.add(
    ...registerViewCommands(context, ctl),
    ...registerWorkItemCommands(context),
    registerHandToAgent(context),
    watchLifecycleNotices(azureModel, () => settings.value.planning.changeNotices, log, deps.workspaceRoot ? keepUndecided(deps.workspaceRoot) : undefined),
    watchProjectNotices(githubModel, async () => (await trackers.github()?.identity())?.me, () => settings.value.planning.changeNotices, log),
    ...registerGitCommands(context),
    ...registerOutboxCommands(() => deps.outbox, bar, log, reloadAll),
  );
  // A change sent in the background that conflicts or is refused: the user is told at once, with the choices.
  if (deps.outbox) scope.add(watchSettledWrites(deps.outbox, log, reloadAll, async () => vscode.commands.executeCommand('aiDevops.outbox.retry')));

  const trackerSub = trackers.onDidChange(() => {
    setAvailable();
    bar.update();
    void ctl.refreshAzure(false);
    void ctl.refreshGitHub(false);
  });
  scope.add({ dispose: () => trackerSub.dispose() });
  // A changed project number or connection setting: show the right board (the tracker may be rebuilt too).
  scope.add(
    settings.onDidChange(() => {
      setAvailable();
      void ctl.refreshAzure(false);
      void ctl.refreshGitHub(false);
    }),
  );

  // Background refresh while a view is visible, at the cache's time-to-live (at least a minute),
  // slower when a service's request budget runs low, before it has to refuse us.
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = (): void => {
    if (timer) clearTimeout(timer);
    const base = Math.max(MIN_BACKGROUND_REFRESH_MS, settings.value.cache.ttlSeconds * 1000);
    void (deps.backgroundRefreshDelayMs?.(base).catch(() => base) ?? Promise.resolve(base)).then((every) => {
      if (stopped) return;
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        if (ctl.azureView.visible && !azureModel.isRefreshing) void ctl.refreshAzure(true);
        if (ctl.githubView.visible && !githubModel.isRefreshing) void ctl.refreshGitHub(true);
        schedule();
      }, every);
    });
  };
  schedule();
  scope.add(settings.onDidChange(schedule), {
    dispose: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  });
  // A view opened after a while shows the cache at once and refreshes if it went stale.
  scope.add(
    ctl.azureView.onDidChangeVisibility((e) => e.visible && void ctl.refreshAzure(false)),
    ctl.githubView.onDidChangeVisibility((e) => e.visible && void ctl.refreshGitHub(false)),
  );

  setAvailable();
  // The Azure Boards tree first: its rows from the disk cache at best, before any tracker's code
  // loads (loading a tracker's code and starting the sandbox hold the extension host up for a
  // while); the GitHub tracker's code loads once that tree shows something.
  afterActivation(log, 'Loading the boards', async () => {
    const azure = ctl.refreshAzure(false);
    await Promise.race([azure.catch(() => undefined), azureModel.whenShown()]);
    await Promise.all([azure, ctl.refreshGitHub(false)]);
  });

  return {
    refresh: async (refresh = true) => {
      const [azure, github] = await Promise.all([ctl.refreshAzure(refresh), ctl.refreshGitHub(refresh)]);
      return { azure, github };
    },
  };
}
