import { parseSyml } from '@yarnpkg/parsers';
import { DependencyGraph, type LockedPackage, lineOf, type ParsedLockfile } from './lockedPackages';

/**
 * yarn.lock, classic (v1) and Berry (YAML), read with Yarn's own parser. Entries are keyed by the
 * descriptors that resolved to them (`lodash@^4.17.0, lodash@^4.17.20`, Berry `lodash@npm:^4.17.20`);
 * a dependency `a: ^1` resolves to the entry listing `a@^1`. The project's own dependencies come
 * from its package.json.
 */
export function parseYarnLock(path: string, text: string, directNames: readonly string[]): ParsedLockfile {
  const doc = parseSyml(text) as Record<string, unknown>;
  const byDescriptor = new Map<string, string>();
  const entries = new Map<string, { name: string; version: string; deps: [string, string][]; key: string }>();
  for (const [key, value] of Object.entries(doc)) {
    if (key === '__metadata' || !value || typeof value !== 'object') continue;
    const entry = value as { version?: unknown; dependencies?: Record<string, unknown>; optionalDependencies?: Record<string, unknown>; linkType?: string };
    const descriptors = key.split(',').map((d) => d.trim().replace(/^"|"$/g, ''));
    const first = descriptors[0]!;
    const at = first.indexOf('@', 1);
    const name = first.slice(0, at);
    if (typeof entry.version !== 'string' || entry.linkType === 'soft' || /@(?:workspace|link|portal|file):/.test(first)) continue;
    const id = `${name}@${entry.version}`;
    const deps = Object.entries({ ...(entry.dependencies ?? {}), ...(entry.optionalDependencies ?? {}) }).map(([n, r]) => [n, String(r)] as [string, string]);
    entries.set(id, { name, version: entry.version, deps, key: first });
    for (const d of descriptors) byDescriptor.set(d.replace('@npm:', '@'), id);
  }
  const graph = new DependencyGraph();
  for (const [id, e] of entries) for (const [n, r] of e.deps) {
    const to = byDescriptor.get(`${n}@${r.replace(/^npm:/, '')}`);
    if (to) graph.link(id, to);
  }
  const direct = new Set(directNames);
  const roots = new Map<string, string>();
  for (const [id, e] of entries) if (direct.has(e.name)) roots.set(id, e.name);
  const via = graph.viaRoots(roots);
  const packages: LockedPackage[] = [...entries].map(([id, e]) => ({ ecosystem: 'npm', name: e.name, version: e.version, direct: roots.has(id), via: [...(via.get(id) ?? [])].sort(), line: lineOf(text, e.key) }));
  return { path, format: 'yarn.lock', packages, notes: directNames.length ? [] : [`${path}: no package.json beside it, so no package could be traced to a direct dependency.`] };
}
