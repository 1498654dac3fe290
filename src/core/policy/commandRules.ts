import { z } from 'zod';

/**
 * The allowlist's rule format; also what users write in the `aiDevops.commands.allow` setting or in
 * an approved `.devops/commands.json` (`{ "version": 1, "rules": [...] }`) to allow more:
 *
 *   { "id": "make-test", "executable": "make", "args": ["test"],
 *     "flags": ["-k", { "flag": "-j", "value": { "regex": "[0-9]{1,2}" } }],
 *     "operands": { "path": true } }
 *
 * - `args` match the first arguments position by position (the subcommand, fixed options).
 * - `flags` name every option allowed after them, each explicitly: a string is a switch taking no
 *   value (`--verbose`); `{ flag, value }` takes one, written `--name=value`, `--name value` or, for
 *   a one-letter option, `-kvalue` (`form` limits that to `attached`, `=`/glued, or `separate`).
 *   There are no catch-all option patterns: an option no rule names is refused.
 * - `operands` matches each further argument that is not an option (never one that starts with
 *   `-`); without it, none are allowed.
 * - `afterSeparator`, when present, allows `--` and says which flags and operands may follow it
 *   (paths for git, the test runner's own options for `npm test -- ...`).
 * A pattern is a literal string, { "oneOf": [...] }, { "regex": "..." } (must match the whole
 * argument; an optional "title" says in words what it means), or { "path": true } / { "path": "write" } (a path inside the workspace, checked by
 * the path guard; `write` also refuses `.git` and the audit trail).
 */
const validRegex = (p: { regex: string }): boolean => {
  try {
    new RegExp(p.regex, 'u');
    return true;
  } catch {
    return false;
  }
};

export const ArgPatternSchema = z.union([
  z.string(),
  z.object({ oneOf: z.array(z.string()).min(1) }).strict(),
  z.object({ regex: z.string().min(1).max(500), title: z.string().max(200).optional() }).strict().refine(validRegex, 'not a valid regular expression'),
  // `prefix`: the path follows a fixed text, as in a reporter's `xml:out/coverage.xml`.
  z.object({ path: z.union([z.literal(true), z.literal('write')]), prefix: z.string().regex(/^[A-Za-z0-9-]{1,20}:$/).optional() }).strict(),
]);
export type ArgPattern = z.infer<typeof ArgPatternSchema>;

const FLAG_NAME = /^--?[A-Za-z0-9][A-Za-z0-9._-]*$/;
const FlagNameSchema = z.string().regex(FLAG_NAME, 'an option name such as "--verbose" or "-k" (no value, no "=")');

export const FlagSchema = z.union([
  FlagNameSchema,
  z
    .object({
      flag: FlagNameSchema,
      value: ArgPatternSchema,
      /** `attached`: only `--name=value` / `-kvalue`; `separate`: only `--name value`; default both. */
      form: z.enum(['attached', 'separate', 'either']).optional(),
    })
    .strict(),
]);
export type FlagSpec = z.infer<typeof FlagSchema>;

const SectionSchema = z.object({ flags: z.array(FlagSchema).default([]), operands: ArgPatternSchema.optional() }).strict();

export const CommandRuleSchema = z
  .object({
    id: z.string().min(1).max(100),
    /** A bare program name found on PATH: no directory, no extension tricks, no metacharacters. */
    executable: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'a bare program name such as "git" (no path, no shell characters)'),
    args: z.array(ArgPatternSchema).default([]),
    flags: z.array(FlagSchema).default([]),
    operands: ArgPatternSchema.optional(),
    afterSeparator: SectionSchema.optional(),
    description: z.string().max(300).optional(),
  })
  .strict();
export type CommandRule = z.infer<typeof CommandRuleSchema>;
export type CommandRuleInput = z.input<typeof CommandRuleSchema>;

export const CommandPolicyFileSchema = z.object({ version: z.literal(1), rules: z.array(CommandRuleSchema) }).strict();

/** Where a repository may ask for more commands (used only after the user approves its content). */
export const POLICY_FILE = '.devops/commands.json';
/** The user-level setting with extra rules (machine scope: a workspace cannot set it). */
export const USER_RULES_SETTING = 'aiDevops.commands.allow';
