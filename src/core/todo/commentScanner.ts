import { regexFirstChars } from './regexFirstChars';
import { type CommentSyntax, type SyntaxToken } from './syntax';
import { isWhiteSpace } from './whiteSpace';

/** A comment found in a text, as offsets: the whole comment and its body without opener and closer. */
export interface CommentRange {
  readonly start: number;
  readonly end: number;
  readonly bodyStart: number;
  readonly bodyEnd: number;
}

interface CompiledToken {
  readonly token: SyntaxToken;
  /** The opener as plain text, compared directly; undefined when it is a pattern (or matched without case). */
  readonly literal: string | undefined;
  /** The opener as a sticky regex: tried at one offset, its groups read by a `close` function. */
  readonly sticky: RegExp;
  /** Sticky one-character class: a match right before the opener makes it something else. */
  readonly notAfter: RegExp | undefined;
}

interface CompiledSyntax {
  /**
   * Finds the next offset where a token may open; `test` is used, not `exec`, so no match array
   * is built per token. With `byFirstChar`: a sticky regex that steps over text without any
   * opener's first character and over whole simple strings (one-character quotes, complete on
   * their line), so a string-heavy file is read natively, not token by token; lastIndex lands
   * where it stops. Otherwise a lookahead over all openers; lastIndex lands on the opener.
   */
  readonly finder: RegExp;
  /** Tokens, in priority order, that can open with a given character (ASCII code); undefined for none. */
  readonly byFirstChar: readonly (readonly CompiledToken[] | undefined)[] | undefined;
  readonly tokens: readonly CompiledToken[];
}

const compiledCache = new WeakMap<CommentSyntax, CompiledSyntax>();

const openerSource = (token: SyntaxToken): string => {
  switch (token.kind) {
    case 'char':
      return "'";
    case 'regex':
      return '/';
    default:
      return token.open;
  }
};

/** The text a regex source matches when it is plain text with escaped punctuation, else undefined. */
function plainText(source: string): string | undefined {
  return /^(?:[^\\^$.*+?()[\]{}|]|\\[^A-Za-z0-9])+$/.test(source) ? source.replace(/\\(.)/g, '$1') : undefined;
}

const unicodeEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** At most this many steps per finder call: bounds the regex engine's backtrack stack on huge files. */
const MAX_SKIP_STEPS = 512;

function compile(syntax: CommentSyntax): CompiledSyntax {
  const cached = compiledCache.get(syntax);
  if (cached) return cached;
  const flags = syntax.caseInsensitive ? 'mi' : 'm';
  const tokens: CompiledToken[] = syntax.tokens.map((token) => {
    const source = openerSource(token);
    const notAfter = 'notAfter' in token && token.notAfter !== undefined ? new RegExp(`[${token.notAfter}]`, 'y') : undefined;
    return { token, literal: syntax.caseInsensitive ? undefined : plainText(source), sticky: new RegExp(source, `${flags}y`), notAfter };
  });
  const table: (CompiledToken[] | undefined)[] = [];
  const firsts = new Set<string>();
  let dispatch = true;
  for (const compiled of tokens) {
    const chars = regexFirstChars(openerSource(compiled.token), syntax.caseInsensitive === true);
    if (chars === undefined || [...chars].some((c) => c.charCodeAt(0) > 127)) {
      dispatch = false;
      break;
    }
    for (const c of chars) {
      firsts.add(c);
      (table[c.charCodeAt(0)] ??= []).push(compiled);
    }
  }
  let finder: RegExp;
  if (dispatch) {
    const steps = [`[^${[...firsts].map(unicodeEscape).join('')}]+`];
    for (const c of firsts) {
      const step = simpleStringStep(table[c.charCodeAt(0)]!, syntax.caseInsensitive === true);
      if (step !== undefined) steps.push(step);
    }
    // `m`: an excluded opener may use `^` or `$` for line ends, as in its own sticky regex.
    finder = new RegExp(`(?:${steps.join('|')}){0,${MAX_SKIP_STEPS}}`, 'my');
  } else {
    finder = new RegExp(`(?=${syntax.tokens.map((t) => `(?:${openerSource(t)})`).join('|')})`, `${flags}g`);
  }
  const compiled: CompiledSyntax = { finder, byFirstChar: dispatch ? table : undefined, tokens };
  compiledCache.set(syntax, compiled);
  return compiled;
}

