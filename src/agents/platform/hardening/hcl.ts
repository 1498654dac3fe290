import { hclLanguage } from 'codemirror-lang-hcl';
import { type LineCounter } from 'yaml';
import { lineCounterFor } from './textEdits';

type SyntaxNode = ReturnType<typeof hclLanguage.parser.parse>['topNode'];

/**
 * HCL (Terraform) read with the Lezer HCL grammar of the npm package `codemirror-lang-hcl`: a
 * complete HCL 2 syntax tree with offsets for every block, attribute and expression, so rules and
 * validators report exact lines and fixes replace exactly one value. A file with a syntax error is
 * reported with the line of the first error and not reviewed.
 */
export interface HclAttribute {
  readonly name: string;
  readonly line: number;
  readonly from: number;
  readonly to: number;
  readonly valueFrom: number;
  readonly valueTo: number;
  /** The expression as written. */
  readonly valueText: string;
  /** The value when the expression is a literal (string without interpolation, number, bool, null). */
  readonly literal: string | number | boolean | null | undefined;
}

export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly line: number;
  readonly from: number;
  readonly to: number;
  /** Just after `{`: where a new first attribute goes. */
  readonly openBrace: number;
  readonly attributes: ReadonlyMap<string, HclAttribute>;
  readonly blocks: readonly HclBlock[];
}

export interface HclFile {
  readonly text: string;
  readonly blocks: readonly HclBlock[];
  readonly lines: LineCounter;
}

export type HclParse = { ok: true; file: HclFile } | { ok: false; line: number; reason: string };

export function parseHcl(text: string): HclParse {
  const tree = hclLanguage.parser.parse(text);
  const lines = lineCounterFor(text);
  let error: number | undefined;
  tree.iterate({
    enter: (n) => {
      if (error !== undefined) return false;
      if (n.type.isError) error = n.from;
      return undefined;
    },
  });
  if (error !== undefined) {
    const line = lines.linePos(error).line;
    const shown = text.split('\n')[line - 1]?.trim().slice(0, 80) ?? '';
    return { ok: false, line, reason: `not valid HCL: syntax error at line ${line}${shown ? ` (${shown})` : ''}` };
  }
  const body = tree.topNode.getChild('Body');
  return { ok: true, file: { text, lines, blocks: body ? blocksOf(body, text, lines) : [] } };
}

function blocksOf(body: SyntaxNode, text: string, lines: LineCounter): HclBlock[] {
  return body.getChildren('Block').map((b) => blockOf(b, text, lines));
}

function blockOf(node: SyntaxNode, text: string, lines: LineCounter): HclBlock {
  const type = text.slice(node.getChild('BlockType')?.from ?? node.from, node.getChild('BlockType')?.to ?? node.from);
  const labels = node.getChildren('BlockLabel').map((l) => {
    const raw = text.slice(l.from, l.to);
    return raw.startsWith('"') ? unquote(raw.slice(1, -1)) : raw;
  });
  const open = node.getChild('{');
  const body = node.getChild('Body');
  const attributes = new Map<string, HclAttribute>();
  for (const a of body?.getChildren('Attribute') ?? []) {
    const id = a.getChild('Identifier');
    const expr = a.getChild('Expression');
    if (!id || !expr) continue;
    const name = text.slice(id.from, id.to);
    attributes.set(name, { name, line: lines.linePos(a.from).line, from: a.from, to: a.to, valueFrom: expr.from, valueTo: expr.to, valueText: text.slice(expr.from, expr.to), literal: literalOf(expr, text) });
  }
  return {
    type,
    labels,
    line: lines.linePos(node.from).line,
    from: node.from,
    to: node.to,
    openBrace: open ? open.to : node.from,
    attributes,
    blocks: body ? blocksOf(body, text, lines) : [],
  };
}

function literalOf(expr: SyntaxNode, text: string): HclAttribute['literal'] {
  const lit = expr.getChild('LiteralValue');
  if (!lit) return undefined;
  const inner = lit.firstChild;
  if (!inner) return undefined;
  const raw = text.slice(inner.from, inner.to);
  switch (inner.name) {
    case 'BoolLit':
      return raw === 'true';
    case 'NumericLit':
      return Number(raw);
    case 'NullLit':
      return null;
    case 'StringLit': {
      const parts = inner.getChildren('TemplateLiteral');
      return unquote(parts.map((p) => text.slice(p.from, p.to)).join(''));
    }
    default:
      return undefined;
  }
}

function unquote(raw: string): string {
  return raw.replace(/\\(["\\nrt])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}
