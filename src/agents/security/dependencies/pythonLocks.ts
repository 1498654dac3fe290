import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { normalisePyPiName } from '../../../core/security/advisories';
import { DependencyGraph, type LockedPackage, lineOf, type ParsedLockfile } from './lockedPackages';

/**
 * requirements*.txt: every `name==version` line is a direct, pinned dependency. Anything else
 * (ranges, URLs, editable installs, `-r` includes) cannot be looked up by version and is said so.
 */
export function parseRequirements(path: string, text: string): ParsedLockfile {
  const packages: LockedPackage[] = [];
  const notes: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    if (line.startsWith('-')) {
      if (/^(-r|--requirement|-c|--constraint)\b/.test(line)) notes.push(`${path}:${i + 1}: "${line}" includes another file; scan that file too (it is scanned when its name matches requirements*.txt).`);
      return;
    }
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([A-Za-z0-9._+!-]+)\s*(?:;.*)?$/.exec(line.replace(/\s+--hash=\S+/g, ''));
    if (!m) {
      notes.push(`${path}:${i + 1}: "${line.slice(0, 80)}" is not pinned to one version (name==version), so it was not checked.`);
      return;
    }
    const name = normalisePyPiName(m[1]!);
    packages.push({ ecosystem: 'PyPI', name, version: m[2]!, direct: true, via: [name], line: i + 1 });
  });
  return { path, format: 'requirements', packages, notes };
}

const PoetryLockSchema = z.object({
  package: z.array(z.object({ name: z.string(), version: z.string(), dependencies: z.record(z.string(), z.unknown()).optional() }).loose()).default([]),
}).loose();
const UvLockSchema = z.object({
  package: z.array(z.object({
    name: z.string(),
    version: z.string().optional(),
    source: z.record(z.string(), z.unknown()).optional(),
    dependencies: z.array(z.object({ name: z.string() }).loose()).optional(),
    'optional-dependencies': z.record(z.string(), z.array(z.object({ name: z.string() }).loose())).optional(),
    'dev-dependencies': z.record(z.string(), z.array(z.object({ name: z.string() }).loose())).optional(),
  }).loose()).default([]),
}).loose();

function fromGraph(path: string, format: ParsedLockfile['format'], text: string, nodes: Map<string, string>, graph: DependencyGraph, directNames: readonly string[], notes: string[]): ParsedLockfile {
  const roots = new Map<string, string>();
  for (const n of directNames.map(normalisePyPiName)) if (nodes.has(n)) roots.set(n, n);
  const via = graph.viaRoots(roots);
  const packages: LockedPackage[] = [...nodes].map(([name, version]) => ({ ecosystem: 'PyPI', name, version, direct: roots.has(name), via: [...(via.get(name) ?? [])].sort(), line: lineOf(text, `name = "${name}"`) ?? lineOf(text, `"${name}"`) }));
  return { path, format, packages, notes };
}

/** poetry.lock: `[[package]]` tables with their dependencies; the direct ones come from pyproject.toml. */
export function parsePoetryLock(path: string, text: string, directNames: readonly string[]): ParsedLockfile {
  const lock = PoetryLockSchema.parse(parseToml(text));
  const nodes = new Map<string, string>();
  const graph = new DependencyGraph();
  for (const p of lock.package) nodes.set(normalisePyPiName(p.name), p.version);
  for (const p of lock.package) for (const d of Object.keys(p.dependencies ?? {})) graph.link(normalisePyPiName(p.name), normalisePyPiName(d));
  return fromGraph(path, 'poetry.lock', text, nodes, graph, directNames, directNames.length ? [] : [`${path}: no pyproject.toml dependencies found, so no package could be traced to a direct dependency.`]);
}

/** uv.lock: the project itself is the package whose source is `editable` or `virtual`; its dependencies are the direct ones. */
export function parseUvLock(path: string, text: string): ParsedLockfile {
  const lock = UvLockSchema.parse(parseToml(text));
  const nodes = new Map<string, string>();
  const graph = new DependencyGraph();
  const direct: string[] = [];
  for (const p of lock.package) {
    const name = normalisePyPiName(p.name);
    const deps = [...(p.dependencies ?? []), ...Object.values(p['optional-dependencies'] ?? {}).flat(), ...Object.values(p['dev-dependencies'] ?? {}).flat()].map((d) => normalisePyPiName(d.name));
    const isProject = p.source !== undefined && ('editable' in p.source || 'virtual' in p.source);
    if (isProject) direct.push(...deps);
    else if (p.version) {
      nodes.set(name, p.version);
      for (const d of deps) graph.link(name, d);
    }
  }
  return fromGraph(path, 'uv.lock', text, nodes, graph, direct, []);
}

/** The dependency names pyproject.toml declares (PEP 621 `[project]` and Poetry's table). */
export function pyprojectDependencies(text: string): string[] {
  const doc = parseToml(text) as { project?: { dependencies?: unknown; 'optional-dependencies'?: Record<string, unknown> }; tool?: { poetry?: { dependencies?: Record<string, unknown>; group?: Record<string, { dependencies?: Record<string, unknown> }> } } };
  const names: string[] = [];
  const pep508 = (spec: unknown): void => {
    const m = typeof spec === 'string' ? /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec) : null;
    if (m) names.push(m[1]!);
  };
  if (Array.isArray(doc.project?.dependencies)) doc.project.dependencies.forEach(pep508);
  for (const group of Object.values(doc.project?.['optional-dependencies'] ?? {})) if (Array.isArray(group)) group.forEach(pep508);
  names.push(...Object.keys(doc.tool?.poetry?.dependencies ?? {}).filter((n) => n.toLowerCase() !== 'python'));
  for (const g of Object.values(doc.tool?.poetry?.group ?? {})) names.push(...Object.keys(g.dependencies ?? {}));
  return names;
}
