import { type CommentSyntax } from '../../core/todo/syntax';
import { languageIdForPath, syntaxForLanguageId, syntaxForPath } from '../../core/todo/languages';
import { parseTodos, type TodoItem, type TodoMatcher } from '../../core/todo/todoParser';
import { decodeFile, mayContainTags } from './fileDecoding';
import { readFileInto } from './fileReader';
import { IgnoreRules } from './ignoreRules';
import { walkFolder } from './workspaceWalker';

export interface IndexFolder {
  readonly root: string;
  /** `files.exclude` globs that are on, relative to the folder. */
  readonly excludeGlobs: readonly string[];
}

export interface ScanCounts {
  filesListed: number;
  filesParsed: number;
  skippedBinary: number;
  skippedLarge: number;
  skippedUnknownLanguage: number;
  decodedAsLatin1: number;
  unreadable: number;
}

export const emptyCounts = (): ScanCounts => ({
  filesListed: 0,
  filesParsed: 0,
  skippedBinary: 0,
  skippedLarge: 0,
  skippedUnknownLanguage: 0,
  decodedAsLatin1: 0,
  unreadable: 0,
});

export interface ScannedFile {
  readonly absolute: string;
  readonly root: string;
  readonly relativePath: string;
  readonly todos: readonly TodoItem[];
}

const errorCode = (error: unknown): string => (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);

/**
 * Reads one file and returns its TODOs: skips languages we do not know, files over the buffer's
 * size, files whose raw bytes contain no tag (the prefilter: most files stop here), and binary
 * files; decodes the rest (see fileDecoding) and parses them.
 */
export class FileScanner {
  private readonly tagBytes: Buffer[];
  private readonly tagBytes16: Buffer[];
  private readonly buffer: Buffer;

  constructor(
    private readonly matcher: TodoMatcher,
    maxFileBytes: number,
    private readonly onError: (where: string, code: string) => void,
  ) {
    this.tagBytes = matcher.tags.map((t) => Buffer.from(t, 'utf8'));
    this.tagBytes16 = matcher.tags.map((t) => Buffer.from(t, 'utf16le'));
    this.buffer = Buffer.allocUnsafe(maxFileBytes + 1);
  }

  scan(absolute: string, counts: ScanCounts, syntax: CommentSyntax | undefined = syntaxForPath(absolute)): TodoItem[] | undefined {
    if (syntax === undefined) {
      counts.skippedUnknownLanguage++;
      return undefined;
    }
    let length: number;
    try {
      length = readFileInto(absolute, this.buffer);
    } catch (error) {
      // Deleted between listing and reading, or no permission: not an index failure.
      counts.unreadable++;
      this.onError(absolute, errorCode(error));
      return undefined;
    }
    if (length < 0) {
      counts.skippedLarge++;
      return undefined;
    }
    const bytes = this.buffer.subarray(0, length);
    if (!mayContainTags(bytes, this.tagBytes, this.tagBytes16)) return undefined;
    const decoded = decodeFile(bytes);
    if (decoded.kind === 'binary') {
      counts.skippedBinary++;
      return undefined;
    }
    if (decoded.encoding === 'latin1') counts.decodedAsLatin1++;
    counts.filesParsed++;
    const todos = parseTodos(decoded.text, syntax, this.matcher);
    return todos.length === 0 ? undefined : todos.map(detached);
  }
}

/**
 * A copy of a string that does not point into the text it was cut from. V8 keeps a slice of 13
 * or more characters as a view of its parent, so a TODO's title would keep its whole file's text
 * alive for as long as the index holds it: 24,000 files' texts at 200,000 files, promoted to the
 * old generation and walked by every full garbage collection.
 */
const own = (text: string): string => (text.length < 13 ? text : (' ' + text).slice(1));

function detached(todo: TodoItem): TodoItem {
  return { ...todo, text: own(todo.text), title: own(todo.title), references: todo.references.map((r) => ({ ...r, raw: own(r.raw) })) };
}

export interface ListedFile {
  readonly absolute: string;
  readonly root: string;
  readonly relativePath: string;
  readonly languageId: string;
}

/**
 * The files of the folders that the index reads: not ignored (.gitignore, files.exclude, .git)
 * and in a language with known comment syntax. The language test runs first: it is cheaper than
 * the ignore rules, and a file we cannot parse is never indexed whatever .gitignore says.
 */
export function* listFolders(folders: readonly IndexFolder[], counts: ScanCounts, onError: (where: string, code: string) => void): Generator<ListedFile> {
  // The walker yields a file right after `wanted` accepted it, so the language found there is that file's.
  let languageId = '';
  const wanted = (relative: string): boolean => {
    const id = languageIdForPath(relative);
    if (id !== undefined) {
      languageId = id;
      return true;
    }
    counts.skippedUnknownLanguage++;
    return false;
  };
  for (const folder of folders) {
    const rules = new IgnoreRules(folder.excludeGlobs);
    for (const file of walkFolder(folder.root, rules, (where, error) => onError(where, errorCode(error)), wanted)) {
      counts.filesListed++;
      yield { absolute: file.absolute, root: folder.root, relativePath: file.relative, languageId };
    }
  }
}

/**
 * Lists and scans every file on this thread, yielding after each one (`undefined` when it has no
 * TODO) so the caller can pause between time slices.
 */
export function* scanFolders(
  folders: readonly IndexFolder[],
  matcher: TodoMatcher,
  options: { maxFileBytes: number; counts: ScanCounts; onError: (where: string, code: string) => void },
): Generator<ScannedFile | undefined> {
  const scanner = new FileScanner(matcher, options.maxFileBytes, options.onError);
  for (const file of listFolders(folders, options.counts, options.onError)) {
    const todos = scanner.scan(file.absolute, options.counts, syntaxForLanguageId(file.languageId));
    yield todos === undefined ? undefined : { absolute: file.absolute, root: file.root, relativePath: file.relativePath, todos };
  }
}
