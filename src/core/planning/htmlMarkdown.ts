import { htmlToText } from '../htmlToText';

/**
 * An Azure Boards description (HTML) as Markdown the epic parser can read: headings become `#`
 * headings and list items `- ` lines, everything else plain text. Enough to decompose an epic
 * whose description has sections; formatting inside paragraphs is dropped.
 */
export function htmlToMarkdown(html: string): string {
  const withHeadings = html.replace(/<\s*h([1-6])[^>]*>([\s\S]*?)<\s*\/\s*h\1\s*>/gi, (_all, level: string, inner: string) => `\n${'#'.repeat(Number(level))} ${htmlToText(inner).replace(/\n+/g, ' ')}\n`);
  return htmlToText(withHeadings)
    .replace(/^(#{1,6} .*)$/gm, '\n$1\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
