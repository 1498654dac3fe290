import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { buildMatcher, type ParserSettings } from '../../core/todo/parserSettings';
import { emptyCounts, type IndexFolder, type ScanCounts, type ScannedFile, scanFolders } from './indexScan';

/**
 * A full index scan in worker threads: each worker walks the tree and opens only its shard of the
 * files, so two cores do the syscalls (open/read/close dominate) side by side, as ripgrep does,
 * and the extension host's thread stays free.
 *
 * The worker runs this very file: bundled, it is the index's lazily loaded chunk (no 'vscode'
 * inside); under tsx (tests, benchmarks) the worker gets tsx's require hook.
 */
export interface WorkerRequest {
  readonly kind: 'aiDevops.todoIndex.scan';
  readonly folders: readonly IndexFolder[];
  readonly parser: ParserSettings;
  readonly maxFileBytes: number;
  readonly shard: number;
  readonly shards: number;
}

export interface WorkerReply {
  readonly files: readonly ScannedFile[];
  readonly counts: ScanCounts;
  readonly errors: readonly string[];
  /** Time the scan took inside the worker, start-up excluded. */
  readonly scanMs: number;
}

const MAX_REPORTED_ERRORS = 20;

function runScan(request: WorkerRequest): WorkerReply {
  const started = performance.now();
  const { matcher } = buildMatcher(request.parser);
  const counts = emptyCounts();
  const errors: string[] = [];
  const files: ScannedFile[] = [];
  const onError = (where: string, code: string): void => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(`${where}: ${code}`);
  };
  for (const file of scanFolders(request.folders, matcher, { maxFileBytes: request.maxFileBytes, shard: request.shard, shards: request.shards, counts, onError })) {
    if (file !== undefined) files.push(file);
  }
  return { files, counts, errors, scanMs: performance.now() - started };
}

const isScanRequest = (data: unknown): data is WorkerRequest => typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === 'aiDevops.todoIndex.scan';

if (!isMainThread && parentPort !== null && isScanRequest(workerData)) {
  parentPort.postMessage(runScan(workerData));
}

/** The file a worker must load to run this module; undefined when it cannot work (the main bundle imports 'vscode'). */
export function workerEntry(): { file: string; execArgv: string[] } | undefined {
  const file = __filename;
  if (file.endsWith('.ts')) return { file, execArgv: ['--require', 'tsx/cjs'] };
  if (/[\\/]extension\.js$/.test(file)) return undefined;
  return { file, execArgv: [] };
}

/** Runs one shard in a worker; rejects if the worker fails or is stopped by `signal`. */
export function scanInWorker(request: Omit<WorkerRequest, 'kind'>, signal?: AbortSignal): Promise<WorkerReply> {
  const entry = workerEntry();
  if (entry === undefined) return Promise.reject(new Error('The TODO index worker is not available in this bundle.'));
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry.file, { workerData: { kind: 'aiDevops.todoIndex.scan', ...request } satisfies WorkerRequest, execArgv: entry.execArgv });
    let settled = false;
    const onAbort = (): void => {
      void worker.terminate();
      settle(() => reject(new Error('aborted')));
    };
    const settle = (action: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      action();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (reply: WorkerReply) => {
      settle(() => resolve(reply));
      void worker.terminate();
    });
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`The TODO index worker stopped (exit code ${code}).`))));
  });
}
