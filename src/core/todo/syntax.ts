/**
 * The shape of a language's comment and string syntax, as the comment scanner needs it. A syntax
 * is a list of tokens; the scanner looks for the leftmost token opener, so a token listed first
 * wins a tie at the same position (list `"""` before `"`, `--[[` before `--`).
 *
 * `open` is a regular-expression source (use `lit()` for plain text). A `close` function gets the
 * opener's match, so a closer can depend on it (Rust `r##"` closes with `"##`, Lua `[==[` with `]==]`).
 */
export type Escape = 'backslash' | 'double' | 'backtick' | 'none';

export interface LineCommentToken {
  readonly kind: 'line';
  readonly open: string;
  /** `lineStart`: only first on its line (Dockerfile `#`, batch `REM`); `afterSpace`: at line start or after a blank (shell `#`, so `a#b` and `$#` are code). */
  readonly at?: 'anywhere' | 'lineStart' | 'afterSpace';
  /** Regex character-class body: a character of it right before the opener makes it code (LaTeX `\%`). */
  readonly notAfter?: string;
}

export interface BlockCommentToken {
  readonly kind: 'block';
  readonly open: string;
  readonly close: string | ((match: RegExpExecArray) => string);
  /** Rust, Swift, Kotlin, Haskell, OCaml, Lisp `#| |#` nest; C does not. */
  readonly nested?: boolean;
  /** Ruby `=begin`, MATLAB `%{`: the opener must start its line. */
  readonly lineStart?: boolean;
}

export interface StringToken {
  readonly kind: 'string';
  readonly open: string;
  readonly close: string | ((match: RegExpExecArray) => string);
  readonly escape: Escape;
  readonly multiline: boolean;
  /** Python: a triple-quoted string that starts a statement is documentation, scanned as a comment. */
  readonly docstring?: boolean;
  /** Regex character-class body: a character of it right before the opener makes it something else (MATLAB `a'` is a transpose). */
  readonly notAfter?: string;
}

/** `'x'` in C-like languages, where `'` alone is also a Rust lifetime or a Haskell prime: a string only when it closes at once. */
export interface CharToken {
  readonly kind: 'char';
}

/** Text to step over unread: Erlang `$%` (the character %), Clojure `\;` (the character ;). */
export interface SkipToken {
  readonly kind: 'skip';
  readonly open: string;
}

/** JavaScript regex literals, told from division by the character before them. */
export interface RegexLiteralToken {
  readonly kind: 'regex';
}

/** Another language inside this one (`<script>` in HTML, Vue, Svelte). */
export interface EmbedToken {
  readonly kind: 'embed';
  readonly open: string;
  readonly close: string;
  readonly syntax: () => CommentSyntax;
}

export type SyntaxToken = LineCommentToken | BlockCommentToken | StringToken | CharToken | SkipToken | RegexLiteralToken | EmbedToken;

export interface CommentSyntax {
  readonly name: string;
  readonly tokens: readonly SyntaxToken[];
  /** Matching is case-insensitive for every opener (batch files, SQL keywords are not involved). */
  readonly caseInsensitive?: boolean;
}

/** Regex source for a literal opener. */
export const lit = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
