import { isUtf8 } from 'node:buffer';
import { promises as fs } from 'node:fs';
import { guardPath } from '../../core/policy/pathGuard';
import { resolveRealPath } from '../../providers/files/realPath';
import { type FileEdit } from './plan';
import { sha256 } from './workspaceFiles';

/** An edit checked against the disk as it is now: where it goes and what it replaces. */
export interface PreparedEdit extends FileEdit {
  readonly absolute: string;
  /** The file's text now (modify), undefined for a new file. */
  readonly original: string | undefined;
  /** The file starts with a UTF-8 byte order mark (not part of `original`): it is written back with it. */
  readonly bom?: boolean;
}

export interface EditRefusal {
  readonly path: string;
  readonly reason: string;
}

/**
 * Checks every edit before anything is written: inside the workspace and not in a protected place
 * (the path guard, symlinks resolved), `create` only where nothing exists, `modify` only on a UTF-8
 * file that has not changed since the agent read it. Edits are all or nothing: one refusal and the
 * caller writes none.
 */
export async function prepareEdits(root: string, edits: readonly FileEdit[]): Promise<{ ready: PreparedEdit[]; refused: EditRefusal[] }> {
  const ready: PreparedEdit[] = [];
  const refused: EditRefusal[] = [];
  const seen = new Set<string>();
  for (const edit of edits) {
    const decision = await guardPath(root, edit.path, resolveRealPath, { forWrite: true });
    if (!decision.ok) {
      refused.push({ path: edit.path, reason: decision.reason });
      continue;
    }
    const key = process.platform === 'win32' || process.platform === 'darwin' ? decision.relative.toLowerCase() : decision.relative;
    if (seen.has(key)) {
      refused.push({ path: edit.path, reason: `the plan changes ${edit.path} twice` });
      continue;
    }
    seen.add(key);
    let bytes: Buffer | undefined;
    try {
      const stat = await fs.lstat(decision.absolute);
      if (!stat.isFile()) {
        refused.push({ path: edit.path, reason: `${edit.path} exists and is not a regular file` });
        continue;
      }
      bytes = await fs.readFile(decision.absolute);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        refused.push({ path: edit.path, reason: `${edit.path} cannot be read: ${(error as Error).message}` });
        continue;
      }
    }
    if (edit.action === 'create') {
      if (bytes !== undefined) {
        refused.push({ path: edit.path, reason: `${edit.path} already exists; it is never overwritten without showing the change (the agent must propose it as a modification)` });
        continue;
      }
      ready.push({ ...edit, absolute: decision.absolute, original: undefined });
      continue;
    }
    if (bytes === undefined) {
      refused.push({ path: edit.path, reason: `${edit.path} was to be changed but no longer exists` });
      continue;
    }
    if (!isUtf8(bytes)) {
      refused.push({ path: edit.path, reason: `${edit.path} is not UTF-8 text; it was left alone` });
      continue;
    }
    if (edit.baseSha256 !== undefined && sha256(bytes) !== edit.baseSha256) {
      refused.push({ path: edit.path, reason: `${edit.path} changed after the agent read it; run the agent again to plan against the new content` });
      continue;
    }
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    ready.push({ ...edit, absolute: decision.absolute, original: bytes.toString('utf8', bom), ...(bom ? { bom: true } : {}) });
  }
  return { ready, refused };
}

/**
 * Writes prepared edits: VS Code applies them as one undoable WorkspaceEdit (src/views/agents),
 * the command line and the tests through the atomic file writer (fsEditApplier.ts).
 */
export interface EditApplier {
  apply(edits: readonly PreparedEdit[], signal: AbortSignal): Promise<void>;
}
