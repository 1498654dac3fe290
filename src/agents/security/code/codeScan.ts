import { Linter } from 'eslint/universal';
import * as tsParser from '@typescript-eslint/parser';
import { isDevOpsError } from '../../../core/errors';
import { type AgentContext } from '../../runtime/context';
import { type Finding } from '../../runtime/plan';
import { digestOf, fingerprintOf } from '../fingerprint';
import { type EslintPass, ruleDocs, SDL_PASS, SECURITY_PASS, severityOfRule } from './eslintPasses';

export const SCRIPT_GLOBS = ['**/*.js', '**/*.jsx', '**/*.mjs', '**/*.cjs', '**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const TYPESCRIPT = /\.[cm]?tsx?$/;
/** Bundles and minified files are build output, not code anyone reviews. */
const GENERATED = /\.min\.[cm]?js$|(^|\/)(vendor|bundle|dist)\//;
const MAX_FILES = 20_000;

let linter: Linter | undefined;

/**
 * JavaScript and TypeScript through ESLint's Linter (its Node API for text the caller read), once
 * per pass. A file one parser cannot read is named in a note, not reported as clean code.
 */
export async function scanCode(ctx: AgentContext, only?: readonly string[]): Promise<{ findings: Finding[]; notes: string[]; files: number; truncated: boolean }> {
  const listed = only ? undefined : await ctx.files.list(SCRIPT_GLOBS, { max: MAX_FILES });
  const paths = (only ?? listed!.paths).filter((p) => SCRIPT_GLOBS.some((g) => p.endsWith(g.slice('**/*'.length))) && !GENERATED.test(p));
  linter ??= new Linter({ configType: 'flat' });
  const findings: Finding[] = [];
  const unparsed: string[] = [];
  const crashed: string[] = [];
  let files = 0;
  for (const path of paths) {
    if (ctx.signal.aborted) break;
    const file = await ctx.files.read(path).catch((e: unknown) => (isDevOpsError(e) && e.code === 'invalidInput' ? undefined : Promise.reject(e)));
    if (!file) continue;
    files++;
    const lines = file.text.split('\n');
    const seen = new Map<string, number>();
    for (const pass of [SECURITY_PASS, SDL_PASS]) {
      let messages: Linter.LintMessage[];
      try {
        messages = linter.verify(file.text, [configFor(pass, path)], { filename: path });
      } catch (error) {
        // A plugin rule that throws on unusual code (the SDL's no-insecure-random on `require(name)`) costs that pass on that file, not the scan.
        crashed.push(`${path} (${pass.name}: ${(error as Error).message.split('\n').find((l) => l.startsWith('Rule:'))?.slice(6) ?? 'a rule failed'})`);
        continue;
      }
      for (const m of messages) {
        if (m.fatal || !m.ruleId) {
          if (!unparsed.includes(path)) unparsed.push(path);
          continue;
        }
        const snippet = (lines[m.line - 1] ?? '').trim();
        const key = `${m.ruleId}\u0000${snippet}`;
        const n = seen.get(key) ?? 0;
        seen.set(key, n + 1);
        const docs = ruleDocs(m.ruleId);
        findings.push({
          ruleId: m.ruleId,
          category: 'code',
          severity: severityOfRule(m.ruleId),
          message: `${m.message.replace(/\s+/g, ' ').slice(0, 500)} (${pass.name})`,
          file: path,
          line: m.line,
          column: m.column,
          ...(m.endLine ? { endLine: m.endLine } : {}),
          fingerprint: fingerprintOf('code', m.ruleId, path, digestOf(snippet), n),
          ...(docs ? { helpUri: docs } : {}),
        });
      }
    }
  }
  const notes: string[] = unparsed.length ? [`${unparsed.length} script file${unparsed.length === 1 ? '' : 's'} could not be parsed and were not checked for insecure code: ${unparsed.slice(0, 5).join(', ')}${unparsed.length > 5 ? ', …' : ''}.`] : [];
  if (crashed.length) notes.push(`${crashed.length} file pass${crashed.length === 1 ? '' : 'es'} stopped when a rule failed, so those files were only partly checked: ${crashed.slice(0, 5).join(', ')}${crashed.length > 5 ? ', …' : ''}.`);
  if (listed?.truncated) notes.push(`Only the first ${MAX_FILES} JavaScript/TypeScript files were checked.`);
  return { findings, notes, files, truncated: listed?.truncated ?? false };
}

function configFor(pass: EslintPass, path: string): Linter.Config {
  return {
    ...pass.config,
    files: [...SCRIPT_GLOBS],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: /\.c[jt]s$/.test(path) ? 'commonjs' : 'module',
      ...(TYPESCRIPT.test(path) ? { parser: tsParser } : {}),
      parserOptions: { ecmaFeatures: { jsx: true } },
      // The globals no-implied-eval and no-eval look for (browser and node): without them they see no global to misuse.
      globals: { setTimeout: 'readonly', setInterval: 'readonly', setImmediate: 'readonly', execScript: 'readonly', window: 'readonly', self: 'readonly', globalThis: 'readonly', global: 'readonly', document: 'readonly', require: 'readonly', module: 'readonly', process: 'readonly', Buffer: 'readonly' },
    },
  };
}
