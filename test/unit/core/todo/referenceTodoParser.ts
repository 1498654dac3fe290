// The TODO parser as it was before its character loops (commit 65b81f8), kept unchanged as an oracle:
// the differential tests in todoParserDifferential.test.ts check the current parser returns the same items.
import { findReferences } from '../../../../src/core/todo/references';
import { type CommentSyntax } from '../../../../src/core/todo/syntax';
import { type TextPosition, type TodoItem, type TodoMatcher } from '../../../../src/core/todo/todoParser';
import { referenceScanComments } from './referenceCommentScanner';

interface CommentRange {
  readonly start: number;
  readonly end: number;
  readonly bodyStart: number;
  readonly bodyEnd: number;
}

/** Between the start of a comment line and its tag, only decoration may stand: blanks, `*`, `/`, `#`, `;`, `%`, `!`, `-`, `=`, `|`, `@`. */
const DECORATION = /^[\s*/#;%!=|@-]*$/;

class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}
  position(offset: number): TextPosition {
    if (this.starts === undefined) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo]! };
  }
}

/** The comment holding `offset`, found by binary search in ranges sorted by start. */
function commentAt(comments: readonly CommentRange[], offset: number): CommentRange | undefined {
  let lo = 0;
  let hi = comments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = comments[mid]!;
    if (offset < c.bodyStart) hi = mid - 1;
    else if (offset >= c.bodyEnd) lo = mid + 1;
    else return c;
  }
  return undefined;
}

/** Title from the text: references, empty brackets and stray punctuation removed. */
function titleFrom(text: string, refs: readonly { start: number; end: number }[]): string {
  let out = '';
  let last = 0;
  for (const r of refs) {
    out += `${text.slice(last, r.start)} `;
    last = r.end;
  }
  out += text.slice(last);
  return out
    .replace(/\(\s*[,;]?\s*\)|\[\s*[,;]?\s*\]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s:;,.\-–—>]+/, '')
    .replace(/[\s:;,\-–—]+$/, '')
    .trim();
}

/**
 * TODOs in a text. A tag counts when it opens a comment line (after the comment marker and any
 * decoration such as ` * `), as a whole word; a tag inside a string literal or in the middle of
 * prose is not a TODO. Texts without any tag return at once without scanning comments.
 */
export function referenceParseTodos(text: string, syntax: CommentSyntax, matcher: TodoMatcher): TodoItem[] {
  const tagRegex = matcher.tagRegex;
  tagRegex.lastIndex = 0;
  const tags: RegExpExecArray[] = [];
  for (let m = tagRegex.exec(text); m !== null; m = tagRegex.exec(text)) tags.push(m);
  if (tags.length === 0) return [];
  const comments = referenceScanComments(text, syntax, 0, text.length, [], tags[tags.length - 1]!.index);
  if (comments.length === 0) return [];
  const lines = new LineIndex(text);
  const items: TodoItem[] = [];
  for (const tag of tags) {
    const at = tag.index;
    const comment = commentAt(comments, at);
    if (comment === undefined) continue;
    const lineStart = Math.max(comment.bodyStart, text.lastIndexOf('\n', at - 1) + 1);
    if (!DECORATION.test(text.slice(lineStart, at))) continue;
    const nl = text.indexOf('\n', at);
    let lineEnd = nl < 0 || nl > comment.bodyEnd ? comment.bodyEnd : nl;
    if (lineEnd > at && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    const tagText = tag[0];
    const tagEnd = at + tagText.length;
    // `TODO(alice)` or `TODO(AB#12)`: the group belongs to the tag; a new reference goes after it.
    let insertOffset = tagEnd;
    if (text.charCodeAt(tagEnd) === 40) {
      const close = text.indexOf(')', tagEnd);
      if (close >= 0 && close < lineEnd) insertOffset = close + 1;
    }
    const rawText = text.slice(tagEnd, lineEnd).replace(/\s+$/, '');
    const found = findReferences(rawText, matcher.references);
    const pos = lines.position(at);
    const textLeading = rawText.length - rawText.replace(/^\s+/, '').length;
    items.push({
      tag: tagText,
      text: rawText.trim(),
      // The `(owner)` group after the tag is not part of the title.
      title: titleFrom(
        rawText.slice(insertOffset - tagEnd),
        found.filter((f) => f.start >= insertOffset - tagEnd).map((f) => ({ start: f.start - (insertOffset - tagEnd), end: f.end - (insertOffset - tagEnd) })),
      ),
      line: pos.line,
      tagSpan: { line: pos.line, start: pos.character, end: pos.character + tagText.length },
      textSpan: { line: pos.line, start: pos.character + tagText.length + textLeading, end: pos.character + tagText.length + rawText.length },
      comment: { start: lines.position(comment.start), end: lines.position(comment.end) },
      references: found.map((f) => ({
        reference: f.reference,
        raw: f.raw,
        span: { line: pos.line, start: pos.character + tagText.length + f.start, end: pos.character + tagText.length + f.end },
      })),
      insertAt: { line: pos.line, character: pos.character + (insertOffset - at) },
    });
  }
  return items;
}
