import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { DevOpsError, throwIfAborted } from '../../core/errors';
import { type Logger } from '../../core/host';
import { languageIdForPath, syntaxForLanguageId, syntaxForPath } from '../../core/todo/languages';
import { type ReferencePatternProblem } from '../../core/todo/references';
import { type LocatedTodo } from '../../core/todo/todoGroups';
import { parseTodos, type TodoItem, type TodoMatcher } from '../../core/todo/todoParser';
import { IgnoreRules } from './ignoreRules';
import { buildMatcher, type ParserSettings } from '../../core/todo/parserSettings';
import { emptyCounts, FileScanner, type IndexFolder, type ListedFile, listFolders, type ScanCounts, type ScannedFile, scanFolders } from './indexScan';
import { IndexReader, workerEntry } from './indexWorker';
import { RipgrepUnavailableError, searchFilesWithTags } from './ripgrepSearch';

export { locateRipgrep } from './locateRipgrep';

export interface TodoIndexOptions {
  readonly folders: readonly IndexFolder[];
  readonly parser: ParserSettings;
  readonly log: Logger;
  /** Larger files are skipped (generated bundles, data dumps). Default 1 MiB. */
  readonly maxFileBytes?: number;
  /**
   * Reader threads for a full scan (this thread walks and hands them files); 0 reads on this
   * thread in time slices. Default: see defaultReaders.
   */
  readonly workers?: number;
  /**
   * ripgrep (VS Code's own, see locateRipgrep) to find the files that contain a tag; without it, or
   * when it cannot run, the index walks the folders itself.
   */
  readonly ripgrepPath?: string;
}

export interface TodoIndexStats extends ScanCounts {
  readonly filesWithTodos: number;
  readonly todos: number;
  readonly durationMs: number;
  /** Reader threads used; 0 when the scan ran on the calling thread. */
  readonly workers: number;
  /** How the files were found: ripgrep, or the index's own walk. */
  readonly engine: 'ripgrep' | 'walk';
}

/** One file the watcher reported: written (created or changed) or deleted. */
export interface FileChange {
  readonly file: string;
  readonly kind: 'changed' | 'deleted';
}

export interface TodoIndexChange {
  /** Absolute paths whose TODOs changed; empty with `full` after a rebuild. */
  readonly files: readonly string[];
  readonly full: boolean;
}

/**
 * What the editor layer tells the index; the only way the index hears of the editor. Files are
 * listed and read with node's fs; these calls carry the file watcher's events and the open
 * documents' unsaved text.
 */
export interface WorkspaceChangeSink {
  /** A file was created or changed on disk. */
  refreshFile(file: string): Promise<void>;
  /** A file or directory was deleted. */
  removePath(file: string): Promise<void>;
  /** An open document's current text, or `undefined` when it was closed. */
  setDocumentText(file: string, text: string | undefined, languageId?: string): Promise<void>;
  /** Folders, excludes or parser settings changed, or too many files changed at once. */
  rebuild(signal?: AbortSignal): Promise<TodoIndexStats>;
}

interface ScanResult {
  readonly files: ScannedFile[];
  readonly counts: ScanCounts;
  readonly workers: number;
  readonly engine: 'ripgrep' | 'walk';
}

interface FileEntry {
  readonly root: string;
  readonly relativePath: string;
  readonly todos: readonly TodoItem[];
}

/**
 * On 2 cores shared with other work, one thread measured faster than walking plus a reader thread
 * (docs/todos.md): the threads only compete. With 4 or more cores the readers get cores of their own.
 */
function defaultReaders(): number {
  const cores = availableParallelism();
  return cores >= 4 ? Math.min(3, cores - 1) : 0;
}

/** Longest stretch a scan keeps the event loop busy before letting other work run. */
const SLICE_MS = 8;
/** Files per message to a reader thread: big enough to amortise the message, small enough to start early. */
const BATCH_FILES = 128;
/** Batches queued per reader (about 10 ms of its work): more than a time slice of the walker, so a reader never waits for it. */
const MAX_QUEUED_BATCHES = 8;
const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

