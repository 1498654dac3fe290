import { RULES, type RedactionRule } from './rules';

type Groups = Readonly<Record<string, string | undefined>>;

function apply(rule: RedactionRule, text: string): string {
  return text.replace(rule.pattern, (...args: unknown[]) => {
    // With named groups the last argument is the groups object; rules without groups get {}.
    const last = args[args.length - 1];
    const groups = (typeof last === 'object' && last !== null ? last : {}) as Groups;
    return rule.replace(args[0] as string, groups);
  });
}

/**
 * Hides secrets in free text: log lines, error messages, audit fields, prompts to cloud models.
 * Runs on every log line, so each rule is skipped unless the text holds one of its keywords
 * (one lower-casing per call), and text too short to hold a secret returns at once.
 * Redacting twice gives the same text as redacting once.
 */
export function redactText(text: string): string {
  if (text.length < 8) return text;
  const lower = text.toLowerCase();
  let out = text;
  for (const rule of RULES) {
    if (rule.keywords.length > 0 && !rule.keywords.some((k) => lower.includes(k))) continue;
    if (rule.gate && !rule.gate(out, lower)) continue;
    out = apply(rule, out);
  }
  return out;
}
