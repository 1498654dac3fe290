import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './config';

export const demoWorkspace = path.join(repoRoot, 'demo-workspace');

const pendingDirs = new Set<string>();
let removeOnExit = false;

/**
 * A fresh temp dir for one run (workspace copy, code-server state); remove() deletes it, and so
 * does the process's exit (Ctrl-C included, once stopAllOnExit has stopped what used it).
 */
export function tempRun(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `aidevops-${prefix}-`));
  pendingDirs.add(dir);
  if (!removeOnExit) {
    removeOnExit = true;
    process.once('exit', () => {
      for (const pending of pendingDirs) rmSync(pending, { recursive: true, force: true });
    });
  }
  return {
    dir,
    remove: () => {
      pendingDirs.delete(dir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Copies demo-workspace/ into `parent`, so tests can edit files, write the audit trail and
 * create work items without touching the tracked demo. Sandbox state under .devops/sandbox is
 * left behind (it belongs to the copy that wrote it).
 */
export function copyDemoWorkspace(parent: string, source: string = demoWorkspace): string {
  const target = path.join(parent, 'demo-workspace');
  const skip = path.join(source, '.devops', 'sandbox');
  cpSync(source, target, { recursive: true, filter: (src) => src !== skip && !src.startsWith(skip + path.sep) });
  return target;
}
