import { isUtf8 } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { guardPath } from '../../core/policy/pathGuard';
import { resolveRealPath } from './realPath';

/** Policy files are small; a bigger one is refused rather than parsed. */
export const MAX_REPOSITORY_FILE_BYTES = 256 * 1024;

export type RepositoryFileText = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'absent' } | { readonly kind: 'unreadable'; readonly reason: string };

/**
 * Reads a workspace file that configures the extension (`.devops/commands.json`, `.devops/policy.json`)
 * without trusting it: the path guard first (a `.devops` that links out of the workspace is refused),
 * a size cap, and UTF-8 only (a BOM is dropped), so what is hashed for approval is exactly what is parsed.
 */
export async function readRepositoryFile(workspaceRoot: string | undefined, relativePath: string): Promise<RepositoryFileText> {
  const guard = await guardPath(workspaceRoot, relativePath, resolveRealPath);
  if (!guard.ok) return guard.code === 'noWorkspace' ? { kind: 'absent' } : { kind: 'unreadable', reason: `${relativePath}: ${guard.reason}` };
  try {
    const info = await stat(guard.absolute);
    if (!info.isFile()) return { kind: 'unreadable', reason: `${relativePath} is not a file.` };
    if (info.size > MAX_REPOSITORY_FILE_BYTES) return { kind: 'unreadable', reason: `${relativePath} is ${info.size} bytes; at most ${MAX_REPOSITORY_FILE_BYTES} are read.` };
    const bytes = await readFile(guard.absolute);
    if (!isUtf8(bytes)) return { kind: 'unreadable', reason: `${relativePath} is not UTF-8 text; save it as UTF-8.` };
    const text = bytes.toString('utf8');
    return { kind: 'text', text: text.startsWith('\uFEFF') ? text.slice(1) : text };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'unreadable', reason: `${relativePath} could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}
