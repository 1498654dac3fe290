import { LineCounter } from 'yaml';
import { type TextReplacement } from './types';

/**
 * Applies replacements made against the same original text. Overlapping ones are dropped (the
 * first, by position, wins) and counted, so several fixes for one file merge into one edit and
 * a clash never corrupts the text.
 */
export function applyReplacements(text: string, replacements: readonly TextReplacement[]): { text: string; dropped: number } {
  // Inserts at one point: the more deeply indented first (a YAML block that ends where its parent
  // ends gets its new lines before the parent's), otherwise in the order given.
  const depth = (r: TextReplacement): number => /^\r?\n( *)/.exec(r.text)?.[1]?.length ?? 0;
  const sorted = [...replacements].sort((a, b) => a.from - b.from || a.to - b.to || (a.from === a.to && b.from === b.to ? depth(b) - depth(a) : 0));
  const kept: TextReplacement[] = [];
  let dropped = 0;
  let end = -1;
  for (const r of sorted) {
    // Two inserts at one point are both kept, in order; anything else that overlaps is a clash.
    const last = kept[kept.length - 1];
    const clash = last !== undefined && (r.from < end || (r.from === last.from && (r.to > r.from || last.to > last.from)));
    if (clash) {
      dropped++;
      continue;
    }
    kept.push(r);
    end = Math.max(end, r.to);
  }
  let out = '';
  let at = 0;
  for (const r of kept) {
    out += text.slice(at, r.from) + r.text;
    at = r.to;
  }
  return { text: out + text.slice(at), dropped };
}

/** Line and column (both 1-based) of offsets in a text, for formats whose parser gives only offsets. */
export function lineCounterFor(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
  return counter;
}

/** The offset where the 1-based line starts (the text's end for a line past it). */
export function lineStart(text: string, line: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset;
}

/** The end of the 1-based line, before its line break. */
export function lineEnd(text: string, line: number): number {
  const start = lineStart(text, line);
  const nl = text.indexOf('\n', start);
  return nl === -1 ? text.length : nl > start && text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** The line break the file uses (CRLF when its first line ends so). */
export const newlineOf = (text: string): string => (/\r\n/.test(text.slice(0, (text.indexOf('\n') + 1) || text.length)) ? '\r\n' : '\n');
