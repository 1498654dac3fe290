import path from 'node:path';

/**
 * Keeps file access inside the workspace. Two steps: a lexical check (no file system: NUL bytes,
 * Windows drive, UNC and device forms, `~` and variables, `..` escapes, absolute paths outside),
 * then a symlink check through a resolver passed in (core stays pure; the real-fs resolver is
 * src/providers/files/realPath.ts). Paths are compared case-insensitively on Windows.
 */
export type PathRefusal =
  | 'empty'
  | 'nulByte'
  | 'windowsDrive'
  | 'uncPath'
  | 'devicePath'
  | 'backslash'
  | 'homeOrVariable'
  | 'outsideWorkspace'
  | 'symlinkEscape'
  | 'protected'
  | 'windowsName'
  | 'noWorkspace';

export type PathDecision =
  | { readonly ok: true; readonly absolute: string; readonly relative: string }
  | { readonly ok: false; readonly code: PathRefusal; readonly reason: string };

export interface PathGuardOptions {
  readonly platform?: 'posix' | 'win32';
  /** Writing: also refuse the protected places (`.git`, the audit trail). */
  readonly forWrite?: boolean;
  /** Workspace-relative prefixes refused for writing; `.git` segments are refused anywhere. */
  readonly protectedPaths?: readonly string[];
}

export const DEFAULT_PROTECTED = ['.devops/audit'] as const;

/** Resolves symlinks: the real path of `p`, or undefined when nothing (not even a link) is there. */
export type RealPathResolver = (p: string) => Promise<string | undefined>;

const refuse = (code: PathRefusal, reason: string): PathDecision => ({ ok: false, code, reason });

function platformOf(options: PathGuardOptions): 'posix' | 'win32' {
  return options.platform ?? (process.platform === 'win32' ? 'win32' : 'posix');
}

/** True when `child` is `parent` or inside it. */
export function isInside(parent: string, child: string, platform: 'posix' | 'win32'): boolean {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const rel = p.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !p.isAbsolute(rel));
}

const DEVICE_NAME = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?:\..*)?$/i;

/**
 * Windows reads a path its own way: it drops trailing dots and spaces from each name (`.git.` is
 * `.git`), answers to 8.3 short names (`GIT~1` can be `.git`), opens alternate data streams
 * (`.git::$INDEX_ALLOCATION`) and devices (`NUL`, `COM1.txt`). Names are normalised the way Windows
 * does, and the forms that cannot be compared by name are refused, before any comparison.
 */
function windowsSegments(requested: string, shown: string): { ok: true; path: string } | { ok: false; decision: PathDecision } {
  const drive = /^[A-Za-z]:[\\/]/.exec(requested)?.[0] ?? '';
  const rest = requested.slice(drive.length);
  const out: string[] = [];
  for (const segment of rest.split(/[\\/]/)) {
    if (segment === '' || segment === '.' || segment === '..') {
      out.push(segment);
      continue;
    }
    if (segment.includes(':')) return { ok: false, decision: refuse('windowsName', `${shown} names an alternate data stream or a device ("${segment}"); only plain file names are allowed.`) };
    if (/~[0-9]/.test(segment)) return { ok: false, decision: refuse('windowsName', `${shown} holds "${segment}", which Windows may read as the 8.3 short name of another file or folder (such as GIT~1 for .git); use the full name.`) };
    const name = segment.replace(/[. ]+$/, '');
    if (name === '' || /^\.+$/.test(name)) return { ok: false, decision: refuse('windowsName', `${shown} holds "${segment}", a name of dots and spaces that Windows reads as another folder.`) };
    if (DEVICE_NAME.test(name)) return { ok: false, decision: refuse('windowsName', `${shown} names the Windows device "${name}", not a file.`) };
    out.push(name);
  }
  return { ok: true, path: drive + out.join('\\') };
}

