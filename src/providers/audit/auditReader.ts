import path from 'node:path';
import { type AuditEvent, AuditEventSchema } from '../../core/audit';
import { listAuditFiles, readLines } from './auditLayout';

/** An event and where it sits (1-based line). */
export interface StoredEvent {
  readonly event: AuditEvent;
  readonly file: string;
  readonly line: number;
}

/** Where the next (older) page starts: before `line` of `file`. */
export interface PageCursor {
  readonly file: string;
  readonly line: number;
}

export interface Page {
  readonly events: readonly StoredEvent[];
  readonly next?: PageCursor;
}

/** Events newest first, `limit` at a time; lines that are not valid events are skipped (verify reports them). */
export async function readPage(dir: string, limit: number, cursor?: PageCursor): Promise<Page> {
  const files = (await listAuditFiles(dir)).reverse();
  const events: StoredEvent[] = [];
  let started = cursor === undefined;
  for (const file of files) {
    if (!started && path.resolve(file) !== path.resolve(cursor!.file)) continue;
    const lines = await readLines(file);
    let i = !started && cursor ? cursor.line - 2 : lines.length - 1;
    started = true;
    for (; i >= 0; i--) {
      if (events.length === limit) return { events, next: { file, line: i + 2 } };
      let value: unknown;
      try {
        value = JSON.parse(lines[i]!);
      } catch {
        continue;
      }
      const r = AuditEventSchema.safeParse(value);
      if (r.success) events.push({ event: r.data, file, line: i + 1 });
    }
  }
  return { events };
}
