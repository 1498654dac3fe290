import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DevOpsError } from '../../core/errors';
import { type RealPathResolver } from '../../core/policy/pathGuard';

const MAX_LINKS = 40;

/**
 * The real-fs resolver for the path guard: fs.realpath, plus what realpath cannot tell: a dangling
 * link (a write would create its target) resolves to where its target would be, and a link loop
 * is refused.
 */
export const resolveRealPath: RealPathResolver = (p) => resolve(p, 0);

async function resolve(p: string, depth: number): Promise<string | undefined> {
  try {
    return await fs.realpath(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new DevOpsError('refused', `${p} is a loop of symbolic links.`);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
  let isLink: boolean;
  try {
    isLink = (await fs.lstat(p)).isSymbolicLink();
  } catch {
    return undefined;
  }
  if (!isLink) return undefined;
  if (depth >= MAX_LINKS) throw new DevOpsError('refused', `${p} goes through more than ${MAX_LINKS} symbolic links.`);
  const target = path.resolve(path.dirname(p), await fs.readlink(p));
  const real = await resolve(target, depth + 1);
  if (real !== undefined) return real;
  const parent = await resolve(path.dirname(target), depth + 1);
  return path.join(parent ?? path.dirname(target), path.basename(target));
}
