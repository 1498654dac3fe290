/** Small helpers for writing Markdown that shows outside text safely. */

/**
 * Escapes Markdown syntax in text from outside (titles, names) so it shows as written and cannot
 * make links, emphasis, HTML or table cells. Parentheses and `#` are harmless once `[` is escaped
 * and the text is not at the start of a line, which is how answers use it.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>|~])/g, '\\$1');
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
