import { isSensitiveKey } from './sensitiveKeys';

/**
 * Secret rules for text. No npm package fits (see docs/core.md): secretlint's rules need Node 22
 * and an async, file-oriented engine; gitleaks is a Go binary whose RE2 rules are not JavaScript
 * RegExps. These follow the same shapes (a cheap keyword pre-filter, then one RegExp per rule).
 *
 * Every replacement keeps the surrounding syntax (header name, scheme, quotes, `key=`) so redacted
 * JSON stays JSON and a redacted log line still says what was there.
 */
export interface RedactionRule {
  readonly id: string;
  /** Lower-case substrings; the rule runs only when the lower-cased text holds one. Empty: always. */
  readonly keywords: readonly string[];
  /** A further cheap test, run after the keywords pass, before the RegExp. */
  readonly gate?: (text: string, lower: string) => boolean;
  readonly pattern: RegExp;
  readonly replace: (match: string, groups: Readonly<Record<string, string | undefined>>) => string;
}

export const marker = (id: string): string => `[REDACTED:${id}]`;
/** Already-redacted text is left alone, so redacting twice changes nothing. */
const NOT_REDACTED = '(?!\\[REDACTED)';
/** After optional blanks: a value never starts with one (else backtracking would skip the check above). */
const VALUE_START = '(?![ \\t]|\\[REDACTED)';

const AUTH_SCHEME = /^(?:basic|bearer|token|digest|negotiate|ntlm|sharedkey|sharedaccesssignature|aws4-hmac-sha256|pat|apikey)$/i;
/** True when `text` has a run of at least `length` characters from [a-z2-7] (a loop beats the RegExp here). */
function hasBase32Run(text: string, length: number): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 50 && c <= 55)) {
      if (++run >= length) return true;
    } else run = 0;
  }
  return false;
}

/** A sensitive word right before a `:` or `=`: without one the assignment rule cannot match. */
const ASSIGNMENT_GATE = /(?:pass|pwd|token|secret|key|auth|cookie|credential|sig|pat|session|jwt|sas)[\w.-]*["']?[ \t]*[:=]/;

const hasTokenChars = (s: string): boolean => /[0-9\-._~+/=]/.test(s);

/** `Basic <base64>` outside a header is only a credential when it decodes to `user:password`. */
function isBasicCredential(b64: string): boolean {
  try {
    const decoded = atob(b64);
    return decoded.includes(':') && /^[\x20-\x7e]+$/.test(decoded);
  } catch {
    return false;
  }
}

const QUERY_KEYS = [
  'access_token', 'refresh_token', 'id_token', 'token', 'api_key', 'api-key', 'apikey', 'key', 'sig', 'signature', 'x-amz-signature',
  'x-amz-credential', 'x-amz-security-token', 'x-goog-signature', 'x-goog-credential', 'client_secret', 'password', 'passwd', 'pwd',
  'secret', 'code', 'auth', 'jwt', 'private_token', 'sessionid', 'session_token',
];

const AWS_PREFIXES = ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'AGPA', 'AIDA', 'AROA', 'AIPA', 'ANPA', 'ANVA', 'APKA'];

const FLAG_NAMES = '(?:[a-z0-9]+[-_])*(?:password|passwd|token|secret|api-?key|pat|access-key|client-secret|auth-token|private-key)';