/**
 * A regex source for a whole string of `token` when it is a simple string: a one-character quote
 * closing itself, single-line or not, backslash escapes or none; a char literal or its lone quote.
 * Matches exactly what stringEnd (or the `char` case) would step over when the string closes.
 */
function simpleStringSource(token: SyntaxToken): string | undefined {
  if (token.kind === 'char') return `${CHAR_LITERAL.source}|'`;
  if (token.kind !== 'string' || token.docstring || token.notAfter !== undefined || typeof token.close !== 'string') return undefined;
  const open = plainText(token.open);
  if (open === undefined || open.length !== 1 || token.close !== open) return undefined;
  const quote = unicodeEscape(open);
  const stop = token.multiline ? quote : `${quote}\\n`;
  if (token.escape === 'backslash') return `${quote}(?:[^${stop}\\\\]|\\\\[^])*${quote}`;
  if (token.escape === 'none') return `${quote}[^${stop}]*${quote}`;
  return undefined;
}

/**
 * The finder's step over a complete simple string opening with one character, or undefined.
 * The tokens are those that can open with that character, in priority order: a simple string
 * wins where no token before it opens, so the step excludes their openers by lookahead (Python
 * `"""` before `"`, C# `\$*"""` before `"`); where one of them opens, the finder stops and the
 * token path decides as before. An unterminated string also stops the finder.
 */
function simpleStringStep(candidates: readonly CompiledToken[], caseInsensitive: boolean): string | undefined {
  // The finder has no `i` flag; an opener matched without case would need one.
  if (caseInsensitive) return undefined;
  let exclude = '';
  for (const { token } of candidates) {
    const simple = simpleStringSource(token);
    if (simple !== undefined) return `${exclude}(?:${simple})`;
    exclude += `(?!${openerSource(token)})`;
  }
  return undefined;
}

/** Where `token` opens at `index`: the offset just past its opener, or -1. */
function openerEnd(text: string, index: number, compiled: CompiledToken): number {
  const literal = compiled.literal;
  if (literal !== undefined) return text.startsWith(literal, index) ? index + literal.length : -1;
  const sticky = compiled.sticky;
  sticky.lastIndex = index;
  return sticky.test(text) ? sticky.lastIndex : -1;
}

/** The opener's match, for a `close` function that reads its groups. */
function openerMatch(text: string, index: number, compiled: CompiledToken): RegExpExecArray {
  const sticky = compiled.sticky;
  sticky.lastIndex = index;
  const m = sticky.exec(text);
  if (m === null) throw new Error(`opener ${sticky.source} matched by test but not by exec`);
  return m;
}

/** One character before the opener is in the token's `notAfter` class. */
function isAfterExcluded(text: string, index: number, from: number, compiled: CompiledToken): boolean {
  const notAfter = compiled.notAfter;
  if (notAfter === undefined || index <= from) return false;
  notAfter.lastIndex = index - 1;
  return notAfter.test(text);
}

const isBlank = (code: number): boolean => code === 32 || code === 9;

/** Python string prefix letters (`r`, `u`, `b`, `f`, either case) that may stand before a docstring's quotes. */
const isStringPrefix = (code: number): boolean => {
  const lower = code | 32;
  return lower === 114 || lower === 117 || lower === 98 || lower === 102;
};

