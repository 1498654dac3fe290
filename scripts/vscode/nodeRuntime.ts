import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { NODE_PACKAGE, NODE_VERSION, vscodePaths } from './config';
import { runCommand } from './runCommand';

/** The version the cached node binary reports, or undefined when it is missing or does not run. */
export function cachedNodeVersion(nodeDir: string = vscodePaths().node): string | undefined {
  const bin = path.join(nodeDir, 'bin', 'node');
  if (!existsSync(bin)) return undefined;
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 15_000 });
  return result.status === 0 ? result.stdout.trim().replace(/^v/, '') : undefined;
}

/**
 * Node 24 for code-server, from the registry package that carries the official binary and headers.
 * Laid out as a node install (bin/node, include/node/...) so node-gyp can use it as `nodedir`.
 */
export async function ensureNodeRuntime(logFile: string, say: (line: string) => void): Promise<string> {
  const paths = vscodePaths();
  if (cachedNodeVersion() === NODE_VERSION) return paths.node;
  say(`Installing Node ${NODE_VERSION} for code-server (npm package ${NODE_PACKAGE}) into ${paths.node}`);
  const work = `${paths.node}.partial`;
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  await runCommand('npm', ['pack', `${NODE_PACKAGE}@${NODE_VERSION}`, '--pack-destination', work, '--silent'], {
    cwd: work,
    logFile,
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${NODE_PACKAGE}@${NODE_VERSION} produced no tarball; see ${logFile}.`);
  await runCommand('tar', ['-xzf', tarball, '--strip-components=1', '--no-same-owner'], { cwd: work, logFile });
  rmSync(path.join(work, tarball));
  rmSync(paths.node, { recursive: true, force: true });
  renameSync(work, paths.node);
  const version = cachedNodeVersion();
  if (version !== NODE_VERSION) {
    throw new Error(`The node binary from ${NODE_PACKAGE}@${NODE_VERSION} does not run here (got ${version ?? 'no output'}); see ${logFile}.`);
  }
  return paths.node;
}

/** Environment for anything that must run on the cached Node (npm, node-gyp, code-server). */
export function nodeEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const paths = vscodePaths();
  // Under `npm test` the parent npm exports npm_config_user_agent (naming Node 20), npm_execpath and
  // friends; a child npm would read them as its own config and code-server's postinstall would
  // refuse to run. Start from an environment without them.
  const clean = Object.fromEntries(Object.entries(base).filter(([key]) => !/^npm_/i.test(key)));
  return {
    ...clean,
    PATH: `${paths.nodeBin}${path.delimiter}${base.PATH ?? ''}`,
    // Overrides a user-level `nodedir` (these machines set one for the system Node 20): native
    // modules must build against Node 24's headers or they fail to load in code-server.
    npm_config_nodedir: paths.node,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    ...(process.getuid?.() === 0 ? { npm_config_unsafe_perm: 'true' } : {}),
  };
}
