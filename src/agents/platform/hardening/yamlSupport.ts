import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, type Pair, parseAllDocuments, type YAMLMap } from 'yaml';
import { newlineOf } from './textEdits';
import { type TextReplacement } from './types';

/**
 * YAML as the rules read it: every document of a file with its source positions (the `yaml`
 * package keeps offsets on every node), and text insertions that keep the file's own layout and
 * comments, so a fix is a small diff and not a re-serialised file.
 */
export interface YamlFile {
  readonly text: string;
  readonly docs: readonly Document.Parsed[];
  readonly lines: LineCounter;
}

/** A Helm or other template: `{{ ... }}` outside GitHub/Azure `${{ }}` expressions. */
const TEMPLATE = /(^|[^$])\{\{[-\s]/m;

export function parseYamlFile(text: string): { ok: true; file: YamlFile } | { ok: false; reason: string } {
  if (TEMPLATE.test(text)) return { ok: false, reason: 'a template ({{ ... }}, e.g. Helm); review the rendered manifests instead' };
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
  if (!Array.isArray(docs)) return { ok: true, file: { text, docs: [], lines } };
  const broken = docs.find((d) => d.errors.length > 0);
  if (broken) {
    const error = broken.errors[0]!;
    return { ok: false, reason: `not valid YAML (line ${error.linePos?.[0]?.line ?? '?'}: ${error.message.split('\n')[0]})` };
  }
  return { ok: true, file: { text, docs, lines } };
}

export const lineOf = (file: YamlFile, node: { range?: readonly number[] | null } | null | undefined): number =>
  node?.range ? file.lines.linePos(node.range[0]!).line : 1;

/** The pair for `key` in a map (undefined when the node is not a map or lacks the key). */
export function pairOf(node: unknown, key: string): Pair<Node, Node | null> | undefined {
  if (!isMap(node)) return undefined;
  return (node as YAMLMap<Node, Node | null>).items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
}

export function valueOf(node: unknown, key: string): Node | null | undefined {
  return pairOf(node, key)?.value;
}

/** A scalar's value (string, number, boolean, null), or undefined for maps, lists and missing keys. */
export function scalarOf(node: unknown, key: string): unknown {
  const v = valueOf(node, key);
  return isScalar(v) ? v.value : undefined;
}

export function stringOf(node: unknown, key: string): string | undefined {
  const v = scalarOf(node, key);
  return typeof v === 'string' ? v : undefined;
}

export function itemsOf(node: unknown): Node[] {
  return isSeq(node) ? (node.items as (Node | null)[]).filter((n): n is Node => n !== null) : [];
}

export function mapsOf(node: unknown): YAMLMap[] {
  return itemsOf(node).filter((n): n is YAMLMap => isMap(n));
}

/** The line of `key` in `map` (the key's own line), else the map's. */
export function keyLine(file: YamlFile, map: unknown, key: string): number {
  const pair = pairOf(map, key);
  return lineOf(file, (pair?.key as Node | undefined) ?? (map as Node));
}

function indentOfMap(file: YamlFile, map: YAMLMap): string | undefined {
  const first = map.items[0];
  const key = first && isPair(first) ? (first.key as Node | null) : null;
  if (!key?.range) return undefined;
  return ' '.repeat(file.lines.linePos(key.range[0]).col - 1);
}

/** Where a new line goes after everything `node` holds (after its last content line). */
function afterContent(text: string, end: number): number {
  let e = end;
  while (e > 0 && (text[e - 1] === '\n' || text[e - 1] === '\r' || text[e - 1] === ' ')) e--;
  const nl = text.indexOf('\n', e);
  if (nl === -1) return text.length;
  return nl > 0 && text[nl - 1] === '\r' ? nl - 1 : nl;
}

/**
 * Inserts `lines` (each `key: value`, already indented relative to the map: a line that starts
 * with two spaces nests under the line before) as the last entries of a block map. Undefined for
 * a flow map (`{ a: 1 }`) or an empty one, where the caller offers no fix.
 */
export function insertIntoMap(file: YamlFile, map: YAMLMap, lines: readonly string[]): TextReplacement | undefined {
  if (map.flow || map.items.length === 0 || !map.range) return undefined;
  const indent = indentOfMap(file, map);
  if (indent === undefined) return undefined;
  const last = map.items[map.items.length - 1]!;
  const end = ((last.value as Node | null)?.range?.[1] ?? (last.key as Node | null)?.range?.[1]) ?? map.range[1];
  const at = afterContent(file.text, end);
  const nl = newlineOf(file.text);
  return { from: at, to: at, text: lines.map((l) => `${nl}${indent}${l}`).join('') };
}

/** Replaces a scalar value (keeps the key and any comment after it). */
export function replaceScalar(node: Node | null | undefined, text: string): TextReplacement | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  return { from: node.range[0], to: node.range[1], text };
}
