import { type CommentRange, scanComments } from './commentScanner';
import { syntaxForLanguageId, syntaxForPath } from './languages';
import { findReferences, type ReferenceOptions, type WorkItemReference } from './references';
import { type CommentSyntax } from './syntax';
import { isWhiteSpace } from './whiteSpace';

/** Zero-based line and UTF-16 column, as VS Code counts them. */
export interface TextPosition {
  readonly line: number;
  readonly character: number;
}

/** Columns `[start, end)` on one line. */
export interface LineSpan {
  readonly line: number;
  readonly start: number;
  readonly end: number;
}

export interface TodoReference {
  readonly reference: WorkItemReference;
  readonly span: LineSpan;
  readonly raw: string;
}

export interface TodoItem {
  /** The tag as written (`TODO`, `FIXME`, ...). */
  readonly tag: string;
  /** Everything after the tag on its line, references included (`(AB#12): retry on 429`). */
  readonly text: string;
  /** The text without references, brackets and leading punctuation: a work item title. */
  readonly title: string;
  readonly line: number;
  readonly tagSpan: LineSpan;
  readonly textSpan: LineSpan;
  /** The whole comment holding the TODO (a block comment may span lines). */
  readonly comment: { readonly start: TextPosition; readonly end: TextPosition };
  readonly references: readonly TodoReference[];
  /** Where ` AB#77` goes when the TODO gets linked: right after the tag and its `(owner)` group. */
  readonly insertAt: TextPosition;
}

/** What the parser needs: compile once with compileTodoMatcher, reuse for every file. */
export interface TodoMatcher {
  readonly tags: readonly string[];
  /** Any tag as a whole word. */
  readonly tagRegex: RegExp;
  readonly references: ReferenceOptions;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function compileTodoMatcher(tags: readonly string[], references: ReferenceOptions): TodoMatcher {
  const unique = [...new Set(tags.filter((t) => t.length > 0))].sort((a, b) => b.length - a.length);
  const alternation = unique.map(escapeRegex).join('|');
  // No tags means no TODOs: a regex that never matches, rather than one that matches '' forever.
  const tagRegex = unique.length === 0 ? /(?!)/g : new RegExp(`(?<![\\w])(?:${alternation})(?![\\w])`, 'g');
  return { tags: unique, tagRegex, references };
}

/** Between the start of a comment line and its tag, only decoration may stand: blanks, `*`, `/`, `#`, `;`, `%`, `!`, `-`, `=`, `|`, `@`. */
function isDecoration(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    // * / # ; % ! = | @ -
    if (code === 42 || code === 47 || code === 35 || code === 59 || code === 37 || code === 33 || code === 61 || code === 124 || code === 64 || code === 45) continue;
    if (!isWhiteSpace(code)) return false;
  }
  return true;
}

/**
 * Line starts, found only as far as asked: the parser asks in order of its tags, and a file's
 * last tag is often far from its end.
 */
