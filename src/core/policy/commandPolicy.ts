import { parse } from 'shell-quote';
import { type CommandRule, CommandPolicyFileSchema, CommandRuleSchema, POLICY_FILE, USER_RULES_SETTING } from './commandRules';
import { DEFAULT_RULES } from './defaultRules';
import { checkFloor, scanFloor } from './floorCheck';
import { type PathGuardOptions } from './pathGuard';
import { matchRule } from './ruleMatch';

/**
 * Decides whether a command may run, and hands back exactly what to run: `{ file, args }` for
 * execFile/spawn with `shell: false`, never a string for a shell. Refusals say why, and when a rule
 * could allow the command, they carry that rule and where to put it (the user's settings; an
 * approved `.devops/commands.json` works too). `forbiddenOption` is the floor: no rule lifts it.
 */
export type CommandRefusal =
  | 'empty'
  | 'shellMetacharacters'
  | 'shellInterpreter'
  | 'wrapper'
  | 'executablePath'
  | 'envAssignment'
  | 'variableExpansion'
  | 'notAllowlisted'
  | 'argumentNotAllowed'
  | 'forbiddenOption'
  | 'pathNotAllowed';

export type CommandDecision =
  | { readonly allowed: true; readonly file: string; readonly args: readonly string[]; readonly ruleId: string; readonly shell: false }
  | { readonly allowed: false; readonly code: CommandRefusal; readonly reason: string; readonly suggestion?: { readonly rule: CommandRule; readonly where: string } };

export type CommandRequest = { readonly file: string; readonly args?: readonly string[] } | { readonly commandLine: string };

export interface CommandPolicy {
  readonly rules: readonly CommandRule[];
}

export interface PolicyContext {
  readonly workspaceRoot?: string;
  readonly pathOptions?: PathGuardOptions;
}

export const defaultPolicy = (): CommandPolicy => ({ rules: [...DEFAULT_RULES] });

/** The defaults plus extra rules (from the user's settings and an approved `.devops/commands.json`). */
export const policyWithRules = (...extra: readonly (readonly CommandRule[])[]): CommandPolicy => ({ rules: [...DEFAULT_RULES, ...extra.flat()] });

