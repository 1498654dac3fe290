import { type ArgPattern, type CommandRule, type FlagSpec } from './commandRules';
import { checkPathLexically, type PathGuardOptions } from './pathGuard';

export interface MatchContext {
  readonly workspaceRoot?: string;
  readonly pathOptions?: PathGuardOptions;
}

/** What each argument is, as the rule that fits reads it; the floor checks options by these roles. */
export type ArgRole =
  | { readonly role: 'fixed'; readonly index: number }
  | { readonly role: 'option'; readonly index: number; readonly name: string; readonly value?: string }
  | { readonly role: 'operand'; readonly index: number }
  | { readonly role: 'separator'; readonly index: number };

export type RuleMatch =
  | { readonly ok: true; readonly roles: readonly ArgRole[] }
  | { readonly ok: false; readonly code: 'argumentNotAllowed' | 'pathNotAllowed'; readonly reason: string };

/** Longer arguments are refused before any pattern sees them (bounds what a user's regex works on). */
export const MAX_ARGUMENT_LENGTH = 10_000;

type PatternResult = { ok: true } | { ok: false; path?: string };

function matchPattern(pattern: ArgPattern, arg: string, ctx: MatchContext): PatternResult {
  if (typeof pattern === 'string') return { ok: arg === pattern };
  if ('oneOf' in pattern) return { ok: pattern.oneOf.includes(arg) };
  if ('regex' in pattern) return { ok: new RegExp(`^(?:${pattern.regex})$`, 'u').test(arg) };
  if (pattern.prefix !== undefined && !arg.startsWith(pattern.prefix)) return { ok: false };
  const d = checkPathLexically(ctx.workspaceRoot, pattern.prefix === undefined ? arg : arg.slice(pattern.prefix.length), { ...ctx.pathOptions, forWrite: pattern.path === 'write' });
  return d.ok ? { ok: true } : { ok: false, path: d.reason };
}

export function describePattern(p: ArgPattern): string {
  if (typeof p === 'string') return JSON.stringify(p);
  if ('oneOf' in p) return `one of ${p.oneOf.map((x) => JSON.stringify(x)).join(', ')}`;
  if ('regex' in p) return p.title ?? `text matching /${p.regex}/`;
  const what = p.path === 'write' ? 'a path inside the workspace that may be written' : 'a path inside the workspace';
  return p.prefix === undefined ? what : `${JSON.stringify(p.prefix)} then ${what}`;
}

const isOptionLike = (arg: string): boolean => arg.startsWith('-') && arg !== '-';
const flagName = (spec: FlagSpec): string => (typeof spec === 'string' ? spec : spec.flag);

type Fail = { code: 'argumentNotAllowed' | 'pathNotAllowed'; reason: string };
const fail = (reason: string, path?: string): Fail => (path ? { code: 'pathNotAllowed', reason: path } : { code: 'argumentNotAllowed', reason });

/** The option at args[i] by one of `flags`: its role and how many arguments it takes, or why not. */
function matchOption(flags: readonly FlagSpec[], args: readonly string[], i: number, rule: CommandRule, ctx: MatchContext): { role: ArgRole; used: number } | Fail {
  const arg = args[i]!;
  let valueFailure: Fail | undefined;
  for (const spec of flags) {
    if (typeof spec === 'string') {
      if (arg === spec) return { role: { role: 'option', index: i, name: spec }, used: 1 };
      continue;
    }
    const form = spec.form ?? 'either';
    let value: string | undefined;
    let used = 1;
    if (arg === spec.flag && form !== 'attached') {
      value = args[i + 1];
      used = 2;
      // A separate value that looks like an option is not taken as one: the tool might read it as an option.
      if (value === undefined || isOptionLike(value)) {
        valueFailure ??= fail(`rule "${rule.id}": ${spec.flag} needs a value (${describePattern(spec.value)})${value === undefined ? '' : `, got the option ${JSON.stringify(value)}`}`);
        continue;
      }
    } else if (form !== 'separate' && arg.startsWith(`${spec.flag}=`)) {
      value = arg.slice(spec.flag.length + 1);
    } else if (form !== 'separate' && /^-[A-Za-z0-9]$/.test(spec.flag) && arg.length > 2 && arg.startsWith(spec.flag)) {
      value = arg.slice(2);
    } else {
      continue;
    }
    const m = matchPattern(spec.value, value, ctx);
    if (m.ok) return { role: { role: 'option', index: i, name: spec.flag, value }, used };
    valueFailure ??= fail(`rule "${rule.id}" does not allow ${JSON.stringify(value)} as the value of ${spec.flag} (expected ${describePattern(spec.value)})`, m.path && `${spec.flag}: ${m.path}`);
  }
  if (valueFailure) return valueFailure;
  const named = flags.map(flagName);
  return fail(`rule "${rule.id}" does not allow the option ${JSON.stringify(arg)}${named.length > 0 ? ` (it allows ${named.join(', ')})` : ' (it allows no options there)'}`);
}

/** Whether `args` fit `rule`, and what each argument is. */
export function matchRule(rule: CommandRule, args: readonly string[], ctx: MatchContext): RuleMatch {
  const roles: ArgRole[] = [];
  const long = args.findIndex((a) => a.length > MAX_ARGUMENT_LENGTH);
  if (long >= 0) return { ok: false, code: 'argumentNotAllowed', reason: `argument ${long + 1} is longer than ${MAX_ARGUMENT_LENGTH} characters` };
  if (args.length < rule.args.length) return { ok: false, code: 'argumentNotAllowed', reason: `rule "${rule.id}" expects at least ${rule.args.length} argument${rule.args.length === 1 ? '' : 's'}, got ${args.length}` };
  for (let i = 0; i < rule.args.length; i++) {
    const pattern = rule.args[i]!;
    const m = matchPattern(pattern, args[i]!, ctx);
    if (!m.ok) return { ok: false, ...fail(`rule "${rule.id}" does not allow ${JSON.stringify(args[i])} as argument ${i + 1} (expected ${describePattern(pattern)})`, m.path) };
    roles.push({ role: 'fixed', index: i });
  }
  let section: { flags: readonly FlagSpec[]; operands?: ArgPattern } = { flags: rule.flags, operands: rule.operands };
  let afterSeparator = false;
  for (let i = rule.args.length; i < args.length; ) {
    const arg = args[i]!;
    if (arg === '--' && !afterSeparator && rule.afterSeparator) {
      roles.push({ role: 'separator', index: i });
      section = rule.afterSeparator;
      afterSeparator = true;
      i++;
      continue;
    }
    if (isOptionLike(arg)) {
      const m = matchOption(section.flags, args, i, rule, ctx);
      if ('code' in m) return { ok: false, ...m };
      roles.push(m.role);
      i += m.used;
      continue;
    }
    if (!section.operands) {
      return { ok: false, code: 'argumentNotAllowed', reason: `rule "${rule.id}" allows no argument such as ${JSON.stringify(arg)} ${afterSeparator ? 'after "--"' : `after ${JSON.stringify(args[i - 1] ?? rule.executable)}`}` };
    }
    const m = matchPattern(section.operands, arg, ctx);
    if (!m.ok) return { ok: false, ...fail(`rule "${rule.id}" does not allow ${JSON.stringify(arg)} as argument ${i + 1} (expected ${describePattern(section.operands)})`, m.path) };
    roles.push({ role: 'operand', index: i });
    i++;
  }
  return { ok: true, roles };
}