export function checkPathLexically(root: string | undefined, requested: string, options: PathGuardOptions = {}): PathDecision {
  const platform = platformOf(options);
  const p = platform === 'win32' ? path.win32 : path.posix;
  if (!root) return refuse('noWorkspace', 'No folder is open, so there is no workspace to work in. Open a folder first.');
  const shown = JSON.stringify(requested.replace(/\0/g, '\\0'));
  if (requested.trim() === '') return refuse('empty', 'The path is empty.');
  if (requested.includes('\0')) return refuse('nulByte', `The path ${shown} contains a NUL byte, which no file name may hold.`);
  if (/^[\\/]{2}[?.][\\/]/.test(requested)) return refuse('devicePath', `${shown} is a Windows device path (\\\\?\\ or \\\\.\\); only workspace files are allowed.`);
  if (/^[\\/]{2}[^\\/]/.test(requested)) return refuse('uncPath', `${shown} is a network (UNC) path; only files inside the workspace are allowed.`);
  if (/^[A-Za-z]:(?![\\/])/.test(requested)) return refuse('windowsDrive', `${shown} is relative to the current directory of drive ${requested[0]}:, which is not the workspace. Use a path relative to the workspace.`);
  if (/^[A-Za-z]:[\\/]/.test(requested) && platform !== 'win32') return refuse('windowsDrive', `${shown} is a Windows drive path; on this machine use a path relative to the workspace.`);
  if (/^~(?:$|[\\/])/.test(requested) || /\$(?:\{|[A-Za-z_])|%[A-Za-z_][A-Za-z0-9_]*%/.test(requested)) {
    return refuse('homeOrVariable', `${shown} uses "~" or a variable; paths are taken literally and never expanded. Use a path relative to the workspace.`);
  }
  if (platform !== 'win32' && requested.includes('\\')) return refuse('backslash', `${shown} contains a backslash, which is not a separator here: use "/".`);
  let target = requested;
  if (platform === 'win32') {
    const named = windowsSegments(requested, shown);
    if (!named.ok) return named.decision;
    target = named.path;
  }
  const absolute = p.resolve(root, target);
  if (!isInside(root, absolute, platform)) {
    return refuse('outsideWorkspace', `${shown} resolves to ${absolute}, outside the workspace ${root}.${target.includes('..') ? ' ".." may not climb out of the workspace.' : ''}`);
  }
  const relative = p.relative(root, absolute).split(p.sep).join('/');
  if (options.forWrite) {
    const lower = relative.toLowerCase();
    if (lower.split('/').includes('.git')) return refuse('protected', `${shown} is inside a .git folder, which only git itself may change.`);
    const hit = (options.protectedPaths ?? DEFAULT_PROTECTED).find((x) => lower === x.toLowerCase() || lower.startsWith(`${x.toLowerCase()}/`));
    if (hit) return refuse('protected', `${shown} is inside ${hit}, which may not be written to directly.`);
  }
  return { ok: true, absolute, relative };
}

/** The lexical check, then symlinks: the real path of the target (or of its nearest existing ancestor) must stay inside the real workspace. */
export async function guardPath(root: string | undefined, requested: string, realpath: RealPathResolver, options: PathGuardOptions = {}): Promise<PathDecision> {
  const lexical = checkPathLexically(root, requested, options);
  if (!lexical.ok || !root) return lexical;
  const platform = platformOf(options);
  const p = platform === 'win32' ? path.win32 : path.posix;
  let realRoot: string | undefined;
  let real: string | undefined;
  const rest: string[] = [];
  try {
    realRoot = await realpath(root);
    if (!realRoot) return refuse('noWorkspace', `The workspace folder ${root} does not exist.`);
    let probe = lexical.absolute;
    for (;;) {
      real = await realpath(probe);
      if (real !== undefined) break;
      const parent = p.dirname(probe);
      if (parent === probe) break;
      rest.unshift(p.basename(probe));
      probe = parent;
    }
  } catch (error) {
    // A link loop or an unreadable link: nothing can show the target is inside, so it is refused.
    return refuse('symlinkEscape', `${JSON.stringify(requested)} cannot be resolved safely: ${error instanceof Error ? error.message : String(error)}`);
  }
  const target = real === undefined ? lexical.absolute : p.join(real, ...rest);
  if (!isInside(realRoot, target, platform)) {
    return refuse('symlinkEscape', `${JSON.stringify(requested)} goes through a symbolic link to ${target}, outside the workspace.`);
  }
  return lexical;
}
