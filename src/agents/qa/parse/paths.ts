import path from 'node:path';

/**
 * A path a report names, made workspace-relative with forward slashes: reports name files
 * absolute (lcov from c8/nyc, istanbul JSON), relative to the project (coverage.py, pytest) or to
 * a source root (Cobertura `<source>`). A path outside the workspace is none of ours: undefined.
 */
export function workspaceRelative(root: string, base: string, reported: string): string | undefined {
  if (!reported) return undefined;
  const native = reported.replace(/\\/g, '/');
  const absolute = path.posix.isAbsolute(native) || /^[A-Za-z]:\//.test(native) ? native : path.posix.join(toPosix(path.resolve(root, base)), native);
  const rel = path.posix.relative(toPosix(root), path.posix.normalize(absolute));
  if (rel === '' || rel.startsWith('../') || rel === '..' || path.posix.isAbsolute(rel)) return undefined;
  return rel;
}

export const toPosix = (p: string): string => p.split(path.sep).join('/').replace(/\\/g, '/');
