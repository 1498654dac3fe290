import { z } from 'zod';

/**
 * The allowlist's rule format, also what users write in `.devops/commands.json` to allow more:
 *   { "version": 1, "rules": [ { "id": "make-test", "executable": "make", "args": ["test"] } ] }
 * `args` match the arguments position by position; `rest`, when present, matches every further
 * argument (without it, no further arguments are allowed). A pattern is a literal string,
 * { "oneOf": [...] }, { "regex": "..." } (must match the whole argument), or { "path": true }
 * (a file inside the workspace, checked by the path guard).
 */
export const ArgPatternSchema = z.union([
  z.string(),
  z.object({ oneOf: z.array(z.string()).min(1) }).strict(),
  z
    .object({ regex: z.string().min(1) })
    .strict()
    .refine((p) => {
      try {
        new RegExp(p.regex, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'not a valid regular expression'),
  z.object({ path: z.literal(true) }).strict(),
]);
export type ArgPattern = z.infer<typeof ArgPatternSchema>;

export const CommandRuleSchema = z
  .object({
    id: z.string().min(1).max(100),
    /** A bare program name found on PATH: no directory, no extension tricks, no metacharacters. */
    executable: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'a bare program name such as "git" (no path, no shell characters)'),
    args: z.array(ArgPatternSchema).default([]),
    rest: ArgPatternSchema.optional(),
    description: z.string().max(300).optional(),
  })
  .strict();
export type CommandRule = z.infer<typeof CommandRuleSchema>;
export type CommandRuleInput = z.input<typeof CommandRuleSchema>;

export const CommandPolicyFileSchema = z.object({ version: z.literal(1), rules: z.array(CommandRuleSchema) }).strict();

/** Where users allow more commands, relative to the workspace. */
export const POLICY_FILE = '.devops/commands.json';

/** Options git accepts anywhere that run programs or write files: never allowed through a rule's `rest`. */
const GIT_SAFE_ARG = '(?!-c$|--config-env|--exec|--upload-pack|--receive-pack|--output|-o$|--ext-diff|--textconv|--open-files-in-pager|-O).*';
const FLAG = '-{1,2}[A-Za-z0-9][A-Za-z0-9-]*(=[^\\s]*)?';
const BRANCH = '(?!-)[A-Za-z0-9._/-]{1,200}';

/** What agents may run out of the box: read-only git, the commits and branches agents make, and test runners. */
export const DEFAULT_RULES: readonly CommandRule[] = [
  { id: 'git-read', executable: 'git', args: [{ oneOf: ['status', 'diff', 'log', 'show', 'rev-parse', 'ls-files', 'blame', 'describe', 'shortlog'] }], rest: { regex: GIT_SAFE_ARG }, description: 'Read-only git commands.' },
  { id: 'git-branch-list', executable: 'git', args: ['branch'], rest: { regex: '(?:--list|-a|-r|--all|--show-current|-v|-vv|--merged|--no-merged|--format=.*)' } },
  { id: 'git-add', executable: 'git', args: ['add', '--'], rest: { path: true }, description: 'Stage workspace files.' },
  { id: 'git-commit', executable: 'git', args: ['commit', '-m', { regex: '[^\\0]{1,5000}' }], description: 'Commit staged changes with a message.' },
  { id: 'git-switch-create', executable: 'git', args: ['switch', '-c', { regex: BRANCH }] },
  { id: 'git-switch', executable: 'git', args: ['switch', { regex: BRANCH }] },
  { id: 'npm-test', executable: 'npm', args: [{ oneOf: ['test', 't'] }], rest: { regex: `--|${FLAG}|[A-Za-z0-9._/:=-]+` }, description: 'The project\'s test script.' },
  { id: 'npm-run', executable: 'npm', args: ['run', { regex: '[A-Za-z0-9:._-]{1,100}' }], rest: { regex: `--|${FLAG}|[A-Za-z0-9._/:=-]+` } },
  { id: 'version', executable: 'node', args: ['--version'] },
  { id: 'pytest', executable: 'pytest', args: [], rest: { regex: `${FLAG}|[A-Za-z0-9._/:=\\[\\]-]+` } },
  { id: 'go-test', executable: 'go', args: ['test'], rest: { regex: `${FLAG}|\\./\\.\\.\\.|[A-Za-z0-9._/-]+` } },
  { id: 'dotnet-test', executable: 'dotnet', args: ['test'], rest: { regex: `${FLAG}|[A-Za-z0-9._/:=-]+` } },
  { id: 'cargo-test', executable: 'cargo', args: ['test'], rest: { regex: `--|${FLAG}|[A-Za-z0-9._/:=-]+` } },
];
