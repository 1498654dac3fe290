import path from 'node:path';
import * as vscode from 'vscode';

/** The part of the Python extension's API this reads (ms-python.python, `environments`). */
interface PythonExtensionApi {
  readonly environments?: { getActiveEnvironmentPath?(resource?: vscode.Uri): { readonly path?: unknown } | undefined };
}

const ACTIVATION_WAIT_MS = 10_000;

/**
 * The interpreter the Python extension has selected for the folder, when it is installed: QA runs
 * pytest and unittest with it. Undefined (the runtime then looks for a .venv, else python3) when the
 * extension is absent, slow to start, or names no absolute path.
 */
export async function pythonSelection(root: string): Promise<string | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
  if (!extension) return undefined;
  const api = extension.isActive
    ? extension.exports
    : await Promise.race([Promise.resolve(extension.activate()).catch(() => undefined), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ACTIVATION_WAIT_MS))]);
  const selected = api?.environments?.getActiveEnvironmentPath?.(vscode.Uri.file(root))?.path;
  return typeof selected === 'string' && path.isAbsolute(selected) ? selected : undefined;
}
