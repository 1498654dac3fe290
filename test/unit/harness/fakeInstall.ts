import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CODE_SERVER_VERSION, NODE_VERSION, vscodePaths, type VsCodePaths } from '../../../scripts/vscode/config';

/**
 * A VS Code cache dir laid out like a real install, whose "node" is this node and whose
 * code-server entry is a script the test writes: lets the harness's start, stop and failure paths
 * run for real (processes, ports, groups) in a fraction of a second.
 */
export interface FakeInstall {
  readonly paths: VsCodePaths;
  writeEntry(source: string): void;
  writeMarker(content?: string): void;
  remove(): void;
}

export function fakeInstall(): FakeInstall {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'aidevops-fake-vscode-'));
  const previous = process.env.AIDEVOPS_VSCODE_CACHE;
  process.env.AIDEVOPS_VSCODE_CACHE = cache;
  const paths = vscodePaths(cache);
  mkdirSync(paths.nodeBin, { recursive: true });
  symlinkSync(process.execPath, path.join(paths.nodeBin, 'node'));
  mkdirSync(path.dirname(paths.codeServerEntry), { recursive: true });
  return {
    paths,
    writeEntry: (source) => writeFileSync(paths.codeServerEntry, source),
    writeMarker: (content) =>
      writeFileSync(paths.installedMarker, content ?? JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_VERSION, installedAt: new Date().toISOString(), seconds: 1 })),
    remove: () => {
      if (previous === undefined) delete process.env.AIDEVOPS_VSCODE_CACHE;
      else process.env.AIDEVOPS_VSCODE_CACHE = previous;
      rmSync(cache, { recursive: true, force: true });
    },
  };
}

/** True while `pid` runs (a zombie counts as gone). */
export function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}
