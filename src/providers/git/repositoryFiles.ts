import { readFile, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether a tag exists and a remote's URL, read from the repository's own files instead of two git
 * processes. A release plan needs both beside its history walk, and each git process costs about
 * 15 ms of CPU (git's start-up) and blocks the extension's thread while it is forked; on a loaded
 * machine that was a fifth of the plan.
 *
 * Only for the layout this fully understands, which is what nearly every clone has: a `.git`
 * folder (or a worktree's `.git` file and its `commondir`), loose refs and packed-refs, and config
 * files whose remote section is plain. Anything else makes it answer undefined and the caller asks
 * git: reftable or per-worktree config, config includes, `url.*.insteadOf` rewrites (in any config
 * file git reads), a remote defined outside the repository's config or in the old `remotes/`
 * files, quoted or escaped values, a GIT_DIR-style variable, a bare repository, Windows (where
 * git's global and system config can be in several places).
 */
export interface RepositoryRefs {
  /** The remote's first URL as `git remote get-url` prints it; undefined when there is no such remote. */
  readonly remoteUrl: string | undefined;
  /** Whether refs/tags/<name> exists; undefined when the name is one this does not look up on disk. */
  hasTag(name: string): boolean | undefined;
}

/** Variables that change which repository or which config git reads. */
const GIT_LOCATION_VARIABLES = /^GIT_(DIR|COMMON_DIR|WORK_TREE|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM|NAMESPACE|CONFIG.*|INDEX_FILE|OBJECT_DIRECTORY|REF_.*|DEFAULT_REF_FORMAT)$/;

/** Where git's system config usually is (its build's prefix/etc/gitconfig): Debian and most Linux, Homebrew, Apple's command-line tools. */
const SYSTEM_CONFIGS = ['/etc/gitconfig', '/usr/local/etc/gitconfig', '/opt/homebrew/etc/gitconfig', '/Library/Developer/CommandLineTools/usr/share/git-core/gitconfig', '/Applications/Xcode.app/Contents/Developer/usr/share/git-core/gitconfig'];

export async function readRepositoryRefs(root: string, remote: string, env: NodeJS.ProcessEnv = process.env): Promise<RepositoryRefs | undefined> {
  if (process.platform === 'win32') return undefined;
  try {
    return await readRefs(root, remote, env);
  } catch {
    // A file there but unreadable (permissions, a folder where a file should be): git says.
    return undefined;
  }
}

async function readRefs(root: string, remote: string, env: NodeJS.ProcessEnv): Promise<RepositoryRefs | undefined> {
  if (Object.keys(env).some((k) => GIT_LOCATION_VARIABLES.test(k))) return undefined;
  const home = env['HOME'];
  if (!home) return undefined;
  const dirs = await findGitDirs(path.resolve(root));
  if (!dirs) return undefined;
  const { gitDir, commonDir } = dirs;
  if ((await isThere(path.join(gitDir, 'config.worktree'))) || (await isThere(path.join(commonDir, 'reftable')))) return undefined;
  if ((await isThere(path.join(commonDir, 'remotes', remote))) || (await isThere(path.join(commonDir, 'branches', remote)))) return undefined;

  const xdg = env['XDG_CONFIG_HOME'] ? path.join(env['XDG_CONFIG_HOME'], 'git', 'config') : path.join(home, '.config', 'git', 'config');
  const [local, packed, ...others] = await Promise.all([readText(path.join(commonDir, 'config')), readText(path.join(commonDir, 'packed-refs')), ...[path.join(home, '.gitconfig'), xdg, ...SYSTEM_CONFIGS].map(readText)]);
  if (local === undefined) return undefined;
  const repository = parseGitConfig(local);
  if (!repository || !plainConfig(repository)) return undefined;
  const format = repository.find((e) => e.section === 'core' && e.key === 'repositoryformatversion')?.value ?? '0';
  if (format !== '0' && format !== '1') return undefined;
  if (repository.some((e) => e.section === 'extensions' && (e.key === 'refstorage' ? e.value !== 'files' : e.key === 'worktreeconfig'))) return undefined;
  for (const text of others) {
    if (text === undefined) continue;
    const entries = parseGitConfig(text);
    // A global remote of the same name would add to this one: git must say.
    if (!entries || !plainConfig(entries) || entries.some((e) => e.section === 'remote' && e.subsection === remote)) return undefined;
  }

  const mine = repository.filter((e) => e.section === 'remote' && e.subsection === remote);
  const url = mine.find((e) => e.key === 'url');
  // A remote without a URL, or with an empty one (which resets the list in recent git): git says.
  if (mine.length && (!url || !url.value)) return undefined;

  const packedTags = packed === undefined ? new Set<string>() : packedTagNames(packed);
  if (!packedTags) return undefined;
  const tagsDir = path.join(commonDir, 'refs', 'tags');
  return {
    remoteUrl: url?.value,
    hasTag: (name) => {
      if (!LOOKUP_SAFE.test(name) || name.split('/').some((part) => part.startsWith('.') || part === '')) return undefined;
      if (packedTags.has(name)) return true;
      try {
        return statSync(path.join(tagsDir, name)).isFile();
      } catch {
        return false;
      }
    },
  };
}

/** Names looked up on disk: no `..`, no absolute path, no backslash, space or control character (git refuses those in a ref). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const LOOKUP_SAFE = /^(?!\/)(?!.*\.\.)[^\\\x00-\x20\x7f]+$/;

interface ConfigEntry {
  /** Lower case, as git compares it. */
  readonly section: string;
  /** As written (git compares subsections exactly); undefined for `[core]`. */
  readonly subsection: string | undefined;
  /** Lower case. */
  readonly key: string;
  /** The value with surrounding spaces and any comment removed; `true` for a bare key. */
  readonly value: string;
}

/** No includes and no URL rewriting anywhere in the file: git would read more than these entries say. */
function plainConfig(entries: readonly ConfigEntry[]): boolean {
  return !entries.some((e) => e.section === 'include' || e.section === 'includeif' || (e.section === 'url' && (e.key === 'insteadof' || e.key === 'pushinsteadof')));
}

const SECTION = /^\[([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\\n]|\\.)*)")?\]\s*(?:[#;].*)?$/;
const ENTRY = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/;

/**
 * The entries of a git config file (git-config(1), "Syntax"), or undefined for anything this does
 * not read exactly the way git does: a value with quotes, backslashes (escapes, line
 * continuations) or a comment character in it, the old `[section.subsection]` form, an entry on a
 * section's line, a line it cannot place. Those are rare in a remote's section; git reads them.
 */
export function parseGitConfig(text: string): ConfigEntry[] | undefined {
  const entries: ConfigEntry[] = [];
  let section: string | undefined;
  let subsection: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '').trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      const m = SECTION.exec(line);
      if (!m || m[1]!.includes('.')) return undefined;
      section = m[1]!.toLowerCase();
      if (m[2] !== undefined && m[2].includes('\\')) return undefined;
      subsection = m[2];
      continue;
    }
    const m = ENTRY.exec(line);
    if (!m || section === undefined) return undefined;
    let value = m[2] ?? 'true';
    if (/["\\]/.test(value)) return undefined;
    const comment = value.search(/[#;]/);
    // A comment character inside a value: git ends the value there; whether the writer meant that is
    // not ours to guess for a URL, so git says.
    if (comment >= 0) {
      if (section === 'remote' || section === 'url') return undefined;
      value = value.slice(0, comment);
    }
    entries.push({ section, subsection, key: m[1]!.toLowerCase(), value: value.trim() });
  }
  return entries;
}

/** The tag names in packed-refs; undefined for a line it does not know. */
function packedTagNames(text: string): Set<string> | undefined {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#') || line.startsWith('^')) continue;
    const m = /^[0-9a-f]{40}(?:[0-9a-f]{24})? (refs\/\S+)$/.exec(line);
    if (!m) return undefined;
    if (m[1]!.startsWith('refs/tags/')) names.add(m[1]!.slice('refs/tags/'.length));
  }
  return names;
}

/**
 * The repository's git folder and its common folder (a worktree's shared one), found the way git
 * looks: the nearest `.git` folder or `gitdir:` file upwards. Undefined for a folder git would
 * take as a bare repository on the way, or a `.git` it cannot read.
 */
async function findGitDirs(start: string): Promise<{ gitDir: string; commonDir: string } | undefined> {
  for (let dir = start; ; ) {
    const dotGit = path.join(dir, '.git');
    const found = await stat(dotGit).catch(() => undefined);
    if (found?.isDirectory()) return withCommonDir(dotGit);
    if (found?.isFile()) {
      const text = await readText(dotGit);
      const m = text === undefined ? null : /^gitdir: (.+?)\r?\n?$/.exec(text);
      if (!m) return undefined;
      return withCommonDir(path.resolve(dir, m[1]!));
    }
    if ((await isThere(path.join(dir, 'HEAD'))) && (await isThere(path.join(dir, 'objects'))) && (await isThere(path.join(dir, 'refs')))) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

async function withCommonDir(gitDir: string): Promise<{ gitDir: string; commonDir: string } | undefined> {
  const common = await readText(path.join(gitDir, 'commondir'));
  if (common === undefined) return { gitDir, commonDir: gitDir };
  const target = common.trim();
  return target ? { gitDir, commonDir: path.resolve(gitDir, target) } : undefined;
}

/** A file's text, undefined when there is none; any other failure (a file git could read and we cannot) rejects. */
function readText(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
}

function isThere(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
