import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from './runCommand';

/** True when dpkg knows the package as installed (`dpkg -s` exits 0 and says "install ok installed"). */
export function aptInstalled(pkg: string): boolean {
  const result = spawnSync('dpkg', ['-s', pkg], { encoding: 'utf8' });
  return result.status === 0 && /Status: install ok installed/.test(result.stdout);
}

/** Package lists older than this are refreshed before installing (a stale list 404s on the mirror). */
const LIST_MAX_AGE_MS = 24 * 60 * 60 * 1000;

function packageListsFresh(): boolean {
  const lists = '/var/lib/apt/lists';
  if (!existsSync(lists)) return false;
  const stamp = path.join(lists, 'lock');
  const newest = existsSync('/var/cache/apt/pkgcache.bin') ? statSync('/var/cache/apt/pkgcache.bin').mtimeMs : 0;
  return existsSync(stamp) && newest > 0 && Date.now() - newest < LIST_MAX_AGE_MS;
}

/**
 * Installs the Debian packages that are missing, non-interactively, and only those: a machine that
 * has them all never runs apt. Needs root (as on these machines) or passwordless sudo.
 */
export async function ensureAptPackages(packages: readonly string[], logFile: string, say: (line: string) => void): Promise<void> {
  const missing = packages.filter((p) => !aptInstalled(p));
  if (missing.length === 0) return;
  if (!existsSync('/usr/bin/apt-get')) {
    throw new Error(`These Debian packages are needed but missing: ${missing.join(', ')}, and apt-get is not available. Install them with your package manager and run again.`);
  }
  const asRoot = process.getuid?.() === 0;
  const sudo = (args: string[]): [string, string[]] => (asRoot ? [args[0]!, args.slice(1)] : ['sudo', ['-n', ...args]]);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' };
  const install = (): Promise<void> => {
    const [cmd, args] = sudo(['apt-get', 'install', '-y', '--no-install-recommends', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', ...missing]);
    return runCommand(cmd, args, { env, logFile });
  };
  say(`Installing Debian packages: ${missing.join(', ')} (log: ${logFile})`);
  try {
    try {
      if (!packageListsFresh()) throw new Error('package lists are stale');
      await install();
    } catch {
      // First install on a fresh machine: the package lists are empty or old; update once and retry.
      const [cmd, args] = sudo(['apt-get', 'update']);
      await runCommand(cmd, args, { env, logFile });
      await install();
    }
  } catch (error) {
    const hint = asRoot ? '' : ' (not root, and `sudo -n` needs passwordless sudo)';
    throw new Error(`Could not install ${missing.join(', ')}${hint}. Install them with \`sudo apt-get install ${missing.join(' ')}\` and run again.\n${(error as Error).message}`, { cause: error });
  }
  const still = packages.filter((p) => !aptInstalled(p));
  if (still.length > 0) throw new Error(`apt-get finished but these packages are still not installed: ${still.join(', ')}. See ${logFile}.`);
}
