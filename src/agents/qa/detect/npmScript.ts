import { parse } from 'shell-quote';

/**
 * What a package.json script runs, read as a shell would split it (never run through one): which
 * test runner, whether arguments given after `npm test --` reach it (only when it is the script's
 * last command), the runner's own arguments (files, require hooks, flags the project passes), a
 * coverage wrapper (c8, nyc), and other scripts it calls (`npm run test:unit`).
 */
export type NodeRunner = 'mocha' | 'jest' | 'vitest' | 'node-test';

export interface ScriptReading {
  readonly runner: NodeRunner | undefined;
  /** The runner's arguments as the script gives them (after the runner's name). */
  readonly runnerArgs: readonly string[];
  /** Arguments appended after `--` reach the runner. */
  readonly appendable: boolean;
  readonly coverageWrapper: 'c8' | 'nyc' | undefined;
  /** A script this one runs (`npm run X`, `yarn X`, `pnpm run X`), when the runner is not inline. */
  readonly calls: readonly string[];
  /** The script runs the workspaces' own scripts (`npm test --workspaces`, lerna, turbo, nx, pnpm -r). */
  readonly delegatesToWorkspaces: boolean;
}

const RUNNER_NAMES: Readonly<Record<string, NodeRunner>> = { mocha: 'mocha', _mocha: 'mocha', jest: 'jest', vitest: 'vitest' };
const SKIP_PREFIX = new Set(['cross-env', 'dotenv', 'env-cmd', 'npx', 'pnpm', 'yarn', 'bunx', 'exec']);

export function readScript(script: string): ScriptReading {
  const entries = parse(script, (name: string) => `$${name}`);
  const segments: string[][] = [[]];
  for (const e of entries) {
    if (typeof e === 'string') segments[segments.length - 1]!.push(e);
    else if ('op' in e && e.op !== 'glob') segments.push([]);
    else if ('op' in e && e.op === 'glob') segments[segments.length - 1]!.push((e as { pattern: string }).pattern);
  }
  const live = segments.filter((s) => s.length > 0);
  const calls: string[] = [];
  let delegates = false;
  let found: { runner: NodeRunner; args: string[]; index: number; wrapper: 'c8' | 'nyc' | undefined } | undefined;
  live.forEach((tokens, index) => {
    const words = tokens.filter((t) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(t));
    const joined = words.join(' ');
    if (/(^|\s)(--workspaces|-ws|--ws)(\s|$)|^(lerna|turbo|nx)\s|^pnpm\s+(-r|--recursive)\s/.test(joined)) delegates = true;
    const call = /^(?:npm|pnpm|yarn|bun)\s+(?:run(?:-script)?\s+)?([A-Za-z0-9:._-]+)/.exec(joined);
    if (call && !['exec', 'x', 'dlx', 'install', 'ci', 'i'].includes(call[1]!)) calls.push(call[1] === 't' ? 'test' : call[1]!);
    if (found) return;
    let wrapper: 'c8' | 'nyc' | undefined;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      const base = w.split('/').pop()!;
      if (base === 'c8' || base === 'nyc') {
        wrapper = base;
        continue;
      }
      if (RUNNER_NAMES[base]) {
        found = { runner: RUNNER_NAMES[base]!, args: words.slice(i + 1), index, wrapper };
        return;
      }
      if ((base === 'node' || base === 'tsx') && words.slice(i + 1).some((a) => a === '--test')) {
        found = { runner: 'node-test', args: words.slice(i + 1), index, wrapper };
        return;
      }
      if (SKIP_PREFIX.has(base) || w.startsWith('-') || (wrapper && !w.startsWith('-') && i > 0 && words[i - 1]!.startsWith('-') && !words[i - 1]!.includes('='))) continue;
      if (wrapper) continue;
      break;
    }
  });
  const hasPipe = entries.some((e) => typeof e !== 'string' && 'op' in e && (e.op === '|' || e.op === '>' || e.op === '>>' || e.op === '&'));
  return {
    runner: found?.runner,
    runnerArgs: found?.args ?? [],
    appendable: found !== undefined && found.index === live.length - 1 && !hasPipe,
    coverageWrapper: found?.wrapper,
    calls,
    delegatesToWorkspaces: delegates,
  };
}

/** node --test's file arguments in a script (`node --test test/`): when there are any, flags appended after them are read as files. */
export function nodeTestHasFileArguments(runnerArgs: readonly string[]): boolean {
  const VALUE_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--test-reporter', '--test-reporter-destination', '--test-name-pattern', '--test-concurrency', '--test-timeout', '--test-shard', '--env-file', '--conditions', '-C']);
  for (let i = 0; i < runnerArgs.length; i++) {
    const a = runnerArgs[i]!;
    if (a.startsWith('-')) {
      if (VALUE_FLAGS.has(a)) i++;
      continue;
    }
    return true;
  }
  return false;
}