/** Only blanks (and, for Python docstrings, string prefix letters) between the line start and `index`. */
function startsItsLine(text: string, index: number, from: number, allowPrefix = false): boolean {
  let i = index - 1;
  if (allowPrefix) while (i >= from && isStringPrefix(text.charCodeAt(i))) i--;
  for (; i >= from; i--) {
    const code = text.charCodeAt(i);
    if (code === 10) return true;
    if (!isBlank(code)) return false;
  }
  return true;
}

/** Offset just past the closer, or `to` when the string runs off the end (or, single-line, off its line). */
function stringEnd(text: string, from: number, to: number, closer: string, escape: string, multiline: boolean): number {
  if (escape === 'none' && multiline) {
    const at = text.indexOf(closer, from);
    return at < 0 || at + closer.length > to ? to : at + closer.length;
  }
  const first = closer.charCodeAt(0);
  const escapeCode = escape === 'backslash' ? 92 : escape === 'backtick' ? 96 : -1;
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === escapeCode) {
      i++;
      continue;
    }
    if (code === 10 && !multiline) return i;
    if (code === first && text.startsWith(closer, i)) {
      if (escape === 'double' && text.startsWith(closer, i + closer.length)) {
        i += 2 * closer.length - 1;
        continue;
      }
      return i + closer.length;
    }
  }
  return to;
}

/** Offset just past the closer of a (possibly nesting) block comment; `to` when unterminated. */
function blockEnd(text: string, from: number, to: number, opener: string, closer: string, nested: boolean): { bodyEnd: number; end: number } {
  let depth = 1;
  let i = from;
  while (i < to) {
    const close = text.indexOf(closer, i);
    if (close < 0 || close + closer.length > to) break;
    if (nested) {
      const open = text.indexOf(opener, i);
      if (open >= 0 && open < close) {
        depth++;
        i = open + opener.length;
        continue;
      }
    }
    depth--;
    if (depth === 0) return { bodyEnd: close, end: close + closer.length };
    i = close + closer.length;
  }
  return { bodyEnd: to, end: to };
}

const CHAR_LITERAL = /'(?:\\(?:x[0-9a-fA-F]{1,2}|u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|[0-7]{1,3}|.)|[^'\\\n])'/y;
const REGEX_AFTER_WORD = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|throw|new|delete|void|yield|await|instanceof)$/;

/** A `/` starts a JavaScript regex literal when no value stands before it (not after `)`, `]`, an identifier or a number). */
function regexLiteralEnd(text: string, index: number, to: number): number | undefined {
  let k = index - 1;
  while (k >= 0 && isBlank(text.charCodeAt(k))) k--;
  const before = k < 0 ? '\n' : text[k]!;
  if (/[\w$)\]}]/.test(before) || before === '"' || before === "'" || before === '`') {
    if (!/\w/.test(before) || !REGEX_AFTER_WORD.test(text.slice(Math.max(0, k - 11), k + 1))) return undefined;
  }
  let inClass = false;
  for (let i = index + 1; i < to; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) return undefined;
    if (code === 92) i++;
    else if (code === 91) inClass = true;
    else if (code === 93) inClass = false;
    else if (code === 47 && !inClass) return i + 1;
  }
  return undefined;
}

/**
 * Finds every comment in `text[from, to)` for a language. Strings are skipped, so a comment marker
 * inside a string literal is not a comment; block comments may span lines; code may precede a
 * comment on its line. An unterminated comment or string runs to `to`. Linear in the text length;
 * with `stopAfter`, no token starting after that offset is read (the TODO parser stops at its last tag).
 */
