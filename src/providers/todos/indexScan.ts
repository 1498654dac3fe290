import { type CommentSyntax } from '../../core/todo/syntax';
import { languageIdForPath, syntaxForPath } from '../../core/todo/languages';
import { parseTodos, type TodoItem, type TodoMatcher } from '../../core/todo/todoParser';
import { decodeFile, mayContainTags } from './fileDecoding';
import { readFileInto, type ReadResult } from './fileReader';
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

/** FNV-1a of a path: splits the files of a tree evenly and the same way every time. */
function shardOf(text: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) % shards;
}

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
    let result: ReadResult;
    try {
      result = readFileInto(absolute, this.buffer);
    } catch (error) {
      // Deleted between listing and reading, or no permission: not an index failure.
      counts.unreadable++;
      this.onError(absolute, errorCode(error));
      return undefined;
    }
    if (result.kind === 'tooLarge') {
      counts.skippedLarge++;
      return undefined;
    }
    if (!mayContainTags(result.bytes, this.tagBytes, this.tagBytes16)) return undefined;
    const decoded = decodeFile(result.bytes);
    if (decoded.kind === 'binary') {
      counts.skippedBinary++;
      return undefined;
    }
    if (decoded.encoding === 'latin1') counts.decodedAsLatin1++;
    counts.filesParsed++;
    const todos = parseTodos(decoded.text, syntax, this.matcher);
    return todos.length === 0 ? undefined : todos;
  }
}

/**
 * Walks the folders and scans the files of one shard (`shard` of `shards`; every file when
 * `shards` is 1), yielding after each file listed (`undefined` when it has no TODO) so the caller
 * can pause between time slices. Each shard walks the whole tree (directory listings are cheap)
 * but opens only its own files.
 */
export function* scanFolders(
  folders: readonly IndexFolder[],
  matcher: TodoMatcher,
  options: { maxFileBytes: number; shard: number; shards: number; counts: ScanCounts; onError: (where: string, code: string) => void },
): Generator<ScannedFile | undefined> {
  const scanner = new FileScanner(matcher, options.maxFileBytes, options.onError);
  const { counts, shard, shards } = options;
  for (const folder of folders) {
    const rules = new IgnoreRules(folder.excludeGlobs);
    // Both tests are cheaper than the ignore rules, so they go first: a file in another shard or in
    // a language without known comment syntax is never indexed, whatever .gitignore says.
    const wanted = (relative: string): boolean => {
      if (shards > 1 && shardOf(relative, shards) !== shard) return false;
      if (languageIdForPath(relative) !== undefined) return true;
      counts.skippedUnknownLanguage++;
      return false;
    };
    for (const file of walkFolder(folder.root, rules, (where, error) => options.onError(where, errorCode(error)), wanted)) {
      counts.filesListed++;
      const todos = scanner.scan(file.absolute, counts);
      yield todos === undefined ? undefined : { absolute: file.absolute, root: folder.root, relativePath: file.relative, todos };
    }
  }
}
