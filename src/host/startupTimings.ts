import * as vscode from 'vscode';
import { type Logger } from '../core/host';
import { bundleEnd, formatTimeline, startupTimeline, type TimelineSpan } from '../core/startupTimeline';
import { type DisposableStore } from './disposable';

const SCHEME = 'ai-devops-startup';

/** The name the Azure Boards model records when its tree first shows work items. */
export const BOARDS_FIRST_ROWS = 'Azure Boards: first rows';

export interface StartupReport {
  /** From the bundle's first line to the end of activate(). */
  readonly activationMs: number | undefined;
  /** From the bundle's first line to the Azure Boards tree's first rows (once they were shown). */
  readonly boardsFirstRowsMs: number | undefined;
  /** Every span, counted from the bundle's first line. */
  readonly spans: readonly { readonly name: string; readonly startMs: number; readonly ms: number; readonly note?: string }[];
  /** The extension's own state, which VS Code reads from the workbench before it calls activate(). */
  readonly extensionState?: { readonly globalState: StateSize; readonly workspaceState: StateSize };
  readonly text: string;
}

export interface StateSize {
  readonly keys: number;
  /** The JSON VS Code passes for it. */
  readonly bytes: number;
}

export interface ExtensionState {
  readonly globalState: vscode.Memento;
  readonly workspaceState: vscode.Memento;
}

function stateSize(memento: vscode.Memento): StateSize {
  const keys = memento.keys();
  return { keys: keys.length, bytes: Buffer.byteLength(JSON.stringify(Object.fromEntries(keys.map((k) => [k, memento.get(k)])))) };
}

/** The two parts of "module load": our code's, and VS Code's own between loading the bundle and calling activate(). */
export const MODULE_TOP_LEVEL = 'module load: the top-level code of every module in the bundle';
export const MODULE_TO_ACTIVATE = 'module load: VS Code, from the bundle loaded to calling activate() (it makes the extension context meanwhile)';

/**
 * Times activation step by step: `step('settings')` records the time since the previous step as
 * "activation: settings"; `done()` records "activation" itself, from activate()'s first line, and
 * "module load", from the bundle's first line to activate(): split at the bundle's last line into
 * the top-level code of every module the bundle holds and VS Code's own time before it calls
 * activate() (the extension host loads the bundle and makes the extension context side by side).
 */
export function activationTimer(): { step(name: string): void; done(): number } {
  const timeline = startupTimeline();
  const start = timeline.now();
  timeline.record('module load', timeline.origin, undefined, start);
  const end = bundleEnd();
  if (end !== undefined && end >= timeline.origin && end <= start) {
    timeline.record(MODULE_TOP_LEVEL, timeline.origin, undefined, end);
    timeline.record(MODULE_TO_ACTIVATE, end, undefined, start);
  }
  const steps = stepTimer('activation', start);
  return {
    step: (name) => steps.step(name),
    done: () => {
      steps.done();
      return timeline.now() - timeline.origin;
    },
  };
}

/**
 * Times work step by step from `start`: `step('settings')` records the time since the previous
 * step as "<name>: settings"; `done()` records "<name>" itself and returns its length in ms.
 */
export function stepTimer(name: string, start = startupTimeline().now()): { step(what: string): void; done(): number } {
  const timeline = startupTimeline();
  let last = start;
  return {
    step(what) {
      // One reading ends this step and starts the next, so the steps add up to the whole.
      const now = timeline.now();
      timeline.record(`${name}: ${what}`, last, undefined, now);
      last = now;
    },
    done() {
      timeline.record(name, start);
      return timeline.now() - start;
    },
  };
}

export function startupReport(state?: ExtensionState): StartupReport {
  const timeline = startupTimeline();
  const origin = timeline.origin;
  const spans = timeline.list();
  const end = (name: string) => {
    const s = timeline.get(name);
    return s ? s.end - origin : undefined;
  };
  const activationMs = end('activation');
  const boardsFirstRowsMs = end(BOARDS_FIRST_ROWS);
  const extensionState = state ? { globalState: stateSize(state.globalState), workspaceState: stateSize(state.workspaceState) } : undefined;
  const size = (s: StateSize) => `${s.keys} key(s), ${s.bytes} bytes`;
  const text = [
    `AI DevOps start-up, counted from the extension bundle's first line`,
    `activate() ended at: ${activationMs === undefined ? 'not yet' : `${activationMs.toFixed(1)} ms`}`,
    `Azure Boards first rows at: ${boardsFirstRowsMs === undefined ? 'not shown yet (open the Azure Boards view)' : `${boardsFirstRowsMs.toFixed(0)} ms`}`,
    ...(extensionState ? [`State VS Code reads before it calls activate(): globalState ${size(extensionState.globalState)}; workspaceState ${size(extensionState.workspaceState)}`] : []),
    '',
    ...formatTimeline(spans, origin),
  ].join('\n');
  return {
    activationMs,
    boardsFirstRowsMs,
    spans: spans.map((s: TimelineSpan) => ({ name: s.name, startMs: s.start - origin, ms: s.end - s.start, ...(s.note ? { note: s.note } : {}) })),
    ...(extensionState ? { extensionState } : {}),
    text,
  };
}

/**
 * "Show Start-up Timings": where activation and the first Azure Boards rows spent their time, in
 * an editor (and returned, for tests and other commands). The first rows are also written to the
 * log when they appear, with what came before them.
 */
export function registerStartupTimings(scope: DisposableStore, log: Logger, state: ExtensionState): void {
  const timeline = startupTimeline();
  const sub = timeline.onDidRecord((span) => {
    if (span.name !== BOARDS_FIRST_ROWS) return;
    const before = timeline.list().filter((s) => s.end <= span.end && s.name !== span.name && !s.name.startsWith('activation: ') && !s.name.startsWith('features: '));
    const parts = before.map((s) => `${s.name} ${Math.round(s.end - s.start)} ms`).join('; ');
    log.info(`Azure Boards: first rows ${Math.round(span.end - timeline.origin)} ms after the extension started loading${span.note ? ` (${span.note})` : ''}: ${parts}.`);
  });
  // A read-only document (closing it asks nothing), its text made when it is opened.
  const reports = new Map<string, string>();
  scope.add(
    { dispose: () => sub.dispose() },
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, { provideTextDocumentContent: (uri) => reports.get(uri.query) ?? startupReport(state).text }),
    vscode.commands.registerCommand('aiDevops.showStartupTimings', async () => {
      const report = startupReport(state);
      const key = String(reports.size + 1);
      reports.set(key, report.text);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: SCHEME, path: '/AI DevOps Start-up Timings', query: key }));
      await vscode.window.showTextDocument(doc, { preview: true });
      return report;
    }),
  );
}