const firstIssue = (error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string => {
  const issue = error.issues[0];
  return `${issue?.path.map(String).join('.') || 'file'}: ${issue?.message ?? 'invalid'}`;
};

/** `rest` was the old catch-all for every further argument, options included; say what replaced it. */
const oldRest = (rules: unknown): number => (Array.isArray(rules) ? rules.findIndex((r) => r !== null && typeof r === 'object' && 'rest' in r) : -1);
const REST_GONE = '"rest" is no longer supported: name each allowed option in "flags" and use "operands" for the other arguments';

/** Parses `.devops/commands.json` (`{ "version": 1, "rules": [...] }`); a bad file is an error that says where. */
export function parseCommandRulesFile(text: string): { ok: true; value: CommandRule[] } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `${POLICY_FILE} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const rest = oldRest((raw as { rules?: unknown } | null)?.rules);
  if (rest >= 0) return { ok: false, reason: `${POLICY_FILE}: rules.${rest}: ${REST_GONE}.` };
  const parsed = CommandPolicyFileSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: `${POLICY_FILE}: ${firstIssue(parsed.error)}.` };
  return { ok: true, value: parsed.data.rules };
}

/** The defaults plus a `.devops/commands.json` (for callers that have already approved its content). */
export function policyFromFile(text: string): { ok: true; policy: CommandPolicy } | { ok: false; reason: string } {
  const parsed = parseCommandRulesFile(text);
  return parsed.ok ? { ok: true, policy: policyWithRules(parsed.value) } : parsed;
}

/** The rules of the `aiDevops.commands.allow` setting: the valid ones, and a message per invalid one. */
export function rulesFromSetting(raw: unknown): { rules: CommandRule[]; problems: string[] } {
  if (raw === undefined || raw === null) return { rules: [], problems: [] };
  if (!Array.isArray(raw)) return { rules: [], problems: [`${USER_RULES_SETTING} must be a list of rules.`] };
  const rules: CommandRule[] = [];
  const problems: string[] = [];
  raw.forEach((item, i) => {
    if (oldRest([item]) === 0) return problems.push(`${USER_RULES_SETTING}[${i}]: ${REST_GONE}.`);
    const parsed = CommandRuleSchema.safeParse(item);
    if (parsed.success) rules.push(parsed.data);
    else problems.push(`${USER_RULES_SETTING}[${i}]: ${firstIssue(parsed.error)}.`);
  });
  return { rules, problems };
}

/** Programs that run code given inline, and the switches that make them do it. */
const INTERPRETERS: Readonly<Record<string, readonly string[]>> = {
  sh: ['-c'], bash: ['-c'], zsh: ['-c'], dash: ['-c'], ksh: ['-c'], fish: ['-c', '--command'], csh: ['-c'], tcsh: ['-c'],
  cmd: ['/c', '/k', '/r'],
  powershell: ['-command', '-c', '-encodedcommand', '-enc', '-e', '-ec', '-file', '-f'],
  pwsh: ['-command', '-c', '-encodedcommand', '-enc', '-e', '-ec', '-file', '-f'],
  python: ['-c'], python3: ['-c'], node: ['-e', '--eval', '-p', '--print'], perl: ['-e', '-E'], ruby: ['-e'], php: ['-r'], osascript: ['-e'],
};
/** Programs whose job is to run another program. */
const WRAPPERS = new Set(['env', 'sudo', 'doas', 'su', 'xargs', 'nohup', 'timeout', 'nice', 'exec', 'eval', 'npx', 'pnpx', 'bunx', 'uvx', 'pipx', 'start', 'runas', 'wsl', 'busybox', 'find', 'watch', 'time', 'command', 'script', 'ssh']);

const VARIABLE = /\$(?:\{|\(|[A-Za-z_])|%[A-Za-z_][A-Za-z0-9_]*%/;

const refuse = (code: CommandRefusal, reason: string, suggestion?: CommandRule): CommandDecision => ({
  allowed: false,
  code,
  reason,
  ...(suggestion ? { suggestion: { rule: suggestion, where: USER_RULES_SETTING } } : {}),
});
const HOW_TO_ALLOW = `To allow exactly this command, add the suggested rule to the ${USER_RULES_SETTING} user setting (or to ${POLICY_FILE}, which counts once you approve its content).`;

/** Tokenises a command line without a shell: anything a shell would interpret is refused, not ignored. */
function tokenize(commandLine: string): { ok: true; argv: string[] } | { ok: false; decision: CommandDecision } {
  if (/[\r\n\0]/.test(commandLine)) return { ok: false, decision: refuse('shellMetacharacters', 'The command spans several lines or holds a NUL byte; give one command.') };
  if (/`|\$\(/.test(commandLine)) return { ok: false, decision: refuse('shellMetacharacters', 'Command substitution (`...` or $(...)) is shell syntax; commands run without a shell.') };
  const variables: string[] = [];
  const entries = parse(commandLine, (name: string) => {
    variables.push(name);
    return '';
  });
  if (variables.length > 0 || /%[A-Za-z_][A-Za-z0-9_]*%/.test(commandLine)) {
    const name = variables[0] ?? /%([A-Za-z_][A-Za-z0-9_]*)%/.exec(commandLine)?.[1] ?? '';
    return { ok: false, decision: refuse('variableExpansion', `The command uses the variable ${name ? `"${name}"` : ''} but commands run without a shell, so nothing is expanded. Pass the value itself.`) };
  }
  const argv: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') {
      argv.push(entry);
      continue;
    }
    const what = 'op' in entry ? (entry.op === 'glob' ? `the glob "${(entry as { pattern: string }).pattern}"` : `"${entry.op}"`) : 'a comment';
    return { ok: false, decision: refuse('shellMetacharacters', `The command holds ${what}, which only a shell understands; commands run without a shell. Run one program with plain arguments.`) };
  }
  return { ok: true, argv };
}

const baseName = (file: string): string => (file.split(/[\\/]/).pop() ?? file).toLowerCase().replace(/\.(exe|cmd|bat|com|ps1)$/, '');