class LineIndex {
  private readonly starts = [0];
  /** Every newline before this offset is in `starts`. */
  private scanned = 0;
  constructor(private readonly text: string) {}
  position(offset: number): TextPosition {
    if (offset >= this.scanned) this.scanPast(offset);
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
  private scanPast(offset: number): void {
    const text = this.text;
    let nl = text.indexOf('\n', this.scanned);
    while (nl >= 0 && nl < offset) {
      this.starts.push(nl + 1);
      nl = text.indexOf('\n', nl + 1);
    }
    // The newline ending the line of `offset` is recorded too, so `scanned` passes `offset`.
    if (nl >= 0) {
      this.starts.push(nl + 1);
      this.scanned = nl + 1;
    } else {
      this.scanned = text.length + 1;
    }
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

const EMPTY_BRACKETS = /\(\s*[,;]?\s*\)|\[\s*[,;]?\s*\]/g;

/** What a title drops in front: white space and `: ; , . - – — >`. */
const isTitleLead = (code: number): boolean =>
  code === 58 || code === 59 || code === 44 || code === 46 || code === 45 || code === 0x2013 || code === 0x2014 || code === 62 || isWhiteSpace(code);
/** What a title drops at its end: white space and `: ; , - – —`. */
const isTitleTail = (code: number): boolean => code === 58 || code === 59 || code === 44 || code === 45 || code === 0x2013 || code === 0x2014 || isWhiteSpace(code);

/** White space other than a lone plain space: only then does a title need its runs collapsed. */
const COLLAPSIBLE = /[^\S ]| {2}/;

/**
 * Title from the text: references and empty brackets removed, stray punctuation cut from both
 * ends, each run of white space made one space. Loops only over the few characters at the ends
 * and regexes only when a bracket or odd white space is there: this runs once per TODO, and a
 * chain of four replaces per title was a tenth of a cold parse.
 */
function titleFrom(text: string, refs: readonly { start: number; end: number }[], refsFrom: number): string {
  let out = '';
  let last = 0;
  for (const r of refs) {
    if (r.start < refsFrom) continue;
    out += `${text.slice(last, r.start - refsFrom)} `;
    last = r.end - refsFrom;
  }
  out = last === 0 ? text : out + text.slice(last);
  if (out.includes('(') || out.includes('[')) out = out.replace(EMPTY_BRACKETS, ' ');
  let start = 0;
  while (start < out.length && isTitleLead(out.charCodeAt(start))) start++;
  let end = out.length;
  while (end > start && isTitleTail(out.charCodeAt(end - 1))) end--;
  const title = out.slice(start, end);
  // Both ends are not white space now, so every run lies inside.
  return COLLAPSIBLE.test(title) ? title.replace(/\s+/g, ' ') : title;
}

/**
 * TODOs in a text. A tag counts when it opens a comment line (after the comment marker and any
 * decoration such as ` * `), as a whole word; a tag inside a string literal or in the middle of
 * prose is not a TODO. Texts without any tag return at once without scanning comments.
 */
export function parseTodos(text: string, syntax: CommentSyntax, matcher: TodoMatcher): TodoItem[] {
  const tagRegex = matcher.tagRegex;
  tagRegex.lastIndex = 0;
  const tags: RegExpExecArray[] = [];
  for (let m = tagRegex.exec(text); m !== null; m = tagRegex.exec(text)) tags.push(m);
  if (tags.length === 0) return [];
  const comments = scanComments(text, syntax, 0, text.length, [], tags[tags.length - 1]!.index);
  if (comments.length === 0) return [];
  const lines = new LineIndex(text);
  const items: TodoItem[] = [];
  for (const tag of tags) {
    const at = tag.index;
    const comment = commentAt(comments, at);
    if (comment === undefined) continue;
    const lineStart = Math.max(comment.bodyStart, text.lastIndexOf('\n', at - 1) + 1);
    if (!isDecoration(text, lineStart, at)) continue;
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
    let textEnd = lineEnd;
    while (textEnd > tagEnd && isWhiteSpace(text.charCodeAt(textEnd - 1))) textEnd--;
    let textStart = tagEnd;
    while (textStart < textEnd && isWhiteSpace(text.charCodeAt(textStart))) textStart++;
    const rawText = text.slice(tagEnd, textEnd);
    const found = findReferences(rawText, matcher.references);
    const pos = lines.position(at);
    const textLeading = textStart - tagEnd;
    items.push({
      tag: tagText,
      text: textLeading === 0 ? rawText : rawText.slice(textLeading),
      // The `(owner)` group after the tag is not part of the title.
      title: titleFrom(rawText.slice(insertOffset - tagEnd), found, insertOffset - tagEnd),
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

/** parseTodos for an editor document (by VS Code language id); unknown languages have no TODOs. */
export function parseTodosForLanguage(text: string, languageId: string, matcher: TodoMatcher): TodoItem[] {
  const syntax = syntaxForLanguageId(languageId);
  return syntax === undefined ? [] : parseTodos(text, syntax, matcher);
}

/** parseTodos for a file on disk (language from its name); unknown languages have no TODOs. */
export function parseTodosForPath(text: string, filePath: string, matcher: TodoMatcher): TodoItem[] {
  const syntax = syntaxForPath(filePath);
  return syntax === undefined ? [] : parseTodos(text, syntax, matcher);
}
