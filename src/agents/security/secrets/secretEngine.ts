import { lintSource } from '@secretlint/core';
import { creator as recommendedPreset } from '@secretlint/secretlint-rule-preset-recommend';
import { type SecretLintCoreConfig } from '@secretlint/types';
import { type Finding, type Severity } from '../../runtime/plan';
import { digestOf, fingerprintOf } from '../fingerprint';
import { isPlaceholder } from './placeholders';
import { OUR_RULE_CREATORS, secretLabel } from './secretRules';

/**
 * secretlint's engine (@secretlint/core, the one @secretlint/node drives) with the recommended
 * preset and our rules, given text the runtime read. The rule modules are imported here rather
 * than named in a config for @secretlint/node to import at run time: the extension and the CLI are
 * bundles with no node_modules to import them from. A finding names the kind of secret and where
 * it is; the secret's text is hashed for the fingerprint and dropped.
 */
const CONFIG: SecretLintCoreConfig = {
  rules: [
    { id: recommendedPreset.meta.id, rule: recommendedPreset },
    ...OUR_RULE_CREATORS.map((rule) => ({ id: rule.meta.id, rule })),
  ],
};

/** Weaker than a token that grants an API on its own: a password inside a URL still needs the host to be reachable. */
const HIGH_NOT_CRITICAL = new Set(['@secretlint/secretlint-rule-basicauth', '@secretlint/secretlint-rule-database-connection-string', 'ai-devops/database-url']);

export interface SecretLocation {
  /** Workspace-relative path as findings name it; for history findings, `path` at `commit`. */
  readonly file: string;
  /** Added to the fingerprint so the same secret in an old commit is its own finding. */
  readonly commit?: string;
  /** Line numbers of `text` start here (history: the hunk's first line). */
  readonly lineOffset?: number;
}

export async function scanTextForSecrets(text: string, where: SecretLocation): Promise<Finding[]> {
  return (await secretSpans(text, where)).map((s) => s.finding);
}

/** Where each secret is, as offsets into `text`: the editor's quick fix replaces exactly that text (and only it keeps the value, in memory). */
export interface SecretSpan {
  readonly finding: Finding;
  readonly start: number;
  readonly end: number;
}

export async function secretSpans(text: string, where: SecretLocation): Promise<SecretSpan[]> {
  const result = await lintSource({
    source: { filePath: `/${where.file}`, content: text, ext: extensionOf(where.file), contentType: 'text' },
    options: { config: CONFIG, locale: 'en', maskSecrets: true },
  });
  const spans: SecretSpan[] = [];
  const seen = new Map<string, number>();
  for (const message of result.messages) {
    const [start, end] = message.range;
    const value = text.slice(start, end);
    if (isPlaceholder(value)) continue;
    const digest = digestOf(value);
    const key = `${message.ruleId}\u0000${digest}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    const line = message.loc.start.line + (where.lineOffset ?? 0);
    const label = secretLabel(message.ruleId, message.messageId);
    const severity: Severity = HIGH_NOT_CRITICAL.has(message.ruleId) ? 'high' : 'critical';
    const finding: Finding = {
      ruleId: message.ruleId,
      category: 'secrets',
      severity,
      message: `${capitalise(label)} is committed in ${where.file}${where.commit ? ` (commit ${where.commit.slice(0, 12)})` : ''}. Move it to an environment variable or a secret store, and rotate it: anyone who can read the repository has it.`,
      file: where.file,
      line,
      column: message.loc.start.column + 1,
      endLine: message.loc.end.line + (where.lineOffset ?? 0),
      fingerprint: fingerprintOf('secrets', message.ruleId, where.file, where.commit, digest, occurrence),
      ...(message.docsUrl ? { helpUri: message.docsUrl } : {}),
    };
    spans.push({ finding, start, end });
  }
  return spans;
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const extensionOf = (file: string): string => /\.[^./]+$/.exec(file)?.[0] ?? '';
