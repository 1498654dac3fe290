import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { TodoIndex } from '../../src/providers/todos/todoIndex';

/**
 * One cold full index of a tree, then one incremental update of one file, as the extension does
 * them. Bundled by bench.ts (like the extension's lazy chunk, so the index's worker threads load
 * plain JavaScript) and run in a fresh process; prints one JSON line.
 * Usage: node indexRunner.cjs <dir> <reader threads|auto> <file-to-touch> [ripgrep binary]
 */
async function main(): Promise<void> {
  const [dir, workersText, touch, ripgrepPath] = process.argv.slice(2);
  if (!dir || !touch) throw new Error('usage: indexRunner <dir> <workers> <file-to-touch>');
  const quiet = (): void => undefined;
  const index = new TodoIndex({
    folders: [{ root: dir, excludeGlobs: [] }],
    parser: { tags: ['TODO', 'FIXME', 'HACK', 'XXX'], defaultTracker: 'azureBoards', referencePatterns: [] },
    log: { trace: quiet, debug: process.env.DEBUG_INDEX ? (m) => console.error(m) : quiet, info: quiet, warn: (m) => console.error(m), error: (m) => console.error(m) },
    workers: workersText === undefined || workersText === 'auto' ? undefined : Number(workersText),
    ripgrepPath,
  });
  const stats = await index.rebuild();
  let linked = 0;
  for (const t of index.todos()) if (t.todo.references.length > 0) linked++;
  const before = readFileSync(touch);
  let changeMs: number;
  try {
    appendFileSync(touch, '\n// TODO AB#1 added by the benchmark\n');
    const started = performance.now();
    await index.refreshFile(touch);
    changeMs = performance.now() - started;
  } finally {
    writeFileSync(touch, before);
  }
  console.log(JSON.stringify({ ...stats, linked, changeMs, todosInTouched: index.todosIn(touch).length }));
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
