import * as vscode from 'vscode';
import { type Logger } from '../../core/host';
import { type Settings } from '../../core/settings';
import { buildMatcher, type ParserSettings, parserSettingsFrom, sameParserSettings } from '../../core/todo/parserSettings';
import { groupTodos, type LocatedTodo, referencesOf, type TodoTreeModel } from '../../core/todo/todoGroups';
import { type TodoMatcher } from '../../core/todo/todoParser';
import { type WorkItemResolver } from '../../core/todo/workItemResolver';
import { FileBatchJournalStore } from '../../providers/todos/batchJournalStore';
import { type IndexFolder } from '../../providers/todos/indexScan';
import { ResolutionCache } from '../../providers/todos/resolutionCache';
import { type TodoIndex } from '../../providers/todos/todoIndex';
import { afterActivation } from '../../host/afterActivation';
import { type DisposableStore } from '../../host/disposable';
import { type TreeViews } from '../../host/viewStandIns';
import { DocumentTodos } from './documentTodos';
import { LinkedTodosTreeProvider } from './linkedTodosTree';
import { TodoCodeActionProvider } from './todoCodeActionProvider';
import { TodoCodeLensProvider } from './todoCodeLensProvider';
import { registerTodoCommands } from './todoCommands';
import { StaleTodoDiagnostics } from './todoDiagnostics';
import { TodoHoverProvider } from './todoHoverProvider';

export interface TodoFeatureDeps {
  /** The trackers' answers; until one is connected, a resolver that says "not connected". */
  readonly resolver: WorkItemResolver;
  readonly log: Logger;
  readonly settings: { readonly value: Settings; readonly onDidChange: vscode.Event<Settings> };
  /** The extension's private storage (the batch journal lives there). */
  readonly storageDir: string;
  /** Where the view's TreeView comes from (the stand-in activate() made). */
  readonly views: TreeViews;
}

/**
 * Files per watcher burst above which reading the whole workspace again is cheaper than reading
 * each changed file (bench/todo-index/burst.bench.ts: a file costs tens of microseconds here, a
 * rebuild of 50,000 files most of a second, and a branch switch is rarely this large).
 */
const REBUILD_THRESHOLD = 10_000;
const WATCH_DELAY_MS = 150;
const TYPING_DELAY_MS = 300;
const VIEW_DELAY_MS = 100;

/** `files.exclude` globs that are on for a folder (entries with a `when` clause are left to VS Code). */
function excludeGlobs(folder: vscode.WorkspaceFolder): string[] {
  const exclude = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {};
  return Object.entries(exclude)
    .filter(([, on]) => on === true)
    .map(([glob]) => glob);
}

const indexFolders = (): IndexFolder[] =>
  (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ root: f.uri.fsPath, excludeGlobs: excludeGlobs(f) }));

/**
 * Wires TODOs linked to work items into VS Code: code lenses, hovers, code actions, the Linked
 * TODOs view, stale-TODO diagnostics and the TODO commands. The workspace index loads lazily (its
 * own chunk, so its worker threads never load the editor API) and is kept current by a file
 * watcher and the open documents' edits.
 */
