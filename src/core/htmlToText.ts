/**
 * Plain text of an HTML fragment (Azure Boards descriptions): scripts and styles dropped, breaks
 * and block ends kept as newlines, list items as `bullet` lines, entities decoded (named, decimal,
 * hex), blank runs squeezed. For hovers, tooltips and chat answers, which show text, not HTML.
 */
/**
 * The character a numeric reference stands for, as the HTML standard decodes it: zero, surrogates
 * and anything past U+10FFFF become U+FFFD (String.fromCodePoint would throw a RangeError, and one
 * bad description would break the tree, the hover and `/workitem`).
 */
function codePoint(n: number): string {
  if (!Number.isInteger(n) || n <= 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return '\uFFFD';
  return String.fromCodePoint(n);
}

export function htmlToText(html: string, bullet = '- '): string {
  const named: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return html
    .replace(/<\s*(script|style)[^>]*>[\s\S]*?<\s*\/\s*\1\s*>/gi, '')
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\s*\/\s*(p|div|li|h[1-6]|tr)\s*>/gi, '\n')
    .replace(/<\s*li[^>]*>/gi, bullet)
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
      if (code.startsWith('#x') || code.startsWith('#X')) return codePoint(parseInt(code.slice(2), 16));
      if (code.startsWith('#')) return codePoint(Number(code.slice(1)));
      return named[code.toLowerCase()] ?? whole;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
