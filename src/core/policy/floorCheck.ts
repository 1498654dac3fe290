import { type ForbiddenOption, TOOL_FLOORS, type ToolFloor } from './forbiddenOptions';
import { checkPathLexically } from './pathGuard';
import { type ArgRole, type MatchContext } from './ruleMatch';

export type FloorRefusal = { readonly code: 'forbiddenOption' | 'pathNotAllowed'; readonly reason: string };

const splitValue = (arg: string, floor: ToolFloor): { name: string; value?: string } => {
  const at = floor.slashOptions ? arg.search(/[=:]/) : arg.indexOf('=');
  return at < 0 ? { name: arg } : { name: arg.slice(0, at), value: arg.slice(at + 1) };
};

const normalise = (name: string, floor: ToolFloor): string => (floor.singleDashLong && name.startsWith('--') ? name.slice(1) : name);

/** The forbidden family an option name belongs to for this subcommand: exactly, as a cluster of letters, or as an abbreviation. */
function forbiddenFamily(floor: ToolFloor, rawName: string, subcommand: string | undefined, asCluster: boolean): { entry: ForbiddenOption; name: string } | undefined {
  const name = normalise(rawName, floor);
  const entries = floor.options.filter((o) => !o.subcommands || (subcommand !== undefined && o.subcommands.includes(subcommand)));
  for (const entry of entries) {
    if (entry.names.includes(name)) return { entry, name };
  }
  if (asCluster && floor.clusters && /^-[A-Za-z0-9]{2,}$/.test(name)) {
    for (const letter of name.slice(1)) {
      const hit = entries.find((e) => e.names.includes(`-${letter}`));
      if (hit) return { entry: hit, name: `-${letter}` };
    }
  }
  if (floor.abbreviations && name.startsWith('--') && name.length >= 4 && !(floor.exact ?? []).includes(name)) {
    for (const entry of entries) {
      const full = entry.names.find((n) => n.startsWith('--') && n.startsWith(name));
      if (full) return { entry, name: full };
    }
  }
  return undefined;
}

const never = (tool: string, shown: string, name: string, does: string): FloorRefusal => ({
  code: 'forbiddenOption',
  reason: `${JSON.stringify(shown)} is never allowed for ${tool}: ${name} ${does}. No rule or setting can allow it.`,
});

/** Checks one option (name and value) against the floor; undefined when it passes. */
function checkOption(tool: string, floor: ToolFloor, shown: string, name: string, value: string | undefined, subcommand: string | undefined, ctx: MatchContext, asCluster: boolean): FloorRefusal | undefined {
  if (floor.neverPattern?.test(name)) return never(tool, shown, name, 'passes options straight to another program');
  const hit = forbiddenFamily(floor, name, subcommand, asCluster);
  if (!hit) return undefined;
  if (hit.entry.kind === 'never') return never(tool, shown, hit.name, hit.entry.does);
  if (value === undefined) return { code: 'forbiddenOption', reason: `${hit.name} (${tool}) ${hit.entry.does}: it is allowed only with a path inside the workspace, and none was given.` };
  const d = checkPathLexically(ctx.workspaceRoot, value, { ...ctx.pathOptions, forWrite: hit.entry.kind === 'writePath' });
  return d.ok ? undefined : { code: 'pathNotAllowed', reason: `${hit.name} (${tool}) ${hit.entry.does}, so it must name a path inside the workspace: ${d.reason}` };
}

/** The first non-option argument: the subcommand for tools that have them. */
const subcommandOf = (args: readonly string[]): { subcommand?: string; index: number } => {
  const index = args.findIndex((a) => !a.startsWith('-'));
  return index < 0 ? { index: args.length } : { subcommand: args[index], index };
};

