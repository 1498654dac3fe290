import { parse } from 'shell-quote';
import { type ArgPattern, type CommandRule, CommandPolicyFileSchema, DEFAULT_RULES, POLICY_FILE } from './commandRules';
import { checkPathLexically, type PathGuardOptions } from './pathGuard';

/**
 * Decides whether a command may run, and hands back exactly what to run: `{ file, args }` for
 * execFile/spawn with `shell: false`, never a string for a shell. Refusals say why, and when a rule
 * could allow the command, they carry that rule and where to put it.
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

/** The defaults plus the user's `.devops/commands.json` (validated; a bad file is an error that says where). */
export function policyFromFile(text: string): { ok: true; policy: CommandPolicy } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `${POLICY_FILE} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = CommandPolicyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${POLICY_FILE}: ${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}.` };
  }
  return { ok: true, policy: { rules: [...DEFAULT_RULES, ...parsed.data.rules] } };
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
const WRAPPERS = new Set(['env', 'sudo', 'doas', 'su', 'xargs', 'nohup', 'timeout', 'nice', 'exec', 'eval', 'npx', 'pnpx', 'bunx', 'start', 'runas', 'wsl', 'busybox', 'find', 'watch', 'time', 'command', 'script', 'ssh']);

const VARIABLE = /\$(?:\{|\(|[A-Za-z_])|%[A-Za-z_][A-Za-z0-9_]*%/;

const refuse = (code: CommandRefusal, reason: string, suggestion?: CommandRule): CommandDecision => ({
  allowed: false,
  code,
  reason,
  ...(suggestion ? { suggestion: { rule: suggestion, where: POLICY_FILE } } : {}),
});

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

function matches(pattern: ArgPattern, arg: string, ctx: PolicyContext): boolean | 'path' {
  if (typeof pattern === 'string') return arg === pattern;
  if ('oneOf' in pattern) return pattern.oneOf.includes(arg);
  if ('regex' in pattern) return new RegExp(`^(?:${pattern.regex})$`, 'u').test(arg);
  return checkPathLexically(ctx.workspaceRoot, arg, ctx.pathOptions).ok || 'path';
}

/** Why a rule does not fit, or undefined when it does. */
function misfit(rule: CommandRule, args: readonly string[], ctx: PolicyContext): { code: CommandRefusal; reason: string } | undefined {
  for (let i = 0; i < Math.max(args.length, rule.args.length); i++) {
    const arg = args[i];
    const pattern = i < rule.args.length ? rule.args[i] : rule.rest;
    if (arg === undefined) return { code: 'argumentNotAllowed', reason: `rule "${rule.id}" expects ${rule.args.length} argument${rule.args.length === 1 ? '' : 's'}, got ${args.length}` };
    if (pattern === undefined) return { code: 'argumentNotAllowed', reason: `rule "${rule.id}" allows no argument after ${JSON.stringify(args[i - 1] ?? rule.executable)}, got ${JSON.stringify(arg)}` };
    const m = matches(pattern, arg, ctx);
    if (m === 'path') {
      const d = checkPathLexically(ctx.workspaceRoot, arg, ctx.pathOptions);
      return { code: 'pathNotAllowed', reason: d.ok ? `argument ${i + 1} is not a workspace path` : d.reason };
    }
    if (!m) return { code: 'argumentNotAllowed', reason: `rule "${rule.id}" does not allow ${JSON.stringify(arg)} as argument ${i + 1} (expected ${describe(pattern)})` };
  }
  return undefined;
}

function describe(p: ArgPattern): string {
  if (typeof p === 'string') return JSON.stringify(p);
  if ('oneOf' in p) return `one of ${p.oneOf.map((x) => JSON.stringify(x)).join(', ')}`;
  if ('regex' in p) return `text matching /${p.regex}/`;
  return 'a path inside the workspace';
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
  const literal: CommandRule = { id: `allow-${name}-${args.slice(0, 2).join('-').replace(/[^A-Za-z0-9-]/g, '') || 'bare'}`, executable: name, args: [...args], description: 'Added by the user.' };
  if (rules.length === 0) {
    return refuse('notAllowlisted', `"${name}" is not on the command allowlist. To allow exactly this command, add the suggested rule to ${POLICY_FILE}.`, literal);
  }
  const misfits = rules.map((r) => ({ rule: r, why: misfit(r, args, ctx) }));
  const fit = misfits.find((m) => m.why === undefined);
  if (fit) return { allowed: true, file: name, args, ruleId: fit.rule.id, shell: false };
  const path = misfits.find((m) => m.why?.code === 'pathNotAllowed');
  if (path?.why) return refuse('pathNotAllowed', `Refused: ${path.why.reason}`);
  // The rule whose literal first argument matches says the most; otherwise the first rule.
  const closest = misfits.find((m) => typeof m.rule.args[0] === 'string' && m.rule.args[0] === args[0]) ?? misfits.find((m) => m.rule.args[0] !== undefined && matches(m.rule.args[0], args[0] ?? '', ctx) === true) ?? misfits[0]!;
  return refuse('argumentNotAllowed', `"${name}" is allowed, but not with these arguments: ${closest.why!.reason}. To allow exactly this command, add the suggested rule to ${POLICY_FILE}.`, literal);
}
