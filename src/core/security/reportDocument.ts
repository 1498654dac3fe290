import { escapeMarkdown } from '../chat/markdown';

/**
 * A report as data (title, facts, sections of paragraphs, lists and tables), rendered to Markdown
 * and to HTML by the two functions below. Every string in it is text from wherever it came
 * (audit events, file names, services' answers): the renderers escape all of it, so nothing in a
 * report can become a link, a tag or a script.
 */
export type ReportBlock =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'table'; readonly headers: readonly string[]; readonly rows: readonly (readonly string[])[] };

export interface ReportSection {
  readonly heading: string;
  readonly blocks: readonly ReportBlock[];
}

export interface ReportDocument {
  readonly title: string;
  /** Label and value pairs under the title (generated at, workspace, result). */
  readonly facts: readonly (readonly [string, string])[];
  readonly sections: readonly ReportSection[];
}

/** One line of Markdown text: escaped, with line breaks folded (a table cell cannot hold one). */
const md = (text: string): string =>
  escapeMarkdown(text.replace(/\r\n|\r|\n/g, ' '))
    // What only means something at a line's start: a heading, a list item, a setext underline.
    .replace(/^([#+\-=])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');

export function renderMarkdown(doc: ReportDocument): string {
  const out: string[] = [`# ${md(doc.title)}`, ''];
  for (const [label, value] of doc.facts) out.push(`- **${md(label)}**: ${md(value)}`);
  for (const section of doc.sections) {
    out.push('', `## ${md(section.heading)}`);
    for (const block of section.blocks) {
      out.push('');
      if (block.kind === 'paragraph') out.push(md(block.text));
      else if (block.kind === 'list') out.push(...(block.items.length ? block.items.map((i) => `- ${md(i)}`) : ['- (none)']));
      else {
        out.push(`| ${block.headers.map(md).join(' | ')} |`, `| ${block.headers.map(() => '---').join(' | ')} |`);
        for (const row of block.rows) out.push(`| ${block.headers.map((_, i) => md(row[i] ?? '') || ' ').join(' | ')} |`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** Status words the HTML colours (the text says it too, so nothing rests on colour). */
const STATUS_CLASS: Readonly<Record<string, string>> = { passed: 'passed', failed: 'failed', 'not checked': 'not-checked' };

/**
 * A standalone page: escaped text only, and a Content-Security-Policy that allows no script, no
 * request and only the page's own style, should anything ever slip through.
 */
export function renderHtml(doc: ReportDocument): string {
  const cell = (text: string, tag: 'td' | 'th'): string => {
    const cls = STATUS_CLASS[text.toLowerCase()];
    return `<${tag}${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</${tag}>`;
  };
  const body: string[] = [`<h1>${escapeHtml(doc.title)}</h1>`, '<dl>', ...doc.facts.map(([l, v]) => `<dt>${escapeHtml(l)}</dt><dd>${escapeHtml(v)}</dd>`), '</dl>'];
  for (const section of doc.sections) {
    body.push(`<h2>${escapeHtml(section.heading)}</h2>`);
    for (const block of section.blocks) {
      if (block.kind === 'paragraph') body.push(`<p>${escapeHtml(block.text)}</p>`);
      else if (block.kind === 'list') body.push('<ul>', ...(block.items.length ? block.items.map((i) => `<li>${escapeHtml(i)}</li>`) : ['<li>(none)</li>']), '</ul>');
      else body.push('<table>', `<thead><tr>${block.headers.map((h) => cell(h, 'th')).join('')}</tr></thead>`, '<tbody>', ...block.rows.map((r) => `<tr>${block.headers.map((_, i) => cell(r[i] ?? '', 'td')).join('')}</tr>`), '</tbody>', '</table>');
    }
  }
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>${escapeHtml(doc.title)}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:75rem}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}dt{font-weight:bold}.passed{color:#146c2e}.failed{color:#b00020;font-weight:bold}.not-checked{color:#8a5a00}</style>',
    '</head>',
    '<body>',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
