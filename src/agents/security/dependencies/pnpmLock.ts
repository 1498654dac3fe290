import { parse } from 'yaml';
import { z } from 'zod';
import { DependencyGraph, type LockedPackage, lineOf, type ParsedLockfile } from './lockedPackages';

const DepMap = z.record(z.string(), z.union([z.string(), z.object({ version: z.string() }).loose()])).optional();
const Importer = z.object({ dependencies: DepMap, devDependencies: DepMap, optionalDependencies: DepMap }).loose();
const Entry = z.object({ dependencies: z.record(z.string(), z.string()).optional(), optionalDependencies: z.record(z.string(), z.string()).optional() }).loose().nullable();
const PnpmLockSchema = z.object({
  lockfileVersion: z.union([z.string(), z.number()]),
  importers: z.record(z.string(), Importer).optional(),
  dependencies: DepMap,
  devDependencies: DepMap,
  packages: z.record(z.string(), Entry).optional(),
  snapshots: z.record(z.string(), Entry).optional(),
}).loose();

/** `1.2.3(react@18.2.0)` → `1.2.3`: the peer suffix is not part of the version. */
const bare = (v: string): string => v.replace(/\(.*$/, '');

/**
 * pnpm-lock.yaml, lockfile versions 5.4 to 9: the project's dependencies from `importers` (or the
 * top level), packages keyed `/name@1.0.0`, `/name/1.0.0` (5.x) or `name@1.0.0` (9, with the
 * dependency edges under `snapshots`).
 */
export function parsePnpmLock(path: string, text: string): ParsedLockfile {
  const lock = PnpmLockSchema.parse(parse(text));
  const keyOf = (name: string, version: string): string => `${name}@${bare(version)}`;
  const nodes = new Map<string, { name: string; version: string; raw: string }>();
  const parseKey = (raw: string): { name: string; version: string } | undefined => {
    const k = raw.replace(/^\//, '');
    const slash = /^((?:@[^/]+\/)?[^/@]+)\/(\d[^/]*)$/.exec(k);
    if (slash) return { name: slash[1]!, version: bare(slash[2]!) };
    const at = k.indexOf('@', 1);
    return at > 0 ? { name: k.slice(0, at), version: bare(k.slice(at + 1)) } : undefined;
  };
  const graph = new DependencyGraph();
  for (const [raw, entry] of Object.entries({ ...(lock.packages ?? {}), ...(lock.snapshots ?? {}) })) {
    const p = parseKey(raw);
    if (!p || p.version.startsWith('link:') || p.version.startsWith('file:')) continue;
    const id = keyOf(p.name, p.version);
    if (!nodes.has(id)) nodes.set(id, { ...p, raw });
    for (const [n, v] of Object.entries({ ...(entry?.dependencies ?? {}), ...(entry?.optionalDependencies ?? {}) })) {
      const to = v.includes('@') && !/^\d/.test(v) ? (() => { const q = parseKey(v); return q ? keyOf(q.name, q.version) : undefined; })() : keyOf(n, v);
      if (to) graph.link(id, to);
    }
  }
  const importers = lock.importers ?? { '.': { dependencies: lock.dependencies, devDependencies: lock.devDependencies } };
  const roots = new Map<string, string>();
  for (const imp of Object.values(importers)) {
    for (const [n, v] of Object.entries({ ...(imp.dependencies ?? {}), ...(imp.devDependencies ?? {}), ...(imp.optionalDependencies ?? {}) })) {
      const version = typeof v === 'string' ? v : v.version;
      if (!version.startsWith('link:')) roots.set(keyOf(n, version), n);
    }
  }
  const via = graph.viaRoots(roots);
  const packages: LockedPackage[] = [...nodes].map(([id, n]) => ({ ecosystem: 'npm', name: n.name, version: n.version, direct: roots.has(id), via: [...(via.get(id) ?? [])].sort(), line: lineOf(text, n.raw) }));
  return { path, format: 'pnpm-lock', packages, notes: [] };
}
