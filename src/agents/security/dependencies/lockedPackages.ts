import { type Ecosystem } from '../../../core/security/advisories';

/** One installed package version a lockfile pins, and the direct dependencies that bring it in. */
export interface LockedPackage {
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly version: string;
  /** Declared by the project itself. */
  readonly direct: boolean;
  /** The project's direct dependencies through which it is installed (itself, when direct). */
  readonly via: readonly string[];
  /** 1-based line in the lockfile where the package is pinned (for the Problems panel). */
  readonly line: number | undefined;
}

export interface ParsedLockfile {
  readonly path: string;
  readonly format: 'package-lock' | 'yarn.lock' | 'pnpm-lock' | 'requirements' | 'poetry.lock' | 'uv.lock';
  readonly packages: readonly LockedPackage[];
  /** What could not be read (an unpinned requirement, an include that is not followed). */
  readonly notes: readonly string[];
}

/** A dependency graph: name@version → names it depends on, resolved to name@version. */
export class DependencyGraph {
  private readonly edges = new Map<string, Set<string>>();

  link(from: string, to: string): void {
    (this.edges.get(from) ?? this.edges.set(from, new Set()).get(from)!).add(to);
  }

  /** For every node reachable from a root, the roots (direct dependencies) it is reachable from. */
  viaRoots(roots: ReadonlyMap<string, string>): Map<string, Set<string>> {
    const via = new Map<string, Set<string>>();
    for (const [node, rootName] of roots) {
      const stack = [node];
      const seen = new Set<string>();
      while (stack.length) {
        const n = stack.pop()!;
        if (seen.has(n)) continue;
        seen.add(n);
        (via.get(n) ?? via.set(n, new Set()).get(n)!).add(rootName);
        for (const m of this.edges.get(n) ?? []) stack.push(m);
      }
    }
    return via;
  }
}

/** 1-based line of the first occurrence of `needle`, or undefined. */
export function lineOf(text: string, needle: string): number | undefined {
  const at = text.indexOf(needle);
  if (at < 0) return undefined;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Splits `name@version` (the name may be scoped: `@scope/name@1.0.0`). */
export function splitNameVersion(spec: string): { name: string; version: string } | undefined {
  const at = spec.lastIndexOf('@');
  if (at <= 0) return undefined;
  return { name: spec.slice(0, at), version: spec.slice(at + 1) };
}
