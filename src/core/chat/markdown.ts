/** Small helpers for writing Markdown that shows outside text safely. */

/**
 * Escapes Markdown syntax in text from outside (titles, names) so it shows as written and cannot
 * make links, emphasis, HTML or table cells. Parentheses and `#` are harmless once `[` is escaped
 * and the text is not at the start of a line, which is how answers use it.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|~])/g, '\\$1');
}

/** Plain text of an HTML fragment (Azure Boards descriptions): tags dropped, breaks kept, entities decoded. */
export function htmlToText(html: string): string {
  const named: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return html
    .replace(/<\s*(script|style)[^>]*>[\s\S]*?<\s*\/\s*\1\s*>/gi, '')
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\s*\/\s*(p|div|li|h[1-6]|tr)\s*>/gi, '\n')
    .replace(/<\s*li[^>]*>/gi, '- ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X')) return String.fromCodePoint(parseInt(code.slice(2), 16));
      if (code.startsWith('#')) return String.fromCodePoint(Number(code.slice(1)));
      return named[code.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Cuts text to `max` characters at a word boundary, saying how much was left out. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}… (${text.length - max} more characters)`;
}

/** Text inside a fenced block that cannot be closed early by backticks in the text. */
export function fenced(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text}\n${fence}`;
}

/** Quotes text as a Markdown block quote. */
export function quote(text: string): string {
  return text
    .split('\n')
    .map((l) => `> ${escapeMarkdown(l)}`)
    .join('\n');
}
