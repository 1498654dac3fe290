/**
 * Text that has the shape of a secret but is a placeholder or an example: documentation and
 * templates are full of them (`ghp_XXXXXXXX…`, `<your-key>`, `${DB_PASSWORD}`, `sk-...`,
 * `changeme`). Such a match is not a finding.
 */
const TEMPLATE = /^\{[A-Za-z0-9_][\w.]{0,80}\}$|<[^<>\s]{1,60}>|\$\{[^}]{1,80}\}|\{\{[^}]{1,80}\}\}|\$\([^)]{1,80}\)|%\([^)]{1,80}\)s|%[A-Z_]{2,40}%|\$[A-Z_][A-Z0-9_]{2,}/;
const MASKS = /x{4,}|X{4,}|\*{3,}|\.{3,}|…|#{4,}|_{6,}|-{6,}/;
const WORDS = /example|sample|placeholder|your[-_ ]?(?:own|api|secret|token|key|pass)|yourkey|changeme|change[-_]me|dummy|redacted|replace[-_]?me|insert[-_]|fake[-_]?(?:key|token|secret|password)|not[-_]?a[-_]?(?:real|secret)/i;

/** True when the matched text is a placeholder, not a credential. */
export function isPlaceholder(matched: string): boolean {
  // A URL with a password: only the password decides (`cluster0.example.net` is a real host name).
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:([^@/\s]+)@/i.exec(matched);
  if (userinfo) return isPlaceholder(userinfo[1]!);
  // A key block is long base64 whose real padding (`AAAAAAAA` in OpenSSH keys) would look like a mask.
  if (matched.includes('PRIVATE KEY')) return /\.{3,}|…|x{8,}|X{8,}/.test(matched) || WORDS.test(matched);
  if (TEMPLATE.test(matched) || MASKS.test(matched) || WORDS.test(matched)) return true;
  // The random part of a real token has many different characters; `0000000…`, `abababab…` do not.
  const body = matched.replace(/^[a-z]{2,12}[_-]/i, '').replace(/^[a-z]+:\/\/[^:@/]*:/i, '');
  if (body.length >= 12 && new Set(body).size <= 4) return true;
  // A run of eight or more of one character is padding, not randomness.
  return /(.)\1{7,}/.test(body);
}
