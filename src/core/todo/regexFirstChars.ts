/**
 * The characters a match of a regular-expression source can start with, so the comment scanner
 * can look for those characters alone and try only the tokens that can open there.
 *
 * The answer may be too large (lookarounds and `\b` are ignored, which only adds candidates) but
 * never too small. Anything this reader does not follow (classes, `.`, `\d`, escapes by code,
 * back-references, a source that can match empty) gives `undefined`: the caller then tries every
 * token everywhere, which is slower but still right.
 */

type First = Set<string> | 'any';

interface Piece {
  readonly first: First;
  /** The piece can match the empty string, so what follows it can start the match too. */
  readonly nullable: boolean;
}

class Unsupported extends Error {}

const CONTROL_ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v' };

function union(a: First, b: First): First {
  if (a === 'any' || b === 'any') return 'any';
  const out = new Set(a);
  for (const c of b) out.add(c);
  return out;
}

class Reader {
  private i = 0;
  constructor(private readonly source: string) {}

  all(): Piece {
    const piece = this.alternation();
    if (this.i !== this.source.length) throw new Unsupported();
    return piece;
  }

  private alternation(): Piece {
    let first: First = new Set();
    let nullable = false;
    for (;;) {
      const alternative = this.sequence();
      first = union(first, alternative.first);
      nullable ||= alternative.nullable;
      if (this.source[this.i] !== '|') return { first, nullable };
      this.i++;
    }
  }

  private sequence(): Piece {
    let first: First = new Set();
    let nullable = true;
    while (this.i < this.source.length && this.source[this.i] !== '|' && this.source[this.i] !== ')') {
      const atom = this.atom();
      const optional = this.quantifier();
      if (nullable) first = union(first, atom.first);
      nullable &&= atom.nullable || optional;
    }
    return { first, nullable };
  }

  /** Reads a quantifier if one follows; true when it allows zero repetitions. */
  private quantifier(): boolean {
    const s = this.source;
    const c = s[this.i];
    let optional: boolean;
    if (c === '?' || c === '*') {
      optional = true;
      this.i++;
    } else if (c === '+') {
      optional = false;
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(?:,\d*)?\}/.exec(s.slice(this.i));
      // Outside unicode mode a `{` that is not a quantifier is a plain character; let atom() read it.
      if (m === null) return false;
      optional = Number(m[1]) === 0;
      this.i += m[0].length;
    } else {
      return false;
    }
    if (s[this.i] === '?') this.i++;
    return optional;
  }

  private atom(): Piece {
    const s = this.source;
    const c = s[this.i]!;
    if (c === '\\') return this.escape();
    if (c === '[') {
      this.skipClass();
      return { first: 'any', nullable: false };
    }
    if (c === '(') return this.group();
    this.i++;
    if (c === '^' || c === '$') return { first: new Set(), nullable: true };
    if (c === '.') return { first: 'any', nullable: false };
    if (c === '*' || c === '+' || c === '?') throw new Unsupported();
    return { first: new Set([c]), nullable: false };
  }

  private escape(): Piece {
    const c = this.source[this.i + 1];
    this.i += 2;
    if (c === undefined) throw new Unsupported();
    if (c === 'b' || c === 'B') return { first: new Set(), nullable: true };
    if ('dDwWsS'.includes(c)) return { first: 'any', nullable: false };
    const control = CONTROL_ESCAPES[c];
    if (control !== undefined) return { first: new Set([control]), nullable: false };
    // Escapes by code (\x41, \u0041, \cA, \0), back-references and \p{..}: not followed here.
    if (/[A-Za-z0-9]/.test(c)) throw new Unsupported();
    return { first: new Set([c]), nullable: false };
  }

  private skipClass(): void {
    const s = this.source;
    this.i++;
    while (this.i < s.length && s[this.i] !== ']') this.i += s[this.i] === '\\' ? 2 : 1;
    if (this.i >= s.length) throw new Unsupported();
    this.i++;
  }

  private group(): Piece {
    const s = this.source;
    this.i++;
    let lookaround = false;
    if (s[this.i] === '?') {
      const rest = s.slice(this.i);
      if (rest.startsWith('?:')) this.i += 2;
      else if (rest.startsWith('?=') || rest.startsWith('?!')) {
        lookaround = true;
        this.i += 2;
      } else if (rest.startsWith('?<=') || rest.startsWith('?<!')) {
        lookaround = true;
        this.i += 3;
      } else {
        const named = /^\?<[A-Za-z_$][\w$]*>/.exec(rest);
        if (named === null) throw new Unsupported();
        this.i += named[0].length;
      }
    }
    const inner = this.alternation();
    if (s[this.i] !== ')') throw new Unsupported();
    this.i++;
    // A lookaround consumes nothing; ignoring what it demands only adds candidates.
    return lookaround ? { first: new Set(), nullable: true } : inner;
  }
}

/**
 * First characters of any non-empty match of `source`, both cases when `caseInsensitive`;
 * `undefined` when the source is beyond this reader or can match the empty string.
 */
export function regexFirstChars(source: string, caseInsensitive: boolean): ReadonlySet<string> | undefined {
  let piece: Piece;
  try {
    piece = new Reader(source).all();
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  if (piece.first === 'any' || piece.nullable || piece.first.size === 0) return undefined;
  if (!caseInsensitive) return piece.first;
  const out = new Set<string>();
  for (const c of piece.first) {
    // Case folding outside ASCII has its own rules; not worth following for comment openers.
    if (c.charCodeAt(0) > 127) return undefined;
    out.add(c.toLowerCase());
    out.add(c.toUpperCase());
  }
  return out;
}