/**
 * Every TODO in the workspace folders, kept current one file at a time. A rebuild walks each folder
 * (respecting .gitignore and files.exclude), reads the files, and parses only those whose raw bytes
 * contain a tag; it runs in worker threads when it can, else in time slices on this thread. Change
 * notifications come from the editor layer (a file watcher, open documents) through refreshFile,
 * removePath and setDocumentText; nothing here watches on its own.
 */
export class TodoIndex implements WorkspaceChangeSink {
  private options!: TodoIndexOptions;
  private matcherValue!: TodoMatcher;
  private problems: ReferencePatternProblem[] = [];
  private scanner!: FileScanner;
  private rules = new Map<string, IgnoreRules>();
  private readonly files = new Map<string, FileEntry>();
  /** Open documents: their TODOs come from the editor's text, not the disk. */
  private readonly openDocuments = new Set<string>();
  private readonly listeners = new Set<(change: TodoIndexChange) => void>();
  private generation = 0;
  private lastStats: TodoIndexStats | undefined;
  private supersede: AbortController | undefined;

  constructor(options: TodoIndexOptions) {
    this.reconfigure(options);
  }

  /** New folders, tags, patterns or excludes: call rebuild() afterwards. */
  reconfigure(options: TodoIndexOptions): void {
    this.options = options;
    const { matcher, problems } = buildMatcher(options.parser);
    this.matcherValue = matcher;
    this.problems = problems;
    this.scanner = new FileScanner(matcher, this.maxFileBytes, (where, code) => this.options.log.debug(`TODO index: cannot read ${where}: ${code}`));
    this.rules = new Map(options.folders.map((f) => [f.root, new IgnoreRules(f.excludeGlobs)]));
  }

  get matcher(): TodoMatcher {
    return this.matcherValue;
  }

  /** User reference patterns that were left out, and why. */
  get patternProblems(): readonly ReferencePatternProblem[] {
    return this.problems;
  }

  get stats(): TodoIndexStats | undefined {
    return this.lastStats;
  }

  private get maxFileBytes(): number {
    return this.options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  }

