import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { DevOpsError } from '../../core/errors';
import { guardPath } from '../../core/policy/pathGuard';
import { resolveRealPath } from '../../providers/files/realPath';
import { IgnoreRules } from '../../providers/todos/ignoreRules';
import { RipgrepUnavailableError, searchFilesWithTags } from '../../providers/todos/ripgrepSearch';
import { walkFolder } from '../../providers/todos/workspaceWalker';
import { type FileSearch, type FileText, type FolderEntry, type ListOptions, type WorkspaceFiles } from './context';

/** Folders no agent wants to read through: dependencies, builds, caches. */
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.venv/**', '**/venv/**', '**/__pycache__/**', '**/dist/**', '**/build/**', '**/out/**', '**/target/**', '**/.next/**', '**/coverage/**', '**/.cache/**', '.devops/audit/**'];
const METADATA = new Set(['.git', '.vscode', '.devops', '.DS_Store', '.idea']);
/** Larger files are not read as text (a generated bundle, a database dump). */
const MAX_READ_BYTES = 8 * 1024 * 1024;

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** Reading the workspace for agents: every path through the path guard (symlinks included), text only, nothing written. */
export class NodeWorkspaceFiles implements WorkspaceFiles {
  /** `ripgrepPath`: the ripgrep `search` runs (VS Code's own in the editor); without one `search` says so. */
  constructor(
    readonly root: string,
    private readonly options: { readonly ripgrepPath?: string; readonly signal?: AbortSignal } = {},
  ) {}

  private async absolute(requested: string): Promise<string> {
    const decision = await guardPath(this.root, requested, resolveRealPath);
    if (!decision.ok) throw new DevOpsError('refused', decision.reason);
    return decision.absolute;
  }

  async read(requested: string): Promise<FileText | undefined> {
    const file = await this.absolute(requested);
    let bytes: Buffer;
    try {
      const stat = await fs.stat(file);
      if (!stat.isFile()) return undefined;
      if (stat.size > MAX_READ_BYTES) throw new DevOpsError('invalidInput', `${requested} is ${(stat.size / 1024 / 1024).toFixed(1)} MB, more than the ${MAX_READ_BYTES / 1024 / 1024} MB an agent reads as text.`);
      bytes = await fs.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw error;
    }
    if (!isUtf8(bytes)) throw new DevOpsError('invalidInput', `${requested} is not UTF-8 text (binary, or another encoding); agents read and change UTF-8 files only, so it was left alone.`);
    const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    return { text: bytes.toString('utf8', bom), sha256: sha256(bytes) };
  }

  async exists(requested: string): Promise<boolean> {
    try {
      await fs.lstat(await this.absolute(requested));
      return true;
    } catch (error) {
      if (error instanceof DevOpsError) throw error;
      return false;
    }
  }

  async list(patterns: readonly string[], options: ListOptions = {}): Promise<{ paths: string[]; truncated: boolean }> {
    const max = options.max ?? 10_000;
    const wanted = picomatch([...patterns], { dot: true });
    const rules = new IgnoreRules([...ALWAYS_IGNORED, ...(options.ignore ?? [])]);
    const paths: string[] = [];
    let truncated = false;
    for (const file of walkFolder(this.root, rules, () => undefined, wanted)) {
      if (paths.length >= max) {
        truncated = true;
        break;
      }
      paths.push(file.relative);
    }
    return { paths: paths.sort(), truncated };
  }

  async search(patterns: readonly string[], regex: string, options: ListOptions = {}): Promise<FileSearch> {
    const ripgrepPath = this.options.ripgrepPath;
    if (ripgrepPath === undefined) return { engine: 'none', why: 'no ripgrep was found' };
    const max = options.max ?? 10_000;
    const ignored = [...ALWAYS_IGNORED, ...(options.ignore ?? [])];
    // ripgrep applies .gitignore as `list` does and leaves the always-ignored folders unwalked;
    // the same globs are asked again of each answer, so both name exactly the same files.
    const wanted = picomatch([...patterns], { dot: true });
    const left = picomatch(ignored, { dot: true });
    const paths: string[] = [];
    let truncated = false;
    // `dir/**` leaves out what is inside; `dir` as well keeps ripgrep from walking into it at all.
    const excludeGlobs = ignored.flatMap((glob) => (glob.endsWith('/**') ? [glob.slice(0, -3), glob] : [glob]));
    const search = searchFilesWithTags({ ripgrepPath, root: this.root, tags: [], regex, excludeGlobs, signal: this.options.signal, purpose: 'search of the workspace' });
    try {
      for (;;) {
        const step = await search.next();
        if (step.done) return { engine: 'ripgrep', paths: paths.sort(), truncated, searched: step.value.filesSearched, partial: step.value.partial };
        for (const relative of step.value) {
          if (!wanted(relative) || left(relative)) continue;
          if (paths.length >= max) truncated = true;
          else paths.push(relative);
        }
      }
    } catch (error) {
      if (error instanceof RipgrepUnavailableError) return { engine: 'none', why: error.message };
      throw error;
    }
  }

  async entries(requested: string): Promise<FolderEntry[]> {
    const dir = requested === '' || requested === '.' ? this.root : await this.absolute(requested);
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
      throw error;
    }
    const out: FolderEntry[] = [];
    for (const name of names.sort()) {
      const stat = await fs.lstat(path.join(dir, name)).catch(() => undefined);
      if (!stat) continue;
      out.push({ name, kind: stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : 'other', size: stat.size, modifiedMs: stat.mtimeMs });
    }
    return out;
  }

  async isEmptyFolder(requested: string): Promise<boolean> {
    const dir = requested === '' || requested === '.' ? this.root : await this.absolute(requested);
    try {
      const entries = await fs.readdir(dir);
      return entries.every((e) => METADATA.has(e));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
      throw error;
    }
  }
}

export const toPosix = (p: string): string => p.split(path.sep).join('/');
