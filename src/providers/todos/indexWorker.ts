import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { syntaxForLanguageId } from '../../core/todo/languages';
import { buildMatcher, type ParserSettings } from '../../core/todo/parserSettings';
import { emptyCounts, FileScanner, type ListedFile, type ScanCounts, type ScannedFile } from './indexScan';

/**
 * Reading and parsing files in worker threads, fed by the thread that walks. The walk (directory
 * listings, .gitignore rules) stays on the calling thread and hands out batches of files as it
 * finds them, so no directory is listed twice and every core reads and parses side by side, as
 * ripgrep does.
 *
 * A worker runs this very file: bundled, it is the index's lazily loaded chunk (no 'vscode'
 * inside); under tsx (tests, benchmarks) the worker gets tsx's require hook.
 */
interface ReaderData {
  readonly kind: 'aiDevops.todoIndex.reader';
  readonly parser: ParserSettings;
  readonly maxFileBytes: number;
}

type ReaderMessage = { readonly files: readonly ListedFile[] } | { readonly end: true };

export interface ReaderReply {
  readonly files: readonly ScannedFile[];
  readonly counts: ScanCounts;
  readonly errors: readonly string[];
  /** Time spent reading and parsing, waits excluded. */
  readonly busyMs: number;
}

const MAX_REPORTED_ERRORS = 20;

const isReaderData = (data: unknown): data is ReaderData => typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'aiDevops.todoIndex.reader';

function serve(data: ReaderData, port: NonNullable<typeof parentPort>): void {
  const { matcher } = buildMatcher(data.parser);
  const counts = emptyCounts();
  const errors: string[] = [];
  const found: ScannedFile[] = [];
  let busyMs = 0;
  const scanner = new FileScanner(matcher, data.maxFileBytes, (where, code) => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(`${where}: ${code}`);
  });
  port.on('message', (message: ReaderMessage) => {
    if ('end' in message) {
      port.postMessage({ files: found, counts, errors, busyMs } satisfies ReaderReply);
      port.close();
      return;
    }
    const started = performance.now();
    for (const file of message.files) {
      const todos = scanner.scan(file.absolute, counts, syntaxForLanguageId(file.languageId));
      if (todos !== undefined) found.push({ absolute: file.absolute, root: file.root, relativePath: file.relativePath, todos });
    }
    busyMs += performance.now() - started;
    port.postMessage({ done: message.files.length });
  });
}

if (!isMainThread && parentPort !== null && isReaderData(workerData)) serve(workerData, parentPort);

/** The file a worker must load to run this module; undefined when it cannot work (the main bundle imports 'vscode'). */
export function workerEntry(): { file: string; execArgv: string[] } | undefined {
  const file = __filename;
  if (file.endsWith('.ts')) return { file, execArgv: ['--require', 'tsx/cjs'] };
  if (/[\\/]extension\.js$/.test(file)) return undefined;
  return { file, execArgv: [] };
}

/** One reader thread: send it batches of files, then `finish()` for what it found. */
export class IndexReader {
  private readonly worker: Worker;
  private readonly reply: Promise<ReaderReply>;
  /** Batches sent and not yet read: the walker reads a batch itself rather than queue a third. */
  pending = 0;

  constructor(parser: ParserSettings, maxFileBytes: number) {
    const entry = workerEntry();
    if (entry === undefined) throw new Error('The TODO index worker is not available in this bundle.');
    this.worker = new Worker(entry.file, { workerData: { kind: 'aiDevops.todoIndex.reader', parser, maxFileBytes } satisfies ReaderData, execArgv: entry.execArgv });
    this.reply = new Promise((resolve, reject) => {
      this.worker.on('message', (message: ReaderReply | { done: number }) => {
        if ('done' in message) this.pending--;
        else resolve(message);
      });
      this.worker.once('error', reject);
      this.worker.once('exit', (code) => reject(new Error(`The TODO index worker stopped (exit code ${code}).`)));
    });
    // A rejection nobody awaits yet (the walk is still running) must not crash the process.
    this.reply.catch(() => undefined);
  }

  send(files: readonly ListedFile[]): void {
    this.pending++;
    this.worker.postMessage({ files } satisfies ReaderMessage);
  }

  async finish(): Promise<ReaderReply> {
    this.worker.postMessage({ end: true } satisfies ReaderMessage);
    try {
      return await this.reply;
    } finally {
      void this.worker.terminate();
    }
  }

  stop(): void {
    void this.worker.terminate();
  }
}