  onDidChange(listener: (change: TodoIndexChange) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Every TODO, in no particular order. */
  *todos(): Iterable<LocatedTodo> {
    for (const [file, entry] of this.files) for (const todo of entry.todos) yield { file, relativePath: entry.relativePath, todo };
  }

  todosIn(file: string): LocatedTodo[] {
    const absolute = path.resolve(file);
    const entry = this.files.get(absolute);
    return entry === undefined ? [] : entry.todos.map((todo) => ({ file: absolute, relativePath: entry.relativePath, todo }));
  }

  /** Which folder holds `file`, and its path relative to it; undefined when outside every folder. */
  locate(file: string): { root: string; relativePath: string } | undefined {
    const absolute = path.resolve(file);
    for (const folder of this.options.folders) {
      const rel = path.relative(folder.root, absolute);
      if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return { root: folder.root, relativePath: rel.split(path.sep).join('/') };
    }
    return undefined;
  }

  /** Reads every folder again from scratch. A newer rebuild supersedes one still running. */
  async rebuild(signal?: AbortSignal): Promise<TodoIndexStats> {
    const generation = ++this.generation;
    const started = performance.now();
    this.rules = new Map(this.options.folders.map((f) => [f.root, new IgnoreRules(f.excludeGlobs)]));
    const readers = this.options.workers ?? defaultReaders();
    let result: ScanResult | undefined;
    // A newer rebuild stops this one's ripgrep at once, not when it next hands over files.
    this.supersede?.abort();
    const superseded = new AbortController();
    this.supersede = superseded;
    if (this.options.ripgrepPath !== undefined) {
      try {
        result = await this.scanWithRipgrep(this.options.ripgrepPath, generation, signal === undefined ? superseded.signal : AbortSignal.any([signal, superseded.signal]));
      } catch (error) {
        if (generation !== this.generation) throw new DevOpsError('cancelled', 'A newer TODO index rebuild replaced this one.');
        if (!(error instanceof RipgrepUnavailableError)) throw error;
        this.options.log.warn(`TODO index: ${error.message}; walking the folders instead.`);
      }
    }
    if (result === undefined && readers > 0 && workerEntry() !== undefined) {
      try {
        result = await this.scanWithReaders(readers, generation, signal);
      } catch (error) {
        throwIfAborted(signal);
        if (generation !== this.generation) throw new DevOpsError('cancelled', 'A newer TODO index rebuild replaced this one.');
        this.options.log.warn(`TODO index: reader threads failed (${error instanceof Error ? error.message : String(error)}); scanning on this thread.`);
      }
    }
    result ??= await this.scanInSlices(generation, signal);
    throwIfAborted(signal);
    if (generation !== this.generation) throw new DevOpsError('cancelled', 'A newer TODO index rebuild replaced this one.');
    const kept = new Map<string, FileEntry>();
    // Open documents keep the text the editor has, not what is on disk.
    for (const file of this.openDocuments) {
      const entry = this.files.get(file);
      if (entry) kept.set(file, entry);
    }
    this.files.clear();
    for (const f of result.files) if (!this.openDocuments.has(f.absolute)) this.files.set(f.absolute, { root: f.root, relativePath: f.relativePath, todos: f.todos });
    for (const [file, entry] of kept) this.files.set(file, entry);
    let todos = 0;
    for (const entry of this.files.values()) todos += entry.todos.length;
    this.lastStats = { ...result.counts, filesWithTodos: this.files.size, todos, durationMs: performance.now() - started, workers: result.workers, engine: result.engine };
    this.fire({ files: [], full: true });
    return this.lastStats;
  }

  /**
   * ripgrep names the files holding a tag (it walks, applies .gitignore and reads on every core);
   * this thread reads and parses those, in time slices, while ripgrep goes on. `files.exclude` is
   * applied again here with the walk's own matcher, so both ways index exactly the same files.
   */
  private async scanWithRipgrep(ripgrepPath: string, generation: number, signal: AbortSignal | undefined): Promise<ScanResult> {
    const counts = emptyCounts();
    const files: ScannedFile[] = [];
    let deadline = performance.now() + SLICE_MS;
    for (const folder of this.options.folders) {
      // ripgrep already left out `.git`; the second look is for files.exclude only.
      const excluded = folder.excludeGlobs.some((g) => g.trim().length > 0) ? new IgnoreRules(folder.excludeGlobs) : undefined;
      const prefix = folder.root.endsWith(path.sep) ? folder.root : folder.root + path.sep;
      const search = searchFilesWithTags({ ripgrepPath, root: folder.root, tags: this.matcherValue.tags, excludeGlobs: folder.excludeGlobs, signal });
      try {
        for (let step = await search.next(); ; step = await search.next()) {
          if (step.done === true) {
            counts.filesListed += step.value.filesSearched ?? 0;
            if (step.value.partial) this.options.log.debug(`TODO index: ripgrep could not read some paths under ${folder.root}`);
            break;
          }
          for (const relativePath of step.value) {
            const languageId = languageIdForPath(relativePath);
            if (languageId === undefined) {
              counts.skippedUnknownLanguage++;
              continue;
            }
            if (excluded?.ignores(relativePath, false) === true) continue;
            const absolute = prefix + (path.sep === '/' ? relativePath : relativePath.split('/').join(path.sep));
            const todos = this.scanner.scan(absolute, counts, syntaxForLanguageId(languageId));
            if (todos !== undefined) files.push({ absolute, root: folder.root, relativePath, todos });
            if (performance.now() >= deadline) {
              await new Promise<void>((resolve) => setImmediate(resolve));
              throwIfAborted(signal);
              if (generation !== this.generation) throw new DevOpsError('cancelled', 'A newer TODO index rebuild replaced this one.');
              deadline = performance.now() + SLICE_MS;
            }
          }
        }
      } finally {
        // Stops ripgrep when this scan ends early (cancelled, superseded, a failure).
        await search.return({ filesSearched: undefined, partial: false });
      }
    }
    return { files, counts, workers: 0, engine: 'ripgrep' };
  }

  /** Walks here, in time slices, and lets reader threads read and parse the files as they are found. */
  private async scanWithReaders(count: number, generation: number, signal: AbortSignal | undefined): Promise<ScanResult> {
    const readers = Array.from({ length: count }, () => new IndexReader(this.options.parser, this.maxFileBytes));
    try {
      const counts = emptyCounts();
      const onError = (where: string, code: string): void => this.options.log.debug(`TODO index: cannot read ${where}: ${code}`);
      const own: ScannedFile[] = [];
      const scanner = new FileScanner(this.matcherValue, this.maxFileBytes, onError);
      let batch: ListedFile[] = [];
      let deadline = performance.now() + SLICE_MS;
      const handOut = (files: ListedFile[]): void => {
        const idlest = readers.reduce((a, b) => (b.pending < a.pending ? b : a));
        if (idlest.pending < MAX_QUEUED_BATCHES) {
          idlest.send(files);
          return;
        }
        // Every reader has work queued: this thread reads this batch itself instead of waiting.
        for (const file of files) {
          const todos = scanner.scan(file.absolute, counts, syntaxForLanguageId(file.languageId));
          if (todos !== undefined) own.push({ absolute: file.absolute, root: file.root, relativePath: file.relativePath, todos });
        }
      };
      for (const file of listFolders(this.options.folders, counts, onError)) {
        batch.push(file);
        if (batch.length === BATCH_FILES) {
          handOut(batch);
          batch = [];
        }
        if (performance.now() >= deadline) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          throwIfAborted(signal);
          if (generation !== this.generation) throw new DevOpsError('cancelled', 'A newer TODO index rebuild replaced this one.');
          deadline = performance.now() + SLICE_MS;
        }
      }
      if (batch.length > 0) handOut(batch);
      const replies = await Promise.all(readers.map((r) => r.finish()));
      const files: ScannedFile[] = own;
      for (const reply of replies) {
        for (const key of Object.keys(counts) as (keyof ScanCounts)[]) counts[key] += reply.counts[key];
        files.push(...reply.files);
        for (const e of reply.errors) this.options.log.debug(`TODO index: cannot read ${e}`);
        this.options.log.debug(`TODO index: a reader thread was busy ${reply.busyMs.toFixed(0)} ms`);
      }
      return { files, counts, workers: count, engine: 'walk' };
    } catch (error) {
      for (const r of readers) r.stop();
      throw error;
    }
  }

