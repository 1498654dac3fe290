import * as vscode from 'vscode';
import { z } from 'zod';

export const EXTENSION_ID = 'ai-devops.ai-devops';

/** The parts of package.json `contributes` the suites check, validated (the manifest is edited by hand). */
const ManifestSchema = z.object({
  contributes: z.object({
    commands: z.array(z.object({ command: z.string(), title: z.string() })),
    viewsContainers: z.object({ activitybar: z.array(z.object({ id: z.string(), title: z.string() })) }),
    views: z.record(z.string(), z.array(z.object({ id: z.string(), name: z.string() }))),
    chatParticipants: z.array(z.object({ id: z.string(), name: z.string() })).default([]),
  }),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export function ourExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded in this extension host (was it started with extensionDevelopmentPath?).`);
  return extension;
}

export function manifest(): Manifest {
  return ManifestSchema.parse(ourExtension().packageJSON);
}

/** Activates the extension (idempotent), waits until its features are loaded (they load right after activate()) and returns it. */
export async function activated(): Promise<vscode.Extension<unknown>> {
  const extension = ourExtension();
  const api = await extension.activate();
  await (api as { ready?: Promise<void> } | undefined)?.ready;
  return extension;
}

/** Polls `probe` until it returns a value other than undefined/false, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Labels of every open tab, in every group. */
export function openTabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tab.label));
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Prints a line in the integration stage's output (the runner shows lines with its marker, as mocha's own). */
export function print(text: string): void {
  for (const line of text.split('\n')) console.log(`${process.env.AIDEVOPS_TEST_MARKER ?? ''}      ${line}`);
}
