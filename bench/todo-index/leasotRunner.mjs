// leasot over the same files: reads each file and parses it with leasot's own per-language
// parsers. The file list comes from `rg --files` (same .gitignore rules), read before timing.
// Usage: node leasotRunner.mjs <dir> <file-list>
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { isExtensionSupported, parse } from 'leasot';

const [dir, listFile] = process.argv.slice(2);
const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
const started = performance.now();
let todos = 0;
let linked = 0;
let unsupported = 0;
let failed = 0;
for (const rel of files) {
  const extension = path.extname(rel);
  if (!isExtensionSupported(extension)) {
    unsupported++;
    continue;
  }
  const filename = path.join(dir, rel);
  try {
    const found = await parse(readFileSync(filename, "utf8"), { extension, filename });
    todos += found.length;
    for (const t of found) if (/AB#\d|#\d|GH-\d/.test(t.text ?? '') || /AB#|#\d/.test(t.ref ?? '')) linked++;
  } catch {
    failed++;
  }
}
console.log(JSON.stringify({ files: files.length, todos, linked, unsupported, failed, durationMs: performance.now() - started }));