export function scanComments(text: string, syntax: CommentSyntax, from = 0, to = text.length, out: CommentRange[] = [], stopAfter = to): CommentRange[] {
  const { finder, byFirstChar, tokens } = compile(syntax);
  let pos = from;
  while (pos < to) {
    finder.lastIndex = pos;
    let index: number;
    if (byFirstChar === undefined) {
      if (!finder.test(text)) break;
      index = finder.lastIndex;
    } else {
      finder.test(text);
      index = finder.lastIndex;
      if (index >= text.length) break;
      if (byFirstChar[text.charCodeAt(index)] === undefined) {
        pos = index;
        continue;
      }
    }
    // Nothing that starts after `stopAfter` matters to the caller; what starts before it is finished.
    if (index >= to || index > stopAfter) break;
    // The first token (in the syntax's order) whose opener matches here wins, as in one alternation.
    const candidates = byFirstChar === undefined ? tokens : byFirstChar[text.charCodeAt(index)]!;
    let hit: CompiledToken | undefined;
    let after = -1;
    for (let k = 0; k < candidates.length; k++) {
      after = openerEnd(text, index, candidates[k]!);
      if (after >= 0) {
        hit = candidates[k];
        break;
      }
    }
    if (hit === undefined || after === index) {
      pos = index + 1;
      continue;
    }
    const token = hit.token;
    switch (token.kind) {
      case 'line': {
        const at = token.at ?? 'anywhere';
        const okPosition =
          at === 'anywhere' ||
          (at === 'lineStart' && startsItsLine(text, index, from)) ||
          (at === 'afterSpace' && (index === from || isWhiteSpace(text.charCodeAt(index - 1))));
        if (!okPosition || isAfterExcluded(text, index, from, hit)) {
          pos = index + 1;
          break;
        }
        const nl = text.indexOf('\n', after);
        const next = nl < 0 || nl > to ? to : nl;
        const contentEnd = next > after && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
        out.push({ start: index, end: contentEnd, bodyStart: after, bodyEnd: contentEnd });
        pos = next;
        break;
      }
      case 'block': {
        if (token.lineStart && !startsItsLine(text, index, from)) {
          pos = index + 1;
          break;
        }
        const closer = typeof token.close === 'function' ? token.close(openerMatch(text, index, hit)) : token.close;
        const nested = token.nested === true;
        const { bodyEnd, end } = blockEnd(text, after, to, nested ? text.slice(index, after) : '', closer, nested);
        out.push({ start: index, end, bodyStart: after, bodyEnd });
        pos = end;
        break;
      }
      case 'string': {
        if (isAfterExcluded(text, index, from, hit)) {
          pos = index + 1;
          break;
        }
        const closer = typeof token.close === 'function' ? token.close(openerMatch(text, index, hit)) : token.close;
        const end = stringEnd(text, after, to, closer, token.escape, token.multiline);
        if (token.docstring && startsItsLine(text, index, from, true)) {
          const bodyEnd = text.endsWith(closer, end) && end - closer.length >= after ? end - closer.length : end;
          out.push({ start: index, end, bodyStart: after, bodyEnd });
        }
        pos = end > index ? end : index + 1;
        break;
      }
      case 'char': {
        CHAR_LITERAL.lastIndex = index;
        pos = CHAR_LITERAL.test(text) ? CHAR_LITERAL.lastIndex : index + 1;
        break;
      }
      case 'skip':
        pos = after;
        break;
      case 'regex': {
        pos = regexLiteralEnd(text, index, to) ?? index + 1;
        break;
      }
      case 'embed': {
        const closeAt = indexOfCaseless(text, token.close, after);
        const innerEnd = closeAt < 0 || closeAt > to ? to : closeAt;
        scanComments(text, token.syntax(), after, innerEnd, out, stopAfter);
        pos = innerEnd + (closeAt < 0 ? 0 : token.close.length);
        break;
      }
    }
  }
  return out;
}

/** `</script>` may be written `</SCRIPT>`; search without lower-casing the whole text. */
const caselessCache = new Map<string, RegExp>();
function indexOfCaseless(text: string, needle: string, from: number): number {
  let re = caselessCache.get(needle);
  if (re === undefined) {
    re = new RegExp(needle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'gi');
    caselessCache.set(needle, re);
  }
  re.lastIndex = from;
  return re.exec(text)?.index ?? -1;
}
