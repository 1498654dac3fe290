import * as vscode from 'vscode';
import { parsePreferences, PREFERENCES_KEY, type ViewPreferences } from '../../core/boards/viewPreferences';
import { type WorkTracker } from '../../core/boards/workTracker';
import { type Logger } from '../../core/host';
import { readSettings } from '../../core/settings';
import { startupTimeline } from '../../core/startupTimeline';
import { deferredLogger } from '../../host/logger';
import { type TreeViews } from '../../host/viewStandIns';
import { aiDevopsConfigFor } from '../../host/vscodeHost';
import { readCachedList } from '../../providers/boards/azureBoards/cachedList';
import { AzureBoardsModel } from './azureBoardsModel';
import { AZURE_VIEW, AzureBoardsTreeProvider } from './azureBoardsTreeProvider';

/**
 * The Azure Boards tree's first rows on start-up, from the disk cache, before the features' chunk
 * is loaded (its 6 MB of modules hold the extension host up for most of a second). Its own small
 * chunk, loaded by the entry right after activate(): the settings as the extension may use them,
 * the cache files of the connection they name (zod-checked, BoardsCache.peek), and the tree's real
 * model and provider, so the features take these over (registerBoardsFeature) rather than making
 * their own: the tracker's first list replaces the cached rows in place, with the same grouping,
 * order and tree ids, and nothing flickers. Nothing usable cached: the view keeps its stand-in's
 * "Loading…" and the features attach the provider as before.
 */
export interface WarmBoards {
  readonly model: AzureBoardsModel;
  readonly tree: AzureBoardsTreeProvider;
  /**
   * Settles once VS Code has asked for the cached rows (and, for a short while, for the rows under
   * them), or at once when none were cached or the view is not visible; at most `waitMs` later.
   * The entry loads the features after it: their loading blocks the extension host, which could
   * not answer VS Code meanwhile.
   */
  readonly shown: Promise<boolean>;
  /** The features' tracker, preferences and log from now on. */
  bind(parts: { tracker: () => WorkTracker | undefined; preferences: () => ViewPreferences; log: Logger }): void;
}

export interface WarmBoardsOptions {
  /** The longest the features wait for VS Code to ask for the rows. */
  readonly waitMs?: number;
  /** How long VS Code has been quiet (no more rows asked for) before the features load. */
  readonly quietMs?: number;
}

export function showWarmBoards(context: vscode.ExtensionContext, views: TreeViews, options: WarmBoardsOptions = {}): WarmBoards {
  const logger = deferredLogger();
  const bound: { tracker: () => WorkTracker | undefined; preferences: () => ViewPreferences } = {
    tracker: () => undefined,
    preferences: () => parsePreferences(context.workspaceState.get(PREFERENCES_KEY)),
  };
  const model = new AzureBoardsModel(() => bound.tracker(), () => bound.preferences(), logger.log);
  const tree = new AnsweringTree(model, () => bound.preferences());
  context.subscriptions.push(model);
  const storageDir = context.globalStorageUri.fsPath;
  const workspaceRoot = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const settings = readSettings((key) => aiDevopsConfigFor(context).read(key)).settings;
  const shown = model
    .preload((filter, maxItems) => readCachedList({ storageDir, settings, workspaceRoot, log: logger.log, filter, maxItems }))
    .then(async (rows) => {
      if (!rows) return false;
      const view = views.create(AZURE_VIEW, tree);
      view.description = tree.description();
      if (view.visible) await startupTimeline().span('Azure Boards: VS Code reading the cached rows (the features wait)', () => tree.answered(options.waitMs ?? 400, options.quietMs ?? 50));
      return true;
    })
    .catch((error: unknown) => {
      logger.log.debug(`Azure Boards: no cached rows before the features: ${String(error)}`);
      return false;
    });
  return {
    model,
    tree,
    shown,
    bind(parts) {
      bound.tracker = parts.tracker;
      bound.preferences = parts.preferences;
      logger.attach(parts.log);
    },
  };
}

/** The tree provider, noting when VS Code asks it for rows (the entry waits for that before it loads the features). */
class AnsweringTree extends AzureBoardsTreeProvider {
  private lastAsked: number | undefined;

  override getChildren(...args: Parameters<AzureBoardsTreeProvider['getChildren']>): ReturnType<AzureBoardsTreeProvider['getChildren']> {
    this.lastAsked = performance.now();
    return super.getChildren(...args);
  }

  /** Settles once VS Code asked for rows and then nothing more for `quietMs` (it asks for an expanded row's children next), or after `waitMs`. */
  answered(waitMs: number, quietMs: number): Promise<void> {
    const deadline = performance.now() + waitMs;
    return new Promise<void>((resolve) => {
      const check = (): void => {
        const now = performance.now();
        if (now >= deadline || (this.lastAsked !== undefined && now - this.lastAsked >= quietMs)) resolve();
        else setTimeout(check, Math.min(quietMs, deadline - now));
      };
      check();
    });
  }
}
