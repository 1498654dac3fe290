import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Files of the trail: `<workspace>/.devops/audit/audit-YYYY-MM-DD.jsonl`, one per UTC day, one
 * canonical JSON event per line. The chain runs on across files (a day's first event chains to the
 * previous day's last), so file names sort into chain order. A torn last line found on open is
 * moved to `<file>.torn` beside it.
 */
export const AUDIT_DIR = path.join('.devops', 'audit');
const FILE = /^audit-(\d{4}-\d{2}-\d{2})\.jsonl$/;

export const auditDir = (workspaceRoot: string): string => path.join(workspaceRoot, AUDIT_DIR);
export const fileForDate = (dir: string, isoTimestamp: string): string => path.join(dir, `audit-${isoTimestamp.slice(0, 10)}.jsonl`);
export const tornFileFor = (file: string): string => `${file}.torn`;

/** Trail files, oldest first (an absent folder is an empty trail). */
export async function listAuditFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names.filter((n) => FILE.test(n)).sort().map((n) => path.join(dir, n));
}

/** Lines of a file as written (a final newline gives no extra line). */
export async function readLines(file: string): Promise<string[]> {
  const text = await fs.readFile(file, 'utf8');
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
