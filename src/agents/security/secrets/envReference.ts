/**
 * The quick fix "move this secret to an environment variable": which variable name to suggest
 * and how the file should read it instead, in the file's own language. A secret that is a whole
 * string literal in code becomes the language's environment lookup; anywhere else (a config file,
 * part of a connection string) it becomes `${NAME}`, which compose files, most config loaders and
 * shells expand.
 */
export interface TextChange {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

const NAMES: readonly [RegExp, string][] = [
  [/github/, 'GITHUB_TOKEN'],
  [/azure-devops-pat/, 'AZURE_DEVOPS_PAT'],
  [/azure-storage/, 'AZURE_STORAGE_KEY'],
  [/service-bus/, 'SERVICE_BUS_KEY'],
  [/gemini/, 'GEMINI_API_KEY'],
  [/watsonx/, 'WATSONX_APIKEY'],
  [/openai/, 'OPENAI_API_KEY'],
  [/anthropic/, 'ANTHROPIC_API_KEY'],
  [/slack/, 'SLACK_TOKEN'],
  [/aws/, 'AWS_SECRET_ACCESS_KEY'],
  [/npm/, 'NPM_TOKEN'],
  [/database|basicauth/, 'DATABASE_PASSWORD'],
  [/privatekey/, 'PRIVATE_KEY'],
];

export function suggestedVariable(ruleId: string): string {
  return NAMES.find(([re]) => re.test(ruleId))?.[1] ?? 'SECRET';
}

export const isVariableName = (name: string): boolean => /^[A-Z_][A-Z0-9_]{0,100}$/.test(name);

function lookup(file: string, name: string, text: string): { expr: string; extra?: TextChange } | undefined {
  if (/\.[cm]?[jt]sx?$/.test(file)) return { expr: `process.env.${name}` };
  if (/\.py$/.test(file)) return { expr: `os.environ["${name}"]`, ...(/^\s*import os\b/m.test(text) ? {} : { extra: { start: 0, end: 0, text: 'import os\n' } }) };
  if (/\.cs$/.test(file)) return { expr: `Environment.GetEnvironmentVariable("${name}")` };
  if (/\.ps1$/.test(file)) return { expr: `$env:${name}` };
  if (/\.go$/.test(file)) return { expr: `os.Getenv("${name}")` };
  if (/\.java$/.test(file)) return { expr: `System.getenv("${name}")` };
  return undefined;
}

/** The changes that replace the secret at [start, end) with a reference to `name`. */
export function envReferenceChanges(file: string, text: string, start: number, end: number, name: string): TextChange[] {
  const before = text[start - 1];
  const after = text[end];
  const quoted = before !== undefined && before === after && ['"', "'", '`'].includes(before);
  const code = quoted ? lookup(file, name, text) : undefined;
  if (code) return [...(code.extra ? [code.extra] : []), { start: start - 1, end: end + 1, text: code.expr }];
  return [{ start, end, text: `\${${name}}` }];
}

/** `.env` text with `NAME=value` set (replacing an existing line for NAME), quoted when it needs to be. */
export function withDotenvEntry(existing: string, name: string, value: string): string {
  const quotedValue = /[\s#"'\\]/.test(value) || value.includes('\n') ? JSON.stringify(value) : value;
  const lines = existing.split('\n').filter((l, i, all) => !(l === '' && i === all.length - 1));
  const at = lines.findIndex((l) => new RegExp(`^\\s*(?:export\\s+)?${name}=`).test(l));
  if (at >= 0) lines[at] = `${name}=${quotedValue}`;
  else lines.push(`${name}=${quotedValue}`);
  return `${lines.join('\n')}\n`;
}

/** True when a .gitignore text already ignores `.env` at the root. */
export function ignoresDotenv(gitignore: string): boolean {
  return gitignore.split('\n').map((l) => l.trim()).some((l) => l === '.env' || l === '/.env' || l === '.env*' || l === '*.env');
}
