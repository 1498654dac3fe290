import { type ESLint, type Linter, type Rule } from 'eslint';
import pluginSecurity from 'eslint-plugin-security';
import sdlNoCookies from '@microsoft/eslint-plugin-sdl/lib/rules/no-cookies';
import sdlNoDocumentDomain from '@microsoft/eslint-plugin-sdl/lib/rules/no-document-domain';
import sdlNoDocumentWrite from '@microsoft/eslint-plugin-sdl/lib/rules/no-document-write';
import sdlNoElectronNodeIntegration from '@microsoft/eslint-plugin-sdl/lib/rules/no-electron-node-integration';
import sdlNoHtmlMethod from '@microsoft/eslint-plugin-sdl/lib/rules/no-html-method';
import sdlNoInnerHtml from '@microsoft/eslint-plugin-sdl/lib/rules/no-inner-html';
import sdlNoInsecureRandom from '@microsoft/eslint-plugin-sdl/lib/rules/no-insecure-random';
import sdlNoInsecureUrl from '@microsoft/eslint-plugin-sdl/lib/rules/no-insecure-url';
import sdlNoMsappExecUnsafe from '@microsoft/eslint-plugin-sdl/lib/rules/no-msapp-exec-unsafe';
import sdlNoPostmessageStarOrigin from '@microsoft/eslint-plugin-sdl/lib/rules/no-postmessage-star-origin';
import sdlNoUnsafeAlloc from '@microsoft/eslint-plugin-sdl/lib/rules/no-unsafe-alloc';
import sdlNoWinjsHtmlUnsafe from '@microsoft/eslint-plugin-sdl/lib/rules/no-winjs-html-unsafe';
import { type Severity } from '../../runtime/plan';

/**
 * The two ESLint passes: eslint-plugin-security's recommended rules, and Microsoft's SDL rules
 * with the core rules its `common` config turns on. They are run as two configs because the SDL
 * plugin registers an older eslint-plugin-security under the same `security` name, which clashes
 * with the current one in a single config. The SDL rules are taken one by one (its index reads
 * its own package.json through a computed path, which a bundle cannot follow).
 */
const sdlPlugin = {
  meta: { name: '@microsoft/eslint-plugin-sdl' },
  rules: {
    'no-cookies': sdlNoCookies,
    'no-document-domain': sdlNoDocumentDomain,
    'no-document-write': sdlNoDocumentWrite,
    'no-electron-node-integration': sdlNoElectronNodeIntegration,
    'no-html-method': sdlNoHtmlMethod,
    'no-inner-html': sdlNoInnerHtml,
    'no-insecure-random': sdlNoInsecureRandom,
    'no-insecure-url': sdlNoInsecureUrl,
    'no-msapp-exec-unsafe': sdlNoMsappExecUnsafe,
    'no-postmessage-star-origin': sdlNoPostmessageStarOrigin,
    'no-unsafe-alloc': sdlNoUnsafeAlloc,
    'no-winjs-html-unsafe': sdlNoWinjsHtmlUnsafe,
  } as Record<string, Rule.RuleModule>,
} satisfies ESLint.Plugin;

export interface EslintPass {
  readonly name: string;
  readonly config: Linter.Config;
}

export const SECURITY_PASS: EslintPass = {
  name: 'eslint-plugin-security',
  config: { plugins: { security: pluginSecurity }, rules: Object.fromEntries(Object.keys(pluginSecurity.rules).map((r) => [`security/${r}`, 'warn'])) },
};

export const SDL_PASS: EslintPass = {
  name: '@microsoft/eslint-plugin-sdl',
  config: {
    plugins: { '@microsoft/sdl': sdlPlugin },
    rules: {
      'no-caller': 'warn',
      'no-eval': 'warn',
      'no-implied-eval': 'warn',
      'no-new-func': 'warn',
      ...Object.fromEntries(Object.keys(sdlPlugin.rules).map((r) => [`@microsoft/sdl/${r}`, 'warn'])),
    },
  },
};

/** How bad each rule's finding is when it fires (both plugins only say "warn" or "error"). */
const SEVERITY: Readonly<Record<string, Severity>> = {
  'security/detect-eval-with-expression': 'high',
  'security/detect-child-process': 'high',
  'security/detect-non-literal-require': 'medium',
  'security/detect-non-literal-fs-filename': 'medium',
  'security/detect-non-literal-regexp': 'medium',
  'security/detect-unsafe-regex': 'medium',
  'security/detect-disable-mustache-escape': 'high',
  'security/detect-no-csrf-before-method-override': 'medium',
  'security/detect-possible-timing-attacks': 'medium',
  'security/detect-pseudoRandomBytes': 'medium',
  'security/detect-buffer-noassert': 'medium',
  'security/detect-new-buffer': 'medium',
  'security/detect-bidi-characters': 'high',
  'security/detect-invisible-characters': 'medium',
  'security/detect-object-injection': 'low',
  'no-eval': 'high',
  'no-implied-eval': 'high',
  'no-new-func': 'high',
  'no-caller': 'low',
  '@microsoft/sdl/no-inner-html': 'high',
  '@microsoft/sdl/no-html-method': 'high',
  '@microsoft/sdl/no-document-write': 'high',
  '@microsoft/sdl/no-electron-node-integration': 'high',
  '@microsoft/sdl/no-msapp-exec-unsafe': 'high',
  '@microsoft/sdl/no-winjs-html-unsafe': 'high',
  '@microsoft/sdl/no-postmessage-star-origin': 'medium',
  '@microsoft/sdl/no-insecure-url': 'medium',
  '@microsoft/sdl/no-insecure-random': 'medium',
  '@microsoft/sdl/no-document-domain': 'medium',
  '@microsoft/sdl/no-unsafe-alloc': 'medium',
  '@microsoft/sdl/no-cookies': 'low',
};

export const severityOfRule = (ruleId: string): Severity => SEVERITY[ruleId] ?? 'medium';

export function ruleDocs(ruleId: string): string | undefined {
  if (ruleId.startsWith('security/')) return `https://github.com/eslint-community/eslint-plugin-security/blob/main/docs/rules/${ruleId.slice('security/'.length)}.md`;
  if (ruleId.startsWith('@microsoft/sdl/')) return `https://github.com/microsoft/eslint-plugin-sdl/blob/main/docs/rules/${ruleId.slice('@microsoft/sdl/'.length)}.md`;
  if (/^[a-z-]+$/.test(ruleId)) return `https://eslint.org/docs/latest/rules/${ruleId}`;
  return undefined;
}
