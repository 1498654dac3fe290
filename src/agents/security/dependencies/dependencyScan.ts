import { isDevOpsError } from '../../../core/errors';
import { type Advisory, type AdvisoryService, type Ecosystem, packageKey } from '../../../core/security/advisories';
import { type AgentContext } from '../../runtime/context';
import { type FileEdit, type Finding, type Severity } from '../../runtime/plan';
import { fingerprintOf } from '../fingerprint';
import '../securityProviders';
import { type LockedPackage, type ParsedLockfile } from './lockedPackages';
import { parsePackageLock } from './packageLock';
import { parsePnpmLock } from './pnpmLock';
import { parsePoetryLock, parseRequirements, parseUvLock, pyprojectDependencies } from './pythonLocks';
import { parseYarnLock } from './yarnLock';

export const LOCKFILE_GLOBS = ['**/package-lock.json', '**/npm-shrinkwrap.json', '**/yarn.lock', '**/pnpm-lock.yaml', '**/requirements*.txt', '**/poetry.lock', '**/uv.lock'];

export interface Skipped {
  readonly category: string;
  readonly why: string;
}

const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '');
const SEVERITY: Readonly<Record<Advisory['severity'], Severity>> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', unknown: 'medium' };

async function manifestNames(ctx: AgentContext, dir: string, kind: 'npm' | 'python'): Promise<string[]> {
  if (kind === 'npm') {
    const file = await ctx.files.read(`${dir}package.json`);
    if (!file) return [];
    try {
      const json = JSON.parse(file.text) as Record<string, Record<string, string> | undefined>;
      return [...Object.keys(json.dependencies ?? {}), ...Object.keys(json.devDependencies ?? {}), ...Object.keys(json.optionalDependencies ?? {})];
    } catch {
      return [];
    }
  }
  const file = await ctx.files.read(`${dir}pyproject.toml`);
  if (!file) return [];
  try {
    return pyprojectDependencies(file.text);
  } catch {
    return [];
  }
}

async function parseLockfile(ctx: AgentContext, path: string, text: string): Promise<ParsedLockfile> {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'package-lock.json' || name === 'npm-shrinkwrap.json') return parsePackageLock(path, text);
  if (name === 'yarn.lock') return parseYarnLock(path, text, await manifestNames(ctx, dirOf(path), 'npm'));
  if (name === 'pnpm-lock.yaml') return parsePnpmLock(path, text);
  if (name === 'poetry.lock') return parsePoetryLock(path, text, await manifestNames(ctx, dirOf(path), 'python'));
  if (name === 'uv.lock') return parseUvLock(path, text);
  return parseRequirements(path, text);
}

/**
 * Known vulnerabilities of the packages the workspace's lockfiles pin: each advisory becomes a
 * finding on the lockfile line, naming the direct dependency that brings the package in and the
 * smallest version that fixes it. A service that cannot be reached leaves its packages "not
 * checked, because …" (in `skipped`), never clean.
 */
export async function scanDependencies(ctx: AgentContext, only?: readonly string[]): Promise<{ findings: Finding[]; skipped: Skipped[]; notes: string[]; lockfiles: number; packages: number }> {
  const paths = only ? only.filter((p) => LOCKFILE_GLOBS.some((g) => p.endsWith(g.replace('**/', '').replace('*', '')) || /(^|\/)requirements[^/]*\.txt$/.test(p))) : (await ctx.files.list(LOCKFILE_GLOBS)).paths;
  const notes: string[] = [];
  const skipped: Skipped[] = [];
  const lockfiles: { parsed: ParsedLockfile }[] = [];
  for (const path of paths) {
    const file = await ctx.files.read(path).catch((e: unknown) => (isDevOpsError(e) ? e : Promise.reject(e)));
    if (!file) continue;
    if (isDevOpsError(file)) {
      skipped.push({ category: 'dependencies', why: `${path} was not checked: ${file.message}` });
      continue;
    }
    try {
      const parsed = await parseLockfile(ctx, path, file.text);
      lockfiles.push({ parsed });
      notes.push(...parsed.notes);
    } catch (error) {
      skipped.push({ category: 'dependencies', why: `${path} was not checked: it cannot be read as a ${path.slice(path.lastIndexOf('/') + 1)} (${(error as Error).message.split('\n')[0]?.slice(0, 200)}).` });
    }
  }
  const all = lockfiles.flatMap((l) => l.parsed.packages);
  const unique = new Map(all.map((p) => [packageKey(p), p]));
  const services = ctx.providers.advisories ?? [];
  const answers = new Map<string, readonly Advisory[]>();
  for (const ecosystem of ['npm', 'PyPI'] as const satisfies readonly Ecosystem[]) {
    const wanted = [...unique.values()].filter((p) => p.ecosystem === ecosystem);
    if (!wanted.length) continue;
    const why = await lookupWithFallback(ctx, services.filter((s) => s.ecosystems.includes(ecosystem)), wanted, answers);
    if (why) skipped.push({ category: 'dependencies', why: `${wanted.length} ${ecosystem} package${wanted.length === 1 ? '' : 's'} not checked: ${why}` });
  }
  const findings: Finding[] = [];
  for (const { parsed } of lockfiles) {
    for (const p of parsed.packages) {
      for (const a of answers.get(packageKey(p)) ?? []) findings.push(await findingFor(ctx, parsed, p, a));
    }
  }
  return { findings, skipped, notes, lockfiles: lockfiles.length, packages: unique.size };
}

