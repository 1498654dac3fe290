/**
 * What `\s` matches in a regex and what `trim()` removes (WhiteSpace and LineTerminator), by char
 * code: the scanner and parser test single characters, and a regex test on a one-character string
 * per character costs a string and a call each.
 */
export function isWhiteSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