export const RULES: readonly RedactionRule[] = [
  {
    id: 'private-key',
    keywords: ['private key'],
    // A key cut off by a truncated log line is redacted to the end of the text.
    pattern: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----|$)/g,
    replace: () => marker('private-key'),
  },
  {
    id: 'url-credentials',
    keywords: ['://'],
    gate: (text) => text.includes('@'),
    pattern: /(?<scheme>\b[a-z][a-z0-9+.-]{0,30}:\/\/)(?<user>[^\s/?#@:"'<>]*)(?::(?<pass>[^\s/?#@"'<>]*))?@/gi,
    replace: (m, g) => {
      const user = g.user ?? '';
      if (user.startsWith('[REDACTED')) return m;
      if (g.pass !== undefined) return g.pass.startsWith('[REDACTED') ? m : `${g.scheme}${user}:${marker('password')}@`;
      // `https://<token>@host` carries the token as the user name; `ssh://git@host` does not.
      return user.length >= 16 && !user.startsWith('[REDACTED') ? `${g.scheme}${marker('url-credentials')}@` : m;
    },
  },
  {
    id: 'authorization',
    keywords: ['authorization'],
    pattern: new RegExp(
      `\\b(?<name>(?:proxy-)?authorization)(?<sep>["']?\\s*[:=]\\s*["']?)(?:(?<scheme>basic|bearer|token|digest|negotiate|ntlm|sharedkey|sharedaccesssignature|aws4-hmac-sha256|pat|apikey)\\s+)?${NOT_REDACTED}(?<cred>[^\\s"',;]+)`,
      'gi',
    ),
    replace: (m, g) => {
      // A second pass sees `Bearer [REDACTED…]`: the scheme word alone is not a credential.
      if (!g.scheme && AUTH_SCHEME.test(g.cred ?? '')) return m;
      return `${g.name}${g.sep}${g.scheme ? `${g.scheme} ` : ''}${marker('authorization')}`;
    },
  },
  {
    id: 'bearer',
    keywords: ['bearer'],
    pattern: /\b(?<word>bearer)\s+(?<tok>[A-Za-z0-9\-._~+/]{8,}=*)/gi,
    replace: (m, g) => (hasTokenChars(g.tok ?? '') ? `${g.word} ${marker('bearer')}` : m),
  },
  {
    id: 'basic-auth',
    keywords: ['basic'],
    pattern: /\b(?<word>basic)\s+(?<b64>[A-Za-z0-9+/]{6,}={0,2})(?![A-Za-z0-9+/=])/gi,
    replace: (m, g) => (isBasicCredential(g.b64 ?? '') ? `${g.word} ${marker('basic-auth')}` : m),
  },
  {
    id: 'github-token',
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,251})(?![A-Za-z0-9_])/g,
    replace: () => marker('github-token'),
  },
  {
    id: 'api-key',
    keywords: ['sk-'],
    // OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-) and Anthropic (sk-ant-) keys.
    pattern: /\bsk-[A-Za-z0-9_-]{20,}/g,
    replace: (m) => (/\d/.test(m) ? marker('api-key') : m),
  },
  {
    id: 'google-api-key',
    keywords: ['aiza'],
    pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
    replace: () => marker('google-api-key'),
  },
  {
    id: 'aws-access-key',
    keywords: [...AWS_PREFIXES.map((p) => p.toLowerCase()), 'a3t'],
    pattern: new RegExp(`\\b(?:A3T[A-Z0-9]|${AWS_PREFIXES.join('|')})[A-Z0-9]{16}\\b`, 'g'),
    replace: () => marker('aws-access-key'),
  },
  {
    id: 'jwt',
    keywords: ['eyj'],
    pattern: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g,
    replace: () => marker('jwt'),
  },
  {
    id: 'slack-token',
    keywords: ['xox'],
    pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
    replace: () => marker('slack-token'),
  },
  {
    id: 'slack-webhook',
    keywords: ['hooks.slack.com'],
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows)\/[A-Za-z0-9/_-]+/g,
    replace: () => marker('slack-webhook'),
  },
  {
    id: 'npm-token',
    keywords: ['npm_'],
    pattern: /\bnpm_[A-Za-z0-9]{36}\b/g,
    replace: () => marker('npm-token'),
  },
  {
    id: 'azure-devops-pat',
    keywords: ['azdo'],
    // The 84-character format carries the `AZDO` signature at position 76.
    pattern: /\b[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}\b/g,
    replace: () => marker('azure-devops-pat'),
  },
  {
    id: 'azure-devops-pat',
    keywords: [],
    gate: (text) => text.length >= 52 && hasBase32Run(text, 52),
    // The classic format: 52 characters of lower-case base32. Nothing else in a log looks like that
    // (hashes are hex, so they hold 0, 1, 8 or 9), so it is redacted without a keyword nearby.
    pattern: /\b[a-z2-7]{52}\b/g,
    replace: () => marker('azure-devops-pat'),
  },
  {
    id: 'url-param',
    keywords: ['='],
    pattern: new RegExp(`(?<prefix>[?&#](?:${QUERY_KEYS.join('|')})=)${NOT_REDACTED}(?<val>[^&#\\s"'<>]+)`, 'gi'),
    replace: (_m, g) => `${g.prefix}${marker('url-param')}`,
  },
  {
    id: 'connection-string',
    keywords: ['accountkey', 'sharedaccess', 'password', 'pwd', 'primarykey', 'secondarykey'],
    pattern: new RegExp(
      `\\b(?<key>AccountKey|SharedAccessKey|SharedAccessSignature|Password|Pwd|PrimaryKey|SecondaryKey)\\s*=\\s*${VALUE_START}(?<val>"[^"]*"|'[^']*'|[^;"'\\r\\n]+)`,
      'gi',
    ),
    replace: (_m, g) => `${g.key}=${marker('connection-string')}`,
  },
  {
    id: 'cookie',
    keywords: ['cookie'],
    pattern: new RegExp(`\\b(?<name>(?:set-)?cookie)(?<sep>["']?[ \\t]*:[ \\t]*)${VALUE_START}(?<val>"[^"\\r\\n]*"?|'[^'\\r\\n]*'?|[^\\r\\n]+)`, 'gi'),
    replace: (_m, g) => {
      const q = g.val?.[0] === '"' || g.val?.[0] === "'" ? g.val[0] : '';
      return `${g.name}${g.sep}${q}${marker('cookie')}${q}`;
    },
  },
  {
    id: 'secret-flag',
    keywords: ['--', ' -'],
    pattern: new RegExp(`(?<flag>(?<![\\w-])--?${FLAG_NAMES}[ \\t]+)${NOT_REDACTED}(?<val>(?!-)[^\\s"']+)`, 'gi'),
    replace: (_m, g) => `${g.flag}${marker('secret')}`,
  },
  {
    id: 'secret-assignment',
    keywords: ['pass', 'pwd', 'token', 'secret', 'key', 'auth', 'cookie', 'credential', 'sig', 'pat', 'session', 'jwt', 'sas'],
    gate: (_text, lower) => ASSIGNMENT_GATE.test(lower),
    // `name: value`, `name=value`, `"name": "value"`, `NAME=value`, YAML, .env, CLI `--name=value`.
    pattern: /(?<key>[A-Za-z_][A-Za-z0-9_.-]{0,80})(?<sep>["']?[ \t]*[:=][ \t]*)(?<val>"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|[^\s"',;&<>{}()[\]]+)/g,
    replace: (m, g) => {
      const val = g.val ?? '';
      if (!isSensitiveKey(g.key ?? '')) return m;
      const q = val[0] === '"' || val[0] === "'" ? val[0] : '';
      const inner = q ? val.slice(1, -1) : val;
      if (/^(?:|true|false|null|undefined|none|\*+)$/i.test(inner) || inner.startsWith('[REDACTED') || inner.startsWith('$')) return m;
      // `Authorization: Bearer x` was handled above; leave the scheme word to the bearer/basic rules.
      if (AUTH_SCHEME.test(inner)) return m;
      return `${g.key}${g.sep}${q}${marker('secret')}${q}`;
    },
  },
];