export function decideCommand(policy: CommandPolicy, request: CommandRequest, ctx: PolicyContext = {}): CommandDecision {
  let file: string;
  let args: string[];
  if ('commandLine' in request) {
    const t = tokenize(request.commandLine);
    if (!t.ok) return t.decision;
    [file = '', ...args] = t.argv;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(file)) return refuse('envAssignment', `"${file}" sets an environment variable for the command; that is shell syntax and is not allowed.`);
  } else {
    file = request.file;
    args = [...(request.args ?? [])];
  }
  if (file.trim() === '') return refuse('empty', 'No program to run.');

  const name = baseName(file);
  const inline = INTERPRETERS[name];
  const inlineSwitch = inline && args.find((a) => inline.includes(a.toLowerCase()));
  if (inlineSwitch) return refuse('shellInterpreter', `"${file} ${inlineSwitch}" runs code given as text (a shell or interpreter); that is never allowed. Run the program you need directly.`);
  if (/[\s;&|<>`$(){}[\]*?!#~'"\\%^]/.test(file) && !/^[A-Za-z]:\\[^;&|<>`$(){}[\]*?!#~'"%^]*$/.test(file)) {
    return refuse('shellMetacharacters', `The program name ${JSON.stringify(file)} holds shell metacharacters or spaces; give a bare program name such as "git".`);
  }
  if (/[\\/]/.test(file)) return refuse('executablePath', `${JSON.stringify(file)} is a path; only programs found on PATH by their bare name (such as "git") can be allowed.`);
  if (inline) return refuse('shellInterpreter', `"${file}" is a shell or script interpreter; commands run without one. Run the program you need directly.`);
  if (WRAPPERS.has(name)) return refuse('wrapper', `"${file}" runs another program, which would slip past the allowlist; run that program directly.`);
  for (const arg of args) {
    if (arg.includes('\0')) return refuse('shellMetacharacters', 'An argument holds a NUL byte.');
    const v = VARIABLE.exec(arg);
    if (v) return refuse('variableExpansion', `The argument ${JSON.stringify(arg)} looks like a variable (${v[0]}...), but commands run without a shell, so nothing is expanded. Pass the value itself.`);
  }

  const rules = policy.rules.filter((r) => r.executable.toLowerCase() === name);
  const literal: CommandRule = { id: `allow-${name}-${args.slice(0, 2).join('-').replace(/[^A-Za-z0-9-]/g, '') || 'bare'}`, executable: name, args: [...args], flags: [], description: 'Added by the user.' };
  const matches = rules.map((rule) => ({ rule, match: matchRule(rule, args, ctx) }));
  const fit = matches.find((m) => m.match.ok);
  if (fit?.match.ok) {
    const floor = checkFloor(name, args, fit.match.roles, ctx);
    if (floor) return refuse(floor.code, `Refused: ${floor.reason}`);
    return { allowed: true, file: name, args, ruleId: fit.rule.id, shell: false };
  }
  const floor = scanFloor(name, args, ctx);
  if (floor) return refuse(floor.code, `Refused: ${floor.reason}`);
  if (rules.length === 0) return refuse('notAllowlisted', `"${name}" is not on the command allowlist. ${HOW_TO_ALLOW}`, literal);
  const misfits = matches.flatMap((m) => (m.match.ok ? [] : [{ rule: m.rule, why: m.match }]));
  const path = misfits.find((m) => m.why.code === 'pathNotAllowed');
  if (path) return refuse('pathNotAllowed', `Refused: ${path.why.reason}`);
  // The rule whose fixed first argument matches says the most; otherwise the first rule.
  const closest = misfits.find((m) => typeof m.rule.args[0] === 'string' && m.rule.args[0] === args[0]) ?? misfits.find((m) => !/expects at least|as argument 1 /.test(m.why.reason)) ?? misfits[0]!;
  return refuse('argumentNotAllowed', `"${name}" is allowed, but not with these arguments: ${closest.why.reason}. ${HOW_TO_ALLOW}`, literal);
}
