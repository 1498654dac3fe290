/**
 * Whether a key (object property, header, environment variable, CLI flag, `key=value` name)
 * names a secret, so its value is hidden whatever it looks like. Keys are split into words
 * (camelCase, snake_case, kebab-case, dotted) and only the last word or two decide: `accessToken`,
 * `GITHUB_TOKEN`, `x-api-key`, `aws_secret_access_key` are secret; `maxTokens`, `tokenType`,
 * `compat`, `monkey` are not.
 */

/** Last words that are secret on their own, and as the tail of a compound word (`accesstoken`). */
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'passwd', 'passphrase', 'passcode', 'cookie', 'credential', 'credentials', 'authorization', 'signature', 'secrets', 'passwords'];

/** Last words that are secret only as themselves (as suffixes they would catch `compat`, `monkey`). */
const SECRET_WORDS = new Set([
  'pwd', 'pat', 'sig', 'auth', 'cookies', 'apikey', 'apikeys', 'accesskey', 'privatekey', 'accountkey', 'secretkey', 'masterkey',
  'signingkey', 'subscriptionkey', 'functionskey', 'connectionstring', 'sas', 'sastoken', 'jwt', 'sessionid', 'setcookie',
]);

/** Last two words that together name a secret. */
const SECRET_PAIRS = new Set([
  'api key', 'api keys', 'private key', 'account key', 'access key', 'secret key', 'subscription key', 'functions key', 'function key',
  'master key', 'signing key', 'encryption key', 'shared key', 'connection string', 'session id', 'client key', 'auth key', 'app key',
]);

const cache = new Map<string, boolean>();
const CACHE_LIMIT = 2000;

export function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

function classify(key: string): boolean {
  const parts = words(key);
  const last = parts[parts.length - 1];
  if (last === undefined) return false;
  if (SECRET_WORDS.has(last)) return true;
  if (SECRET_SUFFIXES.some((s) => last.endsWith(s))) return true;
  const pair = parts.length >= 2 ? `${parts[parts.length - 2]} ${last}` : '';
  return SECRET_PAIRS.has(pair);
}

export function isSensitiveKey(key: string): boolean {
  let hit = cache.get(key);
  if (hit === undefined) {
    hit = classify(key);
    // Keys repeat (headers, settings, metadata); a small cache keeps redaction of objects cheap.
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, hit);
  }
  return hit;
}
