import path from 'node:path';
import { parseTrailLine } from '../../core/audit';
import { listAuditFiles } from './auditLayout';
import { forEachLineBackward } from './lineStream';
import { type StoredEvent } from './trailIndex';

/** Where the next (older) page starts: before `line` of `file`. */
export interface PageCursor {
  readonly file: string;
  readonly line: number;
}

export interface Page {
  readonly events: readonly StoredEvent[];
  readonly next?: PageCursor;
}

/**
 * Events newest first, `limit` at a time, read from the end of the newest file back (only the tail
 * that holds them); lines that are not valid events are skipped (verify reports them). The views
 * page through the index instead; this needs none.
 */
export async function readPage(dir: string, limit: number, cursor?: PageCursor): Promise<Page> {
  const files = (await listAuditFiles(dir)).reverse();
  const events: StoredEvent[] = [];
  let started = cursor === undefined;
  for (const file of files) {
    if (!started && path.resolve(file) !== path.resolve(cursor!.file)) continue;
    // Lines are read from the end but numbered from the start: count them first.
    let line = 1;
    await forEachLineBackward(file, {}, () => {
      line++;
      return true;
    });
    let next: PageCursor | undefined;
    await forEachLineBackward(file, {}, (b, start, end) => {
      line--;
      if (!started && line >= cursor!.line) return true;
      if (events.length === limit) {
        next = { file, line: line + 1 };
        return false;
      }
      const p = parseTrailLine(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8'));
      if (p.kind === 'event') events.push({ event: p.event, file, line });
      return true;
    });
    started = true;
    if (next) return { events, next };
  }
  return { events };
}