async function lookupWithFallback(ctx: AgentContext, services: readonly AdvisoryService[], wanted: readonly LockedPackage[], answers: Map<string, readonly Advisory[]>): Promise<string | undefined> {
  if (!services.length) return 'no advisory service is set up here (the npm registry and OSV are configured by aiDevops.security.* settings or the sandbox).';
  const failures: string[] = [];
  for (const service of services) {
    try {
      await ctx.step(`Asking ${service.name} about ${wanted.length} package${wanted.length === 1 ? '' : 's'}`);
      const found = await service.lookup(wanted, ctx.signal);
      for (const [k, v] of found) answers.set(k, v);
      return undefined;
    } catch (error) {
      if (isDevOpsError(error) && error.code === 'cancelled') throw error;
      failures.push(isDevOpsError(error) ? error.message : `${service.name} failed (${(error as Error).message})`);
    }
  }
  return failures.join(' ');
}

async function findingFor(ctx: AgentContext, lock: ParsedLockfile, p: LockedPackage, a: Advisory): Promise<Finding> {
  const through = p.direct ? 'a direct dependency' : p.via.length ? `brought in by ${p.via.join(', ')}` : 'not traced to a direct dependency';
  const fix = a.fixedIn ? `Fixed in ${a.fixedIn}${p.direct ? `: update ${p.name} to ${a.fixedIn} or later` : p.via.length ? `: update ${p.via.join(' / ')} to a version that needs ${p.name} ${a.fixedIn} or later, or override ${p.name}` : ''}.` : 'No fixed version is known yet.';
  const edit = p.direct && a.fixedIn ? await bumpEdit(ctx, lock, p, a.fixedIn) : undefined;
  return {
    ruleId: a.id,
    category: 'dependencies',
    severity: SEVERITY[a.severity],
    message: `${p.name} ${p.version} (${through}) has a known vulnerability: ${a.title} (${a.id}). ${fix}`,
    file: lock.path,
    ...(p.line ? { line: p.line } : {}),
    fingerprint: fingerprintOf('dependencies', a.id, lock.path, p.ecosystem, p.name, p.version),
    helpUri: a.url,
    ...(edit ? { fix: { description: `Update ${p.name} to ${a.fixedIn}`, edits: [edit] } } : {}),
  };
}

/** The one-line change that moves a direct dependency to the fixing version, in its manifest. */
async function bumpEdit(ctx: AgentContext, lock: ParsedLockfile, p: LockedPackage, fixed: string): Promise<FileEdit | undefined> {
  if (lock.format === 'requirements') {
    const file = await ctx.files.read(lock.path);
    if (!file) return undefined;
    const lines = file.text.split('\n');
    const i = (p.line ?? 0) - 1;
    if (!lines[i]) return undefined;
    lines[i] = lines[i].replace(/(===?\s*)[A-Za-z0-9._+!-]+/, `$1${fixed}`);
    return { path: lock.path, action: 'modify', content: lines.join('\n'), baseSha256: file.sha256, why: `${p.name} ${p.version} → ${fixed}` };
  }
  if (p.ecosystem !== 'npm') return undefined;
  const manifestPath = `${dirOf(lock.path)}package.json`;
  const file = await ctx.files.read(manifestPath);
  if (!file) return undefined;
  const escaped = p.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const re = new RegExp(`("${escaped}"\\s*:\\s*")([~^]|>=)?([^"]+)(")`);
  if (!re.test(file.text)) return undefined;
  const content = file.text.replace(re, (_m, open: string, prefix: string | undefined, _old: string, close: string) => `${open}${prefix ?? ''}${fixed}${close}`);
  return { path: manifestPath, action: 'modify', content, baseSha256: file.sha256, why: `${p.name} ${p.version} → ${fixed} (run your package manager to update ${lock.path})` };
}
