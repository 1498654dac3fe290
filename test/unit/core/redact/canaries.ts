/**
 * Secret-shaped test values, assembled at run time from parts so that no token-shaped literal sits
 * in the repository (secret scanners would flag it, and a real one must never be committed).
 */
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Deterministic pseudo-random text, so a failure reproduces. */
export function fill(length: number, alphabet = ALNUM, seed = 7): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += alphabet[x % alphabet.length];
  }
  // Keep a digit in mixed alphabets: real keys have them and some rules insist on one.
  return alphabet === ALNUM ? `${out.slice(0, -1)}7` : out;
}

const join = (...parts: string[]): string => parts.join('');

export const canaries = {
  githubClassic: (kind: 'p' | 'o' | 'u' | 's' | 'r') => join('gh', kind, '_', fill(36, ALNUM, kind.charCodeAt(0))),
  githubFineGrained: () => join('github', '_pat_', fill(22), '_', fill(59, ALNUM, 3)),
  adoPatClassic: () => fill(52, BASE32, 11),
  adoPatNew: () => join(fill(52, ALNUM, 5), 'JQQJ9', fill(19, ALNUM, 6), 'AZ', 'DO', fill(4, ALNUM, 8)),
  openai: () => join('s', 'k-', fill(48, ALNUM, 13)),
  openaiProject: () => join('s', 'k-', 'proj-', fill(40, ALNUM, 17), '_', fill(20, ALNUM, 19)),
  anthropic: () => join('s', 'k-', 'ant-api03-', fill(80, ALNUM, 23)),
  google: () => join('AI', 'za', fill(35, ALNUM, 29)),
  awsAccessKeyId: () => join('AK', 'IA', fill(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 31)),
  awsSecret: () => fill(40, `${ALNUM}/+`, 37),
  jwt: () => {
    const b64url = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    return [b64url({ alg: 'HS256', typ: 'JWT' }), b64url({ sub: '1234567890', name: 'Ada', iat: 1516239022 }), fill(43, ALNUM, 41)].join('.');
  },
  privateKey: (label = 'RSA PRIVATE KEY') => join('-----BEGIN ', label, '-----\n', fill(64), '\n', fill(64, ALNUM, 43), '\n-----END ', label, '-----'),
  password: () => join('Hunter', fill(10, ALNUM, 47), '!'),
  basic: (user = 'ada', pass = 'pa55word') => Buffer.from(`${user}:${pass}`).toString('base64'),
  slack: () => join('xo', 'xb-', fill(12, '0123456789', 53), '-', fill(24, ALNUM, 59)),
  npm: () => join('np', 'm_', fill(36, ALNUM, 61)),
  storageKey: () => `${fill(86, `${ALNUM}+/`, 67)}==`,
};
