// The comment scanner as it was before the first-character dispatch (commit 65b81f8), kept unchanged as an
// oracle: the differential tests in commentScanner.test.ts check the current scanner finds the same comments.
import { type CommentSyntax, type SyntaxToken } from '../../../../src/core/todo/syntax';

/** A comment found in a text, as offsets: the whole comment and its body without opener and closer. */
interface CommentRange {
  readonly start: number;
  readonly end: number;
  readonly bodyStart: number;
  readonly bodyEnd: number;
}

interface CompiledSyntax {
  /** All openers as one alternation, so one `exec` jumps to the next place that matters. */
  readonly regex: RegExp;
  /** Token and the index of the capture group that wraps its opener. */
  readonly groups: readonly { readonly token: SyntaxToken; readonly group: number; readonly notAfter: RegExp | undefined }[];
}

const compiledCache = new WeakMap<CommentSyntax, CompiledSyntax>();

const defaultOpener = (token: SyntaxToken): string => {
  switch (token.kind) {
    case 'char':
      return "'";
    case 'regex':
      return '/';
    default:
      return token.open;
  }
};

/** Number of capture groups a regex source has (an empty alternative makes it match ''). */
const groupCount = (source: string): number => (new RegExp(`${source}|`).exec('') ?? []).length - 1;

function compile(syntax: CommentSyntax): CompiledSyntax {
  const cached = compiledCache.get(syntax);
  if (cached) return cached;
  const groups: { token: SyntaxToken; group: number; notAfter: RegExp | undefined }[] = [];
  const parts: string[] = [];
  let next = 1;
  for (const token of syntax.tokens) {
    const source = defaultOpener(token);
    const notAfter = 'notAfter' in token && token.notAfter !== undefined ? new RegExp(`[${token.notAfter}]`) : undefined;
    groups.push({ token, group: next, notAfter });
    parts.push(`(${source})`);
    next += 1 + groupCount(source);
  }
  const flags = syntax.caseInsensitive ? 'gmi' : 'gm';
  const compiled = { regex: new RegExp(parts.join('|'), flags), groups };
  compiledCache.set(syntax, compiled);
  return compiled;
}

const isBlank = (code: number): boolean => code === 32 || code === 9;

/** Only blanks (and, for Python docstrings, string prefix letters) between the line start and `index`. */
function startsItsLine(text: string, index: number, from: number, allowPrefix = false): boolean {
  let i = index - 1;
  if (allowPrefix) while (i >= from && /[rRuUbBfF]/.test(text[i]!)) i--;
  for (; i >= from; i--) {
    const code = text.charCodeAt(i);
    if (code === 10) return true;
    if (!isBlank(code)) return false;
  }
  return true;
}

/** End of the line holding `index` (the offset of its `\n`, or `to`), without a trailing `\r`. */
function lineEndFrom(text: string, index: number, to: number): { contentEnd: number; next: number } {
  const nl = text.indexOf('\n', index);
  const end = nl < 0 || nl > to ? to : nl;
  const contentEnd = end > index && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
  return { contentEnd, next: end };
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
export function referenceScanComments(text: string, syntax: CommentSyntax, from = 0, to = text.length, out: CommentRange[] = [], stopAfter = to): CommentRange[] {
  const { regex, groups } = compile(syntax);
  let pos = from;
  while (pos < to) {
    regex.lastIndex = pos;
    const m = regex.exec(text);
    // Nothing that starts after `stopAfter` matters to the caller; what starts before it is finished.
    if (m === null || m.index >= to || m.index > stopAfter) break;
    const index = m.index;
    const after = index + m[0].length;
    const hit = groups.find((g) => m[g.group] !== undefined);
    if (hit === undefined || m[0].length === 0) {
      pos = index + 1;
      continue;
    }
    const token = hit.token;
    // The token's own groups start right after its wrapping group; re-base them for closers.
    const own = Object.assign([m[hit.group]!, ...m.slice(hit.group + 1)], { index, input: text }) as unknown as RegExpExecArray;
    switch (token.kind) {
      case 'line': {
        const at = token.at ?? 'anywhere';
        const okPosition =
          at === 'anywhere' ||
          (at === 'lineStart' && startsItsLine(text, index, from)) ||
          (at === 'afterSpace' && (index === from || /\s/.test(text[index - 1]!)));
        const escaped = hit.notAfter !== undefined && index > from && hit.notAfter.test(text[index - 1]!);
        if (!okPosition || escaped) {
          pos = index + 1;
          break;
        }
        const { contentEnd, next } = lineEndFrom(text, after, to);
        out.push({ start: index, end: contentEnd, bodyStart: after, bodyEnd: contentEnd });
        pos = next;
        break;
      }
      case 'block': {
        if (token.lineStart && !startsItsLine(text, index, from)) {
          pos = index + 1;
          break;
        }
        const closer = typeof token.close === 'function' ? token.close(own) : token.close;
        const { bodyEnd, end } = blockEnd(text, after, to, m[hit.group]!, closer, token.nested === true);
        out.push({ start: index, end, bodyStart: after, bodyEnd });
        pos = end;
        break;
      }
      case 'string': {
        if (hit.notAfter !== undefined && index > from && hit.notAfter.test(text[index - 1]!)) {
          pos = index + 1;
          break;
        }
        const closer = typeof token.close === 'function' ? token.close(own) : token.close;
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
        referenceScanComments(text, token.syntax(), after, innerEnd, out, stopAfter);
        pos = innerEnd + (closeAt < 0 ? 0 : token.close.length);
        break;
      }
    }
  }
  return out;
}

/** `</script>` may be written `</SCRIPT>`; search without lower-casing the whole text. */
function indexOfCaseless(text: string, needle: string, from: number): number {
  const re = new RegExp(needle.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'gi');
  re.lastIndex = from;
  return re.exec(text)?.index ?? -1;
}
