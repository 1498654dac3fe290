import { z } from 'zod';
import { DependencyGraph, type LockedPackage, lineOf, type ParsedLockfile } from './lockedPackages';

const DepsSchema = z.record(z.string(), z.string()).optional();
const PackageEntrySchema = z.object({ version: z.string().optional(), dependencies: DepsSchema, optionalDependencies: DepsSchema, devDependencies: DepsSchema, peerDependencies: DepsSchema, link: z.boolean().optional() }).loose();
interface V1Entry {
  readonly version?: string;
  readonly requires?: Record<string, string>;
  readonly dependencies?: Record<string, V1Entry>;
}
const V1EntrySchema: z.ZodType<V1Entry> = z.lazy(() => z.object({ version: z.string().optional(), requires: z.record(z.string(), z.string()).optional(), dependencies: z.record(z.string(), V1EntrySchema).optional() }).loose());
const PackageLockSchema = z.object({
  lockfileVersion: z.number().int().min(1).max(3).optional(),
  packages: z.record(z.string(), PackageEntrySchema).optional(),
  dependencies: z.record(z.string(), V1EntrySchema).optional(),
}).loose();

/**
 * package-lock.json (and npm-shrinkwrap.json), lockfile versions 1 to 3. Versions 2 and 3 list
 * every installed folder (`node_modules/a/node_modules/b`); a dependency resolves as node does,
 * from the nearest node_modules up. Version 1 nests the same tree; it is flattened into paths first.
 */
export function parsePackageLock(path: string, text: string): ParsedLockfile {
  const json = PackageLockSchema.parse(JSON.parse(text));
  const folders = new Map<string, { version: string; deps: string[] }>();
  let rootDeps: string[] = [];
  if (json.packages) {
    for (const [folder, entry] of Object.entries(json.packages)) {
      const deps = [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...Object.keys(entry.peerDependencies ?? {})];
      if (folder === '') rootDeps = [...deps, ...Object.keys(entry.devDependencies ?? {})];
      else if (folder.includes('node_modules/') && entry.version && !entry.link) folders.set(folder, { version: entry.version, deps });
    }
  } else if (json.dependencies) {
    const walk = (prefix: string, deps: Record<string, V1Entry>): void => {
      for (const [name, entry] of Object.entries(deps)) {
        const folder = `${prefix}node_modules/${name}`;
        if (entry.version && !entry.version.startsWith('file:')) folders.set(folder, { version: entry.version, deps: Object.keys(entry.requires ?? {}) });
        if (entry.dependencies) walk(`${folder}/`, entry.dependencies);
      }
    };
    walk('', json.dependencies);
    // Version 1 does not say which are the project's own: every top-level entry that nothing requires is.
    const required = new Set([...folders.values()].flatMap((f) => f.deps));
    rootDeps = Object.keys(json.dependencies).filter((n) => !required.has(n));
  }
  const resolve = (from: string, name: string): string | undefined => {
    for (let base = from; ; ) {
      const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (folders.has(candidate)) return candidate;
      if (!base) return undefined;
      const cut = base.lastIndexOf('/node_modules/');
      base = cut < 0 ? '' : base.slice(0, cut);
    }
  };
  const graph = new DependencyGraph();
  for (const [folder, f] of folders) for (const d of f.deps) {
    const to = resolve(folder, d);
    if (to) graph.link(folder, to);
  }
  const roots = new Map<string, string>();
  for (const d of rootDeps) {
    const to = resolve('', d);
    if (to) roots.set(to, d);
  }
  const via = graph.viaRoots(roots);
  const packages: LockedPackage[] = [];
  for (const [folder, f] of folders) {
    const name = folder.slice(folder.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const through = [...(via.get(folder) ?? [])].sort();
    packages.push({ ecosystem: 'npm', name, version: f.version, direct: roots.has(folder), via: through, line: lineOf(text, json.packages ? `"${folder}"` : `"${name}"`) });
  }
  return { path, format: 'package-lock', packages, notes: [] };
}
