import { type ChainHead } from './build';
import { ChainVerifier, type DamageKind, Next, parseTrailLine } from './chainVerifier';

export type VerifyResult =
  | { readonly ok: true; readonly count: number; readonly head: string; readonly lastSeq: number }
  | { readonly ok: false; readonly line: number; readonly kind: DamageKind; readonly detail: string; readonly count: number };

export interface VerifyOptions {
  /** Where the chain stood before these lines (the previous file's end); the genesis when absent. */
  readonly start?: ChainHead;
  /** These lines end the trail, so a partial last line is a torn write rather than damage in the middle. */
  readonly lastLineMayBeTorn?: boolean;
}

const encoder = new TextEncoder();

/**
 * Checks lines of the trail held in memory (one JSON event each, in file order; a trailing empty
 * line is ignored) and names the first bad line, 1-based, with the kind of damage; or says ok with
 * the count and the head hash to continue from. The files on disk are streamed through the same
 * ChainVerifier (src/providers/audit/trailVerify.ts).
 */
export function verify(lines: readonly string[], options: VerifyOptions = {}): VerifyResult {
  const verifier = new ChainVerifier(options.start);
  verifier.beginFile(1, options.start !== undefined);
  let next: Next = Next.Line;
  for (let i = 0; i < lines.length && next !== Next.Done; i++) {
    const bytes = encoder.encode(lines[i]!);
    next = verifier.line(bytes, 0, bytes.length);
    if (next === Next.LookBack) {
      const wanted = verifier.lookBack!;
      const same = lines.slice(0, i).some((l) => {
        const p = parseTrailLine(l);
        return p.kind === 'event' && p.event.seq === wanted.seq && p.event.hash === wanted.hash;
      });
      next = verifier.resolveLookBack(same);
    }
  }
  verifier.endFile(options.lastLineMayBeTorn === true);
  const r = verifier.result();
  return r.ok ? r : { ok: false, line: r.line, kind: r.kind, detail: r.detail, count: r.count };
}
