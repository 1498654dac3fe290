import { badRequest, type AdoHttpError } from '../http/errors';
import { type CompareOp, type Expr, type FieldRef, type LinkMode, type Macro, type Query, type Value } from './ast';

/*
 * query   := SELECT field {, field} FROM (WorkItems | WorkItemLinks) [WHERE expr]
 *            [ORDER BY field [ASC|DESC] {, ...}] [ASOF 'date'] [MODE (mode)]
 * expr    := and {OR and};  and := unary {AND unary};  unary := NOT unary | '(' expr ')' | clause
 * clause  := field (op value | [NOT] IN '(' value {, value} ')' | [NOT] UNDER value
 *            | [NOT] CONTAINS [WORDS] value | [NOT] EVER value)
 * value   := 'text' | number | TRUE | FALSE | @macro [(arg)] [(+|-) number] | field
 * field   := [Name] | Name | [Source].[Name] | [Target].[Name]
 */

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'field'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'macro'; text: string; at: number }
  | { kind: 'punct'; text: string; at: number };

const syntax = (message: string): AdoHttpError => badRequest('WorkItemTrackingQuerySyntaxException', message);

function unexpected(token: Token | undefined, expecting: string): AdoHttpError {
  if (!token) return syntax(`TF51006: The query statement ended unexpectedly. Expecting ${expecting}.`);
  const shown = 'text' in token ? token.text : String(token.value);
  return syntax(`TF51004: Found unexpected '${shown}' at position ${token.at + 1}. Expecting ${expecting}.`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const at = i;
    if (c === '[') {
      const end = text.indexOf(']', i);
      if (end < 0) throw syntax(`TF51004: A field name starting at position ${at + 1} has no closing ']'.`);
      tokens.push({ kind: 'field', text: text.slice(i + 1, end).trim(), at });
      i = end + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw syntax(`TF51004: The string starting at position ${at + 1} has no closing quote.`);
        if (text[i] === c) {
          if (text[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i];
        i++;
      }
      tokens.push({ kind: 'string', text: value, at });
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ kind: 'number', value: Number(num[0]), at });
      i += num[0].length;
      continue;
    }
    const op = /^(<>|!=|>=|<=|=|<|>|\(|\)|,|\+|-|\.)/.exec(text.slice(i));
    if (op) {
      tokens.push({ kind: 'punct', text: op[0] === '!=' ? '<>' : op[0], at });
      i += op[0].length;
      continue;
    }
    const word = /^@?[A-Za-z_][\w.]*/.exec(text.slice(i));
    if (word) {
      tokens.push(word[0].startsWith('@') ? { kind: 'macro', text: word[0].slice(1), at } : { kind: 'word', text: word[0], at });
      i += word[0].length;
      continue;
    }
    throw syntax(`TF51004: Found unexpected character '${c}' at position ${at + 1}.`);
  }
  return tokens;
}

