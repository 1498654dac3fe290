import { XMLParser } from 'fast-xml-parser';
import { DevOpsError } from '../../../core/errors';

/**
 * One XML reader for the reports runners write (JUnit, Cobertura, TRX): attributes as plain keys,
 * the elements that repeat always arrays, no value coercion (a test named "1e3" stays a string),
 * entity expansion bounded by the library (a "billion laughs" report is refused, not expanded).
 */
export type XmlNode = Record<string, unknown>;

/**
 * The bounds count only entities a report declares itself (`appliesTo: 'external'`, which the
 * library reads but its types do not list yet): `&amp;` and `&lt;` fill real failure messages,
 * and a 10,000-test report has far more than 1,000 of them.
 */
const ENTITY_LIMITS = { enabled: true, maxEntityCount: 50, maxTotalExpansions: 1000, maxExpandedLength: 100_000, appliesTo: 'external' };

export function parseXml(text: string, what: string, arrays: ReadonlySet<string>): XmlNode {
  const parser = new XMLParser({
    ignoreAttributes: false,
    // Prefixed: node:test writes a `failure` attribute and a <failure> element on the same testcase.
    attributeNamePrefix: '@_',
    textNodeName: '#text',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    isArray: (name) => arrays.has(name),
    processEntities: ENTITY_LIMITS,
  });
  try {
    const doc: unknown = parser.parse(text, true);
    if (doc === null || typeof doc !== 'object') throw new Error('no document');
    return doc as XmlNode;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DevOpsError('badResponse', `${what} is not well-formed XML (${reason}).`);
  }
}

/** Character references the parser leaves in attribute values (`&#10;` for a newline in pytest's messages). */
const decodeRefs = (s: string): string =>
  s.includes('&#')
    ? s.replace(/&#(x[0-9A-Fa-f]{1,6}|[0-9]{1,7});/g, (ref, code: string) => {
        const n = code.startsWith('x') ? parseInt(code.slice(1), 16) : Number(code);
        return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : ref;
      })
    : s;

export const attr = (node: XmlNode, name: string): string | undefined => {
  const v = node[`@_${name}`];
  return typeof v === 'string' ? decodeRefs(v) : typeof v === 'number' ? String(v) : undefined;
};

export const children = (node: XmlNode, name: string): XmlNode[] => {
  const v = node[name];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (x !== null && typeof x === 'object' ? (x as XmlNode) : { '#text': x === '' || x === undefined ? '' : String(x) }));
};

/** The text of an element: its own text node, or the element itself when it has no attributes. */
export const textOf = (node: XmlNode | undefined): string => {
  if (!node) return '';
  const t = node['#text'];
  return typeof t === 'string' ? decodeRefs(t) : t === undefined ? '' : String(t);
};

export const numberAttr = (node: XmlNode, name: string): number | undefined => {
  const v = attr(node, name);
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
};
