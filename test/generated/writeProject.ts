import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ScaffoldOutput } from '../../src/agents/scaffold/output';

/**
 * Writes rendered files under `dir`, as the runtime's apply step will (the scaffold agent itself
 * writes nothing). Refuses a path that would leave the folder, which a template must never produce.
 */
export function writeProject(dir: string, output: ScaffoldOutput): void {
  const root = path.resolve(dir);
  for (const file of output.files) {
    const target = path.resolve(root, file.path);
    if (!target.startsWith(root + path.sep)) throw new Error(`A template produced a path outside the project: ${file.path}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    if (file.executable) chmodSync(target, 0o755);
  }
}