const MACROS: Readonly<Record<string, Macro>> = {
  me: 'me',
  project: 'project',
  today: 'today',
  currentiteration: 'currentiteration',
  startofday: 'startofday',
  startofweek: 'startofweek',
  startofmonth: 'startofmonth',
  startofyear: 'startofyear',
};

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.text.toLowerCase() === word;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'punct' && t.text === text;
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) throw unexpected(this.peek(), word.toUpperCase());
    this.pos++;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) throw unexpected(this.peek(), `'${text}'`);
    this.pos++;
  }

  parse(): Query {
    if (!this.isWord('select')) throw syntax('TF51003: The query statement must start with SELECT.');
    this.pos++;
    const fields = [this.field()];
    while (this.isPunct(',')) {
      this.pos++;
      fields.push(this.field());
    }
    if (!this.isWord('from')) throw syntax('TF51006: The query statement is missing a FROM clause.');
    this.pos++;
    const source = this.peek();
    const from = source?.kind === 'word' || source?.kind === 'field' ? source.text.toLowerCase() : '';
    if (from !== 'workitems' && from !== 'workitemlinks') throw unexpected(source, 'WorkItems or WorkItemLinks');
    this.pos++;
    let where: Expr | undefined;
    if (this.isWord('where')) {
      this.pos++;
      where = this.or();
    }
    const orderBy: { field: FieldRef; descending: boolean }[] = [];
    if (this.isWord('order')) {
      this.pos++;
      this.expectWord('by');
      do {
        if (orderBy.length > 0) this.pos++;
        const field = this.field();
        let descending = false;
        if (this.isWord('desc')) {
          descending = true;
          this.pos++;
        } else if (this.isWord('asc')) this.pos++;
        orderBy.push({ field, descending });
      } while (this.isPunct(','));
    }
    let asOf = this.asOf();
    let mode: LinkMode | undefined;
    if (this.isWord('mode')) {
      this.pos++;
      this.expectPunct('(');
      const t = this.peek();
      const name = t?.kind === 'word' ? t.text.toLowerCase() : '';
      if (!['mustcontain', 'maycontain', 'doesnotcontain', 'recursive'].includes(name)) throw unexpected(t, 'MustContain, MayContain, DoesNotContain or Recursive');
      mode = name as LinkMode;
      this.pos++;
      // `MODE (Recursive, ReturnMatchingChildren)`: the second option is the service's default.
      while (this.isPunct(',')) this.pos += 2;
      this.expectPunct(')');
    }
    // The service takes ASOF before or after MODE.
    asOf ??= this.asOf();
    if (this.peek()) throw unexpected(this.peek(), 'the end of the query');
    if (mode && from !== 'workitemlinks') throw syntax('TF51010: MODE can only be used in a query FROM WorkItemLinks.');
    return { fields, from, where, orderBy, asOf, mode: from === 'workitemlinks' ? (mode ?? 'mustcontain') : undefined };
  }

  private asOf(): string | undefined {
    if (!this.isWord('asof')) return undefined;
    this.pos++;
    const t = this.peek();
    if (t?.kind !== 'string') throw unexpected(t, 'a date in quotes after ASOF');
    this.pos++;
    return t.text;
  }

  private field(): FieldRef {
    const t = this.peek();
    if (t?.kind !== 'field' && t?.kind !== 'word') throw unexpected(t, 'a field name');
    this.pos++;
    const first = t.text;
    const lower = first.toLowerCase();
    if ((lower === 'source' || lower === 'target') && this.isPunct('.')) {
      this.pos++;
      const inner = this.peek();
      if (inner?.kind !== 'field' && inner?.kind !== 'word') throw unexpected(inner, 'a field name after ' + first + '.');
      this.pos++;
      return { end: lower, name: inner.text };
    }
    const dotted = /^(source|target)\.(.+)$/i.exec(first);
    if (dotted && t.kind === 'word') return { end: (dotted[1] as string).toLowerCase() as 'source' | 'target', name: dotted[2] as string };
    return { name: first };
  }

  private or(): Expr {
    let left = this.and();
    while (this.isWord('or')) {
      this.pos++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Expr {
    let left = this.unary();
    while (this.isWord('and')) {
      this.pos++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isWord('not')) {
      this.pos++;
      return { kind: 'not', expr: this.unary() };
    }
    if (this.isPunct('(')) {
      this.pos++;
      const inner = this.or();
      this.expectPunct(')');
      return inner;
    }
    return this.clause();
  }

  private clause(): Expr {
    const field = this.field();
    let negate = false;
    if (this.isWord('not')) {
      negate = true;
      this.pos++;
    }
    if (this.isWord('in')) {
      this.pos++;
      this.expectPunct('(');
      const values = [this.value()];
      while (this.isPunct(',')) {
        this.pos++;
        values.push(this.value());
      }
      this.expectPunct(')');
      return { kind: 'in', field, values, negate };
    }
    if (this.isWord('under')) {
      this.pos++;
      return { kind: 'under', field, value: this.value(), negate };
    }
    if (this.isWord('contains')) {
      this.pos++;
      let words = false;
      if (this.isWord('words')) {
        words = true;
        this.pos++;
      }
      return { kind: 'contains', field, value: this.value(), negate, words };
    }
    if (this.isWord('ever')) {
      this.pos++;
      return { kind: 'ever', field, value: this.value(), negate };
    }
    if (negate) throw unexpected(this.peek(), 'IN, UNDER, CONTAINS or EVER after NOT');
    const t = this.peek();
    if (t?.kind !== 'punct' || !['=', '<>', '>', '<', '>=', '<='].includes(t.text)) throw unexpected(t, 'a comparison operator');
    this.pos++;
    return { kind: 'compare', field, op: t.text as CompareOp, value: this.value() };
  }

  private value(): Value {
    const t = this.peek();
    if (!t) throw unexpected(t, 'a value');
    if (t.kind === 'string') {
      this.pos++;
      return { kind: 'string', value: t.text };
    }
    if (t.kind === 'number') {
      this.pos++;
      return { kind: 'number', value: t.value };
    }
    if (t.kind === 'punct' && t.text === '-' && this.peek(1)?.kind === 'number') {
      this.pos += 2;
      return { kind: 'number', value: -(this.tokens[this.pos - 1] as { value: number }).value };
    }
    if (t.kind === 'word' && (t.text.toLowerCase() === 'true' || t.text.toLowerCase() === 'false')) {
      this.pos++;
      return { kind: 'boolean', value: t.text.toLowerCase() === 'true' };
    }
    if (t.kind === 'macro') {
      const macro = MACROS[t.text.toLowerCase()];
      if (!macro) throw syntax(`TF51011: The macro @${t.text} is not supported. Supported macros: @Me, @Project, @Today, @CurrentIteration, @StartOfDay, @StartOfWeek, @StartOfMonth, @StartOfYear.`);
      this.pos++;
      let argument: string | undefined;
      if (this.isPunct('(') && this.peek(1)?.kind === 'string') {
        this.pos++;
        argument = (this.peek() as { text: string }).text;
        this.pos++;
        this.expectPunct(')');
      }
      let offset = 0;
      if (this.isPunct('+') || this.isPunct('-')) {
        const sign = (this.peek() as { text: string }).text === '-' ? -1 : 1;
        this.pos++;
        const n = this.peek();
        if (n?.kind !== 'number') throw unexpected(n, 'a number after the macro offset sign');
        this.pos++;
        offset = sign * n.value;
      }
      return { kind: 'macro', macro, offset, ...(argument !== undefined ? { argument } : {}) };
    }
    if (t.kind === 'field' || t.kind === 'word') return { kind: 'field', field: this.field() };
    throw unexpected(t, 'a value');
  }
}

export function parseWiql(text: string): Query {
  if (text.length > 32_000) throw syntax('VS402334: The query is longer than 32000 characters. Shorten it.');
  return new Parser(tokenize(text)).parse();
}