  private async scanInSlices(generation: number, signal: AbortSignal | undefined): Promise<ScanResult> {
    const counts = emptyCounts();
    const files: ScannedFile[] = [];
    const onError = (where: string, code: string): void => this.options.log.debug(`TODO index: cannot read ${where}: ${code}`);
    let deadline = performance.now() + SLICE_MS;
    for (const file of scanFolders(this.options.folders, this.matcherValue, { maxFileBytes: this.maxFileBytes, counts, onError })) {
      if (file !== undefined) files.push(file);
      if (performance.now() >= deadline) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        throwIfAborted(signal);
        if (generation !== this.generation) throw new DevOpsError('cancelled', 'A newer TODO index rebuild replaced this one.');
        deadline = performance.now() + SLICE_MS;
      }
    }
    return { files, counts, workers: 0, engine: 'walk' };
  }

  /**
   * A file was created or changed on disk: read that file again, and only that file. A changed
   * `.gitignore` changes what is indexed, so it rebuilds instead.
   */
  async refreshFile(file: string): Promise<void> {
    const absolute = path.resolve(file);
    const where = this.locate(absolute);
    if (where === undefined) return;
    if (path.basename(absolute) === '.gitignore') {
      await this.rebuild();
      return;
    }
    if (this.openDocuments.has(absolute)) return;
    if (this.isIgnored(where.root, where.relativePath)) {
      this.drop(absolute);
      return;
    }
    const todos = this.scanner.scan(absolute, emptyCounts());
    if (todos === undefined) {
      this.drop(absolute);
      return;
    }
    this.files.set(absolute, { root: where.root, relativePath: where.relativePath, todos });
    this.fire({ files: [absolute], full: false });
  }

  /**
   * Many files changed at once (a branch switch, a pull): each is read again (or dropped) as
   * refreshFile and removePath would, in time slices so the editor stays responsive, and the
   * listeners hear of it once, with every file that changed. A changed `.gitignore` among them
   * rebuilds instead. Returns how many entries of the index changed and the time this thread was
   * busy with it.
   */
  async applyChanges(changes: readonly FileChange[], signal?: AbortSignal): Promise<{ readonly changed: number; readonly busyMs: number }> {
    if (changes.some((c) => path.basename(c.file) === '.gitignore')) {
      const started = performance.now();
      await this.rebuild(signal);
      return { changed: this.files.size, busyMs: performance.now() - started };
    }
    const generation = this.generation;
    const touched = new Set<string>();
    const deleted = new Set<string>();
    let busyMs = 0;
    let sliceStart = performance.now();
    for (const change of changes) {
      const absolute = path.resolve(change.file);
      if (change.kind === 'deleted') {
        deleted.add(absolute);
        if (this.files.delete(absolute)) touched.add(absolute);
        this.openDocuments.delete(absolute);
      } else if (this.readAgain(absolute)) {
        touched.add(absolute);
      }
      if (performance.now() - sliceStart >= SLICE_MS) {
        busyMs += performance.now() - sliceStart;
        await new Promise<void>((resolve) => setImmediate(resolve));
        throwIfAborted(signal);
        // A rebuild meanwhile read everything again: what it found stands.
        if (generation !== this.generation) return { changed: 0, busyMs };
        sliceStart = performance.now();
      }
    }
    // A deleted directory takes the files under it: one pass over the index, looking up ancestors.
    if (deleted.size > 0) {
      for (const file of [...this.files.keys()]) {
        for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
          if (deleted.has(dir)) {
            this.files.delete(file);
            this.openDocuments.delete(file);
            touched.add(file);
            break;
          }
          if (path.dirname(dir) === dir) break;
        }
      }
    }
    busyMs += performance.now() - sliceStart;
    if (touched.size > 0) this.fire({ files: [...touched], full: false });
    return { changed: touched.size, busyMs };
  }

  /** Reads one file again without telling the listeners; true when its entry changed (added, replaced or dropped). */
  private readAgain(absolute: string): boolean {
    const where = this.locate(absolute);
    if (where === undefined || this.openDocuments.has(absolute)) return false;
    const todos = this.isIgnored(where.root, where.relativePath) ? undefined : this.scanner.scan(absolute, emptyCounts());
    if (todos === undefined) return this.files.delete(absolute);
    this.files.set(absolute, { root: where.root, relativePath: where.relativePath, todos });
    return true;
  }

  /** A file or a whole directory was deleted. */
  async removePath(file: string): Promise<void> {
    const absolute = path.resolve(file);
    if (path.basename(absolute) === '.gitignore') {
      await this.rebuild();
      return;
    }
    const prefix = absolute + path.sep;
    const gone = [...this.files.keys()].filter((f) => f === absolute || f.startsWith(prefix));
    for (const f of gone) {
      this.files.delete(f);
      this.openDocuments.delete(f);
    }
    if (gone.length > 0) this.fire({ files: gone, full: false });
  }

  /** An open document's text (unsaved edits included); `undefined` when it was closed. */
  async setDocumentText(file: string, text: string | undefined, languageId?: string): Promise<void> {
    const absolute = path.resolve(file);
    if (text === undefined) {
      if (this.openDocuments.delete(absolute)) await this.refreshFile(absolute);
      return;
    }
    const where = this.locate(absolute);
    if (where === undefined || this.isIgnored(where.root, where.relativePath)) return;
    this.openDocuments.add(absolute);
    const syntax = (languageId !== undefined ? syntaxForLanguageId(languageId) : undefined) ?? syntaxForPath(absolute);
    const todos = syntax === undefined ? [] : parseTodos(text, syntax, this.matcherValue);
    if (todos.length === 0) {
      this.drop(absolute);
      return;
    }
    this.files.set(absolute, { root: where.root, relativePath: where.relativePath, todos });
    this.fire({ files: [absolute], full: false });
  }

  private isIgnored(root: string, relativePath: string): boolean {
    let rules = this.rules.get(root);
    if (rules === undefined) {
      const folder = this.options.folders.find((f) => f.root === root);
      rules = new IgnoreRules(folder?.excludeGlobs ?? []);
      this.rules.set(root, rules);
    }
    rules.loadAncestors(relativePath, (dir) => {
      try {
        return readFileSync(path.join(root, dir, '.gitignore'), 'utf8');
      } catch {
        return undefined;
      }
    });
    return rules.ignores(relativePath, false);
  }

  private drop(absolute: string): void {
    if (this.files.delete(absolute)) this.fire({ files: [absolute], full: false });
  }

  private fire(change: TodoIndexChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.options.log.error(`TODO index listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
