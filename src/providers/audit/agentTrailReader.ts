import path from 'node:path';
import { type AuditEvent, parseTrailLine } from '../../core/audit';
import { throwIfAborted } from '../../core/errors';
import { type AuditTrailReader, type TrailEvent } from '../../core/security/repositoryControls';
import { auditDir, listAuditFiles, parseAuditFileName } from './auditLayout';
import { forEachLine } from './lineStream';
import { verifyTrailStream } from './trailVerify';

/** Metadata keys that say in words what an event was, in the order a report prefers them. */
const SUMMARY_KEYS = ['summary', 'message', 'title', 'action', 'command', 'why', 'reason', 'path', 'error'];

/** One line of words for an event: its own summary when it has one, else its metadata, shortened. */
export function eventSummary(event: Pick<AuditEvent, 'metadata'>): string {
  const meta = event.metadata;
  for (const key of SUMMARY_KEYS) {
    const value = meta[key];
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 500);
  }
  const json = JSON.stringify(meta);
  return json === '{}' ? '' : json.slice(0, 500);
}

export function trailEventOf(event: AuditEvent): TrailEvent {
  return {
    seq: event.seq,
    timestamp: event.timestamp,
    eventType: event.eventType,
    service: event.service,
    user: event.user,
    correlationId: event.correlationId,
    workItemId: event.workItemId,
    repository: event.repository,
    oldState: event.oldState,
    newState: event.newState,
    summary: eventSummary(event),
    hash: event.hash,
  };
}

/**
 * The workspace's audit trail for agents (the compliance report and its export): verified by the
 * same streaming chain check as *Verify Audit Trail*, and read for a period. Files are named by
 * day, so only the days of the period are opened; memory is one read buffer plus the events kept.
 */
export function agentTrailReader(workspaceRoot: string): AuditTrailReader {
  const dir = auditDir(workspaceRoot);
  return {
    async verify(signal) {
      const report = await verifyTrailStream(dir, { ...(signal ? { signal } : {}) });
      const r = report.result;
      return r.ok ? { ok: true, count: r.count, files: r.files, head: r.head } : { ok: false, file: path.basename(r.file), line: r.line, kind: r.kind, detail: r.detail, count: r.count };
    },
    async events({ from, to, limit }, signal) {
      const firstDay = from.toISOString().slice(0, 10);
      const lastDay = new Date(to.getTime() - 1).toISOString().slice(0, 10);
      const files = (await listAuditFiles(dir)).filter((f) => {
        const day = parseAuditFileName(path.basename(f))?.day;
        return day !== undefined && day >= firstDay && day <= lastDay;
      });
      const events: TrailEvent[] = [];
      let truncated = false;
      for (const file of files) {
        throwIfAborted(signal);
        await forEachLine(file, { ...(signal ? { signal } : {}) }, (b, start, end) => {
          const parsed = parseTrailLine(Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8'));
          if (parsed.kind !== 'event') return true;
          const at = Date.parse(parsed.event.timestamp);
          if (at < from.getTime() || at >= to.getTime()) return true;
          if (events.length === limit) {
            truncated = true;
            return false;
          }
          events.push(trailEventOf(parsed.event));
          return true;
        });
        if (truncated) break;
      }
      return { events, truncated };
    },
  };
}
