import * as vscode from 'vscode';
import { type activateFeatures as ActivateFeatures, type Features } from './host/activateFeatures';
import { activationTimer } from './host/startupTimings';
import { makeViewStandIns, type TreeViews } from './host/viewStandIns';
import { startupTimeline } from './core/startupTimeline';
import type { WarmBoards } from './views/boards/warmBoards';

/**
 * The extension's entry, kept small so activation costs next to nothing: it registers a stand-in
 * for every command of package.json `contributes.commands` and makes the `@devops` participant,
 * then loads the features (src/host/activateFeatures.ts, its own chunk under dist/lazy/) right
 * after activate() returned, or at once when a command or `@devops` is used before that. The
 * features' code (zod schemas, the command policy's regular expressions, every view) is what
 * activation used to wait for. Each sidebar view gets its TreeView here too, showing "Loading…"
 * until the features hand it their provider (src/host/viewStandIns.ts); the Azure Boards tree shows
 * the rows its disk cache holds before that (src/views/boards/warmBoards.ts, a small chunk loaded
 * first: the features' chunk blocks the extension host while it loads, so they wait until VS Code
 * has those rows).
 */
const PARTICIPANT_ID = 'aiDevops.devops';

let features: Promise<Features> | undefined;

export interface AiDevopsApi {
  /** Settles when the features are loaded and registered (tests wait for it). */
  readonly ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): AiDevopsApi {
  // Where activation spends its time (AI DevOps: Show Start-up Timings; printed by the integration stage).
  const timer = activationTimer();
  // The sidebar's views show "Loading…" from now on, not an empty pane, until the features fill them.
  const views = makeViewStandIns(context);
  timer.step('view stand-ins');
  const standIns: vscode.Disposable[] = [];
  let warm: Promise<WarmBoards | undefined> | undefined;
  const warmBoards = (): Promise<WarmBoards | undefined> => {
    warm ??= loadWarmBoards(context, views);
    return warm;
  };
  const load = (): Promise<Features> => {
    features ??= warmBoards().then((w) => loadFeatures(context, standIns, views, w));
    return features;
  };
  // A command used before the features are loaded loads them (they replace these stand-ins), then runs.
  for (const id of contributedCommands(context)) {
    standIns.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        await load();
        return vscode.commands.executeCommand(id, ...args);
      }),
    );
  }
  timer.step('command stand-ins');
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (request, chatContext, stream, token) =>
    (await load()).chat.handler(request, chatContext, stream, token),
  );
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'ai-devops.svg');
  participant.followupProvider = {
    provideFollowups: async (result, chatContext, token) => (await load()).chat.followupProvider.provideFollowups(result, chatContext, token) ?? [],
  };
  context.subscriptions.push(participant);
  timer.step('@devops participant');
  // Right after activation (the next turn of the event loop, once VS Code has what activate()
  // returned): the Azure Boards tree's cached rows, then the features once VS Code has them.
  const ready = new Promise<void>((resolve) => setImmediate(resolve))
    .then(warmBoards)
    .then((w) => w?.shown)
    .then(load)
    .then(() => undefined);
  ready.catch(() => undefined);
  timer.done();
  return { ready };
}

export async function deactivate(): Promise<void> {
  const loaded = features;
  features = undefined;
  await loaded?.then((f) => f.deactivate(), () => undefined);
}

function contributedCommands(context: vscode.ExtensionContext): string[] {
  // The manifest VS Code already read (the bundle does not carry package.json).
  const manifest = context.extension.packageJSON as { contributes?: { commands?: { command?: unknown }[] } };
  return (manifest.contributes?.commands ?? []).map((c) => c.command).filter((id): id is string => typeof id === 'string');
}

/** The Azure Boards tree's cached rows (src/views/boards/warmBoards.ts); undefined when its chunk cannot load (the features then fill the tree as before). */
async function loadWarmBoards(context: vscode.ExtensionContext, views: TreeViews): Promise<WarmBoards | undefined> {
  try {
    const { showWarmBoards } = await startupTimeline().span('Azure Boards: loading the cached rows\' code', () => import('./views/boards/warmBoards'));
    return showWarmBoards(context, views);
  } catch (error) {
    console.warn(`AI DevOps: the Azure Boards tree's cached rows are not shown before the features load: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

async function loadFeatures(context: vscode.ExtensionContext, standIns: vscode.Disposable[], views: TreeViews, warm: WarmBoards | undefined): Promise<Features> {
  const started = performance.now();
  let activateFeatures: typeof ActivateFeatures;
  try {
    ({ activateFeatures } = await import('./host/activateFeatures'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`AI DevOps could not load its features: ${message}`);
    throw error;
  }
  // The features register the real commands under the same ids: the stand-ins go first, in the
  // same turn of the event loop, so no command is ever missing. (A failure there is shown by them.)
  standIns.splice(0).forEach((d) => d.dispose());
  return activateFeatures(context, started, views, warm);
}