/** Checks before the rules: options ahead of the subcommand and subcommands that are never allowed. */
function checkHead(tool: string, floor: ToolFloor, args: readonly string[]): FloorRefusal | undefined {
  const { subcommand, index } = subcommandOf(args);
  if (floor.globalOptions) {
    const bad = args.slice(0, index).find((a) => !floor.globalOptions!.includes(a));
    if (bad) return { code: 'forbiddenOption', reason: `${JSON.stringify(bad)} before the ${tool} subcommand is never allowed: options there (such as -c, -C, --git-dir, --exec-path) change which configuration, folder or programs ${tool} uses. No rule or setting can allow it.` };
  }
  const runs = subcommand !== undefined ? floor.subcommands?.[subcommand] : undefined;
  if (runs) return { code: 'forbiddenOption', reason: `"${tool} ${subcommand}" is never allowed: it ${runs} (a package fetched from a registry, or a shell). No rule or setting can allow it.` };
  return undefined;
}

/** Arguments that are not options to the rule but are to the tool: `@file`, `/p:x`. */
function checkNonOption(tool: string, floor: ToolFloor, arg: string, subcommand: string | undefined, ctx: MatchContext): FloorRefusal | undefined {
  if (floor.responseFiles && arg.startsWith('@')) return never(tool, arg, '@<file>', 'reads more arguments from a file');
  if (floor.slashOptions && /^\/[A-Za-z]+(?:[:=]|$)/.test(arg)) {
    const { name, value } = splitValue(arg, floor);
    return checkOption(tool, floor, arg, name, value, subcommand, ctx, false);
  }
  return undefined;
}

/**
 * The floor for a command a rule fits, by the roles the rule gave each argument. Fixed arguments
 * are checked too (a user's rule may name a forbidden option literally); the value that follows a
 * literal option in the fixed arguments (a commit message after `-m`) is its value, not an option.
 */
export function checkFloor(tool: string, args: readonly string[], roles: readonly ArgRole[], ctx: MatchContext): FloorRefusal | undefined {
  const floor = TOOL_FLOORS[tool];
  if (!floor) return undefined;
  const head = checkHead(tool, floor, args);
  if (head) return head;
  const { subcommand } = subcommandOf(args);
  const fixed = new Set(roles.filter((r) => r.role === 'fixed').map((r) => r.index));
  for (const r of roles) {
    const arg = args[r.index]!;
    if (r.role === 'option') {
      const refused = checkOption(tool, floor, arg, r.name, r.value, subcommand, ctx, true);
      if (refused) return refused;
      continue;
    }
    if (r.role !== 'fixed' && r.role !== 'operand') continue;
    const previous = args[r.index - 1];
    const valueOfFixedOption = r.role === 'fixed' && fixed.has(r.index - 1) && previous !== undefined && previous.startsWith('-') && previous !== '--' && !previous.includes('=');
    if (valueOfFixedOption) continue;
    if (r.role === 'fixed' && arg.startsWith('-') && arg !== '-' && arg !== '--') {
      const { name, value } = splitValue(arg, floor);
      const refused = checkOption(tool, floor, arg, name, value ?? (fixed.has(r.index + 1) ? args[r.index + 1] : undefined), subcommand, ctx, true);
      if (refused) return refused;
      continue;
    }
    const refused = checkNonOption(tool, floor, arg, subcommand, ctx);
    if (refused) return refused;
  }
  return undefined;
}

/**
 * The floor for a command no rule fits, reading every argument that looks like an option as one.
 * It only decides how the refusal is worded: a forbidden option gets no "add this rule" suggestion.
 */
export function scanFloor(tool: string, args: readonly string[], ctx: MatchContext): FloorRefusal | undefined {
  const floor = TOOL_FLOORS[tool];
  if (!floor) return undefined;
  const head = checkHead(tool, floor, args);
  if (head) return head;
  const { subcommand } = subcommandOf(args);
  for (const arg of args) {
    if (arg.startsWith('-') && arg !== '-') {
      const { name, value } = splitValue(arg, floor);
      const hit = forbiddenFamily(floor, name, subcommand, false);
      // A path option is refused here only when its path is; a rule may still allow it with a workspace path.
      if (hit?.entry.kind === 'never' || floor.neverPattern?.test(name) || (hit && value !== undefined)) {
        const refused = checkOption(tool, floor, arg, name, value, subcommand, ctx, false);
        if (refused) return refused;
      }
    } else {
      const refused = checkNonOption(tool, floor, arg, subcommand, ctx);
      if (refused) return refused;
    }
  }
  return undefined;
}
