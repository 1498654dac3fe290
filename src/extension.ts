import * as vscode from 'vscode';
import { type activateFeatures as ActivateFeatures, type Features } from './host/activateFeatures';
import { activationTimer } from './host/startupTimings';
import { makeViewStandIns, type TreeViews } from './host/viewStandIns';

/**
 * The extension's entry, kept small so activation costs next to nothing: it registers a stand-in
 * for every command of package.json `contributes.commands` and makes the `@devops` participant,
 * then loads the features (src/host/activateFeatures.ts, its own chunk under dist/lazy/) right
 * after activate() returned, or at once when a command or `@devops` is used before that. The
 * features' code (zod schemas, the command policy's regular expressions, every view) is what
 * activation used to wait for. Each sidebar view gets its TreeView here too, showing "Loading…"
 * until the features hand it their provider (src/host/viewStandIns.ts).
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
  const load = (): Promise<Features> => {
    features ??= loadFeatures(context, standIns, views);
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
  // Right after activation: the next turn of the event loop, once VS Code has what activate() returned.
  const ready = new Promise<void>((resolve) => setImmediate(resolve)).then(load).then(() => undefined);
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

async function loadFeatures(context: vscode.ExtensionContext, standIns: vscode.Disposable[], views: TreeViews): Promise<Features> {
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
  return activateFeatures(context, started, views);
}
