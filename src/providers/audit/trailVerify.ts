import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ChainVerifier, type DamageKind, EMPTY_HEAD, Next, parseTrailLine, scanCanonicalLine, newLineFields } from '../../core/audit';
import { listAuditFiles } from './auditLayout';
import { forEachLine } from './lineStream';

export type TrailVerification =
  | { readonly ok: true; readonly count: number; readonly head: string; readonly files: number }
  | { readonly ok: false; readonly file: string; readonly line: number; readonly kind: DamageKind; readonly detail: string; readonly count: number };

/** A verified point of the trail: the event on `line` of `file`, ending just before `offset`. */
export interface TrailPosition {
  /** The file's name (not its path: the workspace may move). */
  readonly file: string;
  /** The byte offset after that event's newline: where the next event starts. */
  readonly offset: number;
  /** That event's 1-based line in its file. */
  readonly line: number;
  readonly seq: number;
  readonly hash: string;
  /** Events from the start of the trail to this one. */
  readonly count: number;
}

export interface TrailVerifyOptions {
  /** Verify on from here instead of from the start (the lines before it were verified earlier). */
  readonly from?: TrailPosition;
  readonly signal?: AbortSignal;
  /** Bytes verified so far and the bytes there are to verify. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface TrailVerifyReport {
  readonly result: TrailVerification;
  /** Lines checked in this pass (all of them without `from`). */
  readonly checked: number;
  /** The last verified event, when the trail verifies and has one. */
  readonly head?: TrailPosition;
  /** Bytes read. */
  readonly bytes: number;
}

/**
 * Verifies the trail on disk in one streaming pass, file after file in chain order, each line
 * through the ChainVerifier: memory stays at one read buffer whatever the trail's size. From a
 * remembered position it checks only what came after (`from`); damage before it needs a full pass.
 */
export async function verifyTrailStream(dir: string, options: TrailVerifyOptions = {}): Promise<TrailVerifyReport> {
  const all = await listAuditFiles(dir);
  const from = options.from;
  const startIndex = from ? all.findIndex((f) => path.basename(f) === from.file) : 0;
  if (startIndex === -1) throw new Error(`The remembered audit position (${from!.file}) is not in the trail any more.`);
  const files = all.slice(startIndex);
  const sizes = await Promise.all(files.map(async (f) => (await fs.stat(f)).size));
  const total = sizes.reduce((a, b) => a + b, 0) - (from?.offset ?? 0);
  let done = 0;
  const verifier = new ChainVerifier(from ? { prev: from.hash, seq: from.seq } : EMPTY_HEAD);
  const baseCount = from?.count ?? 0;
  /** Where the last verified line ends (undefined when it had no newline: a resume could not start after it). */
  let last: { file: string; offset: number; line: number } | undefined = from;
  let fileIndex = 0;

  for (; fileIndex < files.length && !verifier.finished; fileIndex++) {
    const file = files[fileIndex]!;
    const name = path.basename(file);
    const resume = fileIndex === 0 && from !== undefined;
    const startOffset = resume ? from.offset : 0;
    let line = resume ? from.line : 0;
    verifier.beginFile(line + 1, startIndex + fileIndex > 0);
    const before = done;
    let verified = verifier.verified;
    await forEachLine(file, { from: startOffset, signal: options.signal, onBytes: (read) => options.onProgress?.((done = before + read), total) }, (b, start, end, offset, terminated) => {
      line++;
      const next = verifier.line(b, start, end);
      if (verifier.verified !== verified) {
        verified = verifier.verified;
        last = terminated ? { file: name, offset: offset + (end - start) + 1, line } : undefined;
      }
      // Done, or a repeated seq to look back for (I/O, so the line loop stops here).
      return next === Next.Line;
    });
    const wanted = verifier.lookBack;
    if (wanted) {
      verifier.resolveLookBack(await earlierEventHas(all, wanted.seq, wanted.hash, { file: startIndex + fileIndex, line }, options.signal));
      break;
    }
    if (!verifier.finished) verifier.endFile(fileIndex === files.length - 1);
  }
  const verdict = verifier.result();
  const checked = verifier.verified;
  if (verdict.ok) {
    const count = baseCount + verdict.count;
    const head: TrailPosition | undefined = last && count > 0 ? { ...last, seq: verdict.lastSeq, hash: verdict.head, count } : undefined;
    return { result: { ok: true, count, head: verdict.head, files: all.length }, checked, bytes: done, ...(head ? { head } : {}) };
  }
  return {
    result: { ok: false, file: files[verdict.file]!, line: verdict.line, kind: verdict.kind, detail: verdict.detail, count: baseCount + verdict.count },
    checked,
    bytes: done,
  };
}

const text = (b: Uint8Array, start: number, end: number): string => Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');

/** Verifies every file in chain order, each continuing from the one before. */
export async function verifyTrail(dir: string, options: Omit<TrailVerifyOptions, 'from'> = {}): Promise<TrailVerification> {
  return (await verifyTrailStream(dir, options)).result;
}

/**
 * Whether an event before `before` (file index in `files`, 1-based line) has seq `seq` and hash
 * `hash`: a repeated line is `duplicated` when it is, else `reordered`. Only damage gets here.
 */
async function earlierEventHas(files: readonly string[], seq: number, hash: string, before: { file: number; line: number }, signal: AbortSignal | undefined): Promise<boolean> {
  const fields = newLineFields();
  for (let f = 0; f <= before.file; f++) {
    let line = 0;
    let found = false;
    await forEachLine(files[f]!, { signal }, (b, start, end) => {
      line++;
      if (f === before.file && line >= before.line) return false;
      let lineSeq: number | undefined;
      let lineHash: string | undefined;
      if (scanCanonicalLine(b, start, end, fields, true)) {
        lineSeq = fields.seq;
        if (lineSeq === seq) lineHash = text(b, fields.hashMember + 8, fields.hashMember + 72);
      } else {
        const p = parseTrailLine(text(b, start, end));
        if (p.kind === 'event') [lineSeq, lineHash] = [p.event.seq, p.event.hash];
      }
      found = lineSeq === seq && lineHash === hash;
      return !found;
    });
    if (found) return true;
  }
  return false;
}