export function registerTodoFeature(scope: DisposableStore, deps: TodoFeatureDeps): void {
  const { log, resolver } = deps;
  let parser: ParserSettings = parserSettingsFrom(deps.settings.value);
  let matcher: TodoMatcher = buildMatcher(parser).matcher;
  const documents = new DocumentTodos(matcher);
  const cache = new ResolutionCache(resolver, log);
  scope.add(cache);
  let index: TodoIndex | undefined;
  let indexReady: Promise<TodoIndex> | undefined;
  let model: TodoTreeModel = { items: [], stale: [], unlinked: [], total: 0 };

  const lenses = new TodoCodeLensProvider(documents, cache);
  const tree = new LinkedTodosTreeProvider(() => model);
  const diagnostics = new StaleTodoDiagnostics();
  const view = deps.views.create('aiDevops.todos', tree);
  const selector: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];
  scope.add(
    lenses,
    tree,
    diagnostics,
    view,
    vscode.languages.registerCodeLensProvider(selector, lenses),
    vscode.languages.registerHoverProvider(selector, new TodoHoverProvider(documents, cache)),
    vscode.languages.registerCodeActionsProvider(selector, new TodoCodeActionProvider(documents), TodoCodeActionProvider.metadata),
  );

  const reportPatternProblems = (current: ParserSettings): void => {
    const { problems } = buildMatcher(current);
    if (problems.length === 0) return;
    const text = problems.map((p) => `"${p.source}" ${p.message}`).join('; ');
    log.warn(`aiDevops.workItems.referencePatterns: ignored ${text}`);
    void vscode.window.showWarningMessage(`AI DevOps: a work item reference pattern was ignored: ${text}.`, 'Open Settings').then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'aiDevops.workItems.referencePatterns');
    });
  };
  reportPatternProblems(parser);

  let viewTimer: NodeJS.Timeout | undefined;
  const updateView = (): void => {
    if (viewTimer !== undefined) return;
    viewTimer = setTimeout(() => {
      viewTimer = undefined;
      if (index === undefined) return;
      const todos = [...index.todos()];
      cache.want(referencesOf(todos));
      model = groupTodos(todos, cache.snapshot());
      diagnostics.update(todos, cache.snapshot());
      const staleCount = model.stale.reduce((n, g) => n + g.todos.length, 0);
      view.description = `${model.total} TODO${model.total === 1 ? '' : 's'}`;
      view.badge = staleCount > 0 ? { value: staleCount, tooltip: `${staleCount} stale TODO${staleCount === 1 ? '' : 's'}: their work items are finished` } : undefined;
      tree.refresh();
    }, VIEW_DELAY_MS);
  };
  scope.add({ dispose: () => viewTimer !== undefined && clearTimeout(viewTimer) });
  scope.add(
    cache.onDidChange(() => {
      lenses.refresh();
      updateView();
    }),
  );

  /** '' once looked for and not found. */
  let ripgrepPath: string | undefined;
  const rebuild = async (): Promise<TodoIndex> => {
    const { TodoIndex, locateRipgrep } = await import('../../providers/todos/todoIndex');
    // VS Code's own ripgrep finds the files with tags; where it is missing the index walks itself.
    // In Restricted Mode it walks too: an untrusted folder gets no process of ours at all.
    ripgrepPath ??= locateRipgrep(vscode.env.appRoot) ?? '';
    const options = { folders: indexFolders(), parser, log, ripgrepPath: ripgrepPath === '' || !vscode.workspace.isTrusted ? undefined : ripgrepPath };
    if (index === undefined) {
      index = new TodoIndex(options);
      const subscription = index.onDidChange(updateView);
      scope.add(subscription);
    } else {
      index.reconfigure(options);
    }
    const built = index;
    const stats = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Indexing TODOs…' }, () => built.rebuild());
    log.info(
      `TODO index: ${stats.todos} TODOs in ${stats.filesWithTodos} of ${stats.filesListed} files in ${stats.durationMs.toFixed(0)} ms ` +
        `(${stats.engine === 'ripgrep' ? 'files found by ripgrep' : `walked, ${stats.workers} reader thread(s)`}; skipped ${stats.skippedBinary} binary, ${stats.skippedLarge} large, ${stats.decodedAsLatin1} read as latin1).`,
    );
    // Documents open before the index existed keep their editor text.
    for (const document of vscode.workspace.textDocuments) if (document.isDirty && document.uri.scheme === 'file') await built.setDocumentText(document.uri.fsPath, document.getText(), document.languageId);
    return built;
  };
  const startRebuild = (): Promise<TodoIndex> => {
    const next = rebuild();
    indexReady = next;
    next.catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!/newer TODO index rebuild|Cancelled/.test(message)) log.error(`TODO index failed: ${message}`);
    });
    return next;
  };
  // After activation (its code and the workspace walk are not activation's); a lens or command
  // that needs the index before then starts it itself.
  afterActivation(log, 'Indexing TODOs', () => {
    if (indexReady === undefined) void startRebuild();
  });

  // Files changed on disk: a burst (a branch switch, a pull) is read in one batch and the view
  // hears of it once; only a very large one rebuilds instead.
  const pendingChanges = new Map<string, 'changed' | 'deleted'>();
  let watchTimer: NodeJS.Timeout | undefined;
  const flushChanges = async (): Promise<void> => {
    watchTimer = undefined;
    const current = index;
    const changes = [...pendingChanges];
    pendingChanges.clear();
    if (current === undefined || changes.length === 0) return;
    if (changes.length > REBUILD_THRESHOLD) {
      await startRebuild();
      return;
    }
    try {
      const result = await current.applyChanges(changes.map(([file, kind]) => ({ file, kind })));
      log.debug(`TODO index: ${changes.length} changed file(s) read in ${result.busyMs.toFixed(0)} ms, ${result.changed} index entries changed.`);
    } catch (error) {
      log.debug(`TODO index: update of ${changes.length} file(s) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const queueChange = (uri: vscode.Uri, kind: 'changed' | 'deleted'): void => {
    if (uri.scheme !== 'file') return;
    pendingChanges.set(uri.fsPath, kind);
    watchTimer ??= setTimeout(() => void flushChanges(), WATCH_DELAY_MS);
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*');
  scope.add(
    watcher,
    watcher.onDidCreate((uri) => queueChange(uri, 'changed')),
    watcher.onDidChange((uri) => queueChange(uri, 'changed')),
    watcher.onDidDelete((uri) => queueChange(uri, 'deleted')),
    { dispose: () => watchTimer !== undefined && clearTimeout(watchTimer) },
  );

  // Open documents: the view follows unsaved edits too (lenses parse the live text themselves).
  const typing = new Map<string, NodeJS.Timeout>();
  scope.add(
    vscode.workspace.onDidChangeTextDocument((event) => {
      const document = event.document;
      if (document.uri.scheme !== 'file' || event.contentChanges.length === 0) return;
      const file = document.uri.fsPath;
      clearTimeout(typing.get(file));
      typing.set(
        file,
        setTimeout(() => {
          typing.delete(file);
          void index?.setDocumentText(file, document.getText(), document.languageId);
        }, TYPING_DELAY_MS),
      );
    }),
    vscode.workspace.onDidCloseTextDocument((document) => {
      if (document.uri.scheme !== 'file') return;
      clearTimeout(typing.get(document.uri.fsPath));
      void index?.setDocumentText(document.uri.fsPath, undefined);
    }),
    { dispose: () => typing.forEach((t) => clearTimeout(t)) },
    vscode.workspace.onDidChangeWorkspaceFolders(() => void startRebuild()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('files.exclude')) void startRebuild();
    }),
    deps.settings.onDidChange((settings) => {
      const next = parserSettingsFrom(settings);
      if (sameParserSettings(next, parser)) return;
      parser = next;
      matcher = buildMatcher(parser).matcher;
      documents.setMatcher(matcher);
      reportPatternProblems(parser);
      lenses.refresh();
      void startRebuild();
    }),
  );

  const workspaceRoot = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const journal = workspaceRoot === undefined ? undefined : new FileBatchJournalStore(deps.storageDir, workspaceRoot, log);
  scope.add(
    ...registerTodoCommands({
      resolver,
      documents,
      log,
      matcher: () => matcher,
      defaultTracker: () => parser.defaultTracker,
      workspaceTodos: async (): Promise<Iterable<LocatedTodo>> => {
        // A rebuild that a newer one replaced rejects; wait for the newest instead.
        for (;;) {
          const ready = indexReady ?? startRebuild();
          try {
            return (await ready).todos();
          } catch (error) {
            if (indexReady === ready) throw error;
          }
        }
      },
      journal: () => journal,
      refresh: async () => {
        cache.clear();
        await startRebuild();
      },
    }),
  );
}
