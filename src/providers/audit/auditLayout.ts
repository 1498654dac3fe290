import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Files of the trail: `<workspace>/.devops/audit/audit-YYYY-MM-DD.jsonl`, one per UTC day, and
 * when a day's file reaches the size limit (`MAX_FILE_BYTES`) the day goes on in
 * `audit-YYYY-MM-DD.2.jsonl`, `.3.jsonl`, and so on. One canonical JSON event per line. The chain
 * runs on across files (a file's first event chains to the previous file's last), in the order
 * `listAuditFiles` gives: by day, then by part number. Files are only ever appended to; rotation
 * starts a new file and never rewrites an old one. A torn last line found on open is moved to
 * `<file>.torn` beside it.
 */
export const AUDIT_DIR = path.join('.devops', 'audit');
const FILE = /^audit-(\d{4}-\d{2}-\d{2})(?:\.([1-9]\d{0,5}))?\.jsonl$/;

/**
 * A file stops taking events once it holds this many bytes (it may pass it by one event), so the
 * log opens comfortably in the editor (VS Code turns highlighting off above 20 MB and asks before
 * opening much larger files) whatever a day brings.
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

export const auditDir = (workspaceRoot: string): string => path.join(workspaceRoot, AUDIT_DIR);
/** The first file of the day of `isoTimestamp`. */
export const fileForDate = (dir: string, isoTimestamp: string): string => partFile(dir, isoTimestamp.slice(0, 10), 1);
/** Part `part` (1 for the first) of a day's files. */
export const partFile = (dir: string, day: string, part: number): string => path.join(dir, part === 1 ? `audit-${day}.jsonl` : `audit-${day}.${part}.jsonl`);
export const tornFileFor = (file: string): string => `${file}.torn`;

/** The day and part of a trail file name, or undefined for any other name. */
export function parseAuditFileName(name: string): { readonly day: string; readonly part: number } | undefined {
  const m = FILE.exec(name);
  return m ? { day: m[1]!, part: m[2] === undefined ? 1 : Number(m[2]) } : undefined;
}

/** Chain order: by day, then by part (numerically: part 10 after part 9). */
export function compareAuditFileNames(a: string, b: string): number {
  const x = parseAuditFileName(a)!;
  const y = parseAuditFileName(b)!;
  return x.day < y.day ? -1 : x.day > y.day ? 1 : x.part - y.part;
}

/** Trail files, in chain order (an absent folder is an empty trail). */
export async function listAuditFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .filter((n) => parseAuditFileName(n) !== undefined)
    .sort(compareAuditFileNames)
    .map((n) => path.join(dir, n));
}

/** Lines of a file as written (a final newline gives no extra line). Whole files in memory: for small ones and tests. */
export async function readLines(file: string): Promise<string[]> {
  const text = await fs.readFile(file, 'utf8');
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
