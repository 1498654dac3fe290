import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/vscode/ports';
import { runCommand } from '../../scripts/vscode/runCommand';

/** A throwaway PostgreSQL server from Debian's `postgresql` package: its own data folder, a free port, trust auth on 127.0.0.1 only. */
export interface TempPostgres {
  readonly url: (database: string) => string;
  stop(): Promise<void>;
}

function postgresBin(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => path.join(base, v, 'bin')).find((b) => existsSync(path.join(b, 'initdb')));
  if (!bin) throw new Error('PostgreSQL\'s initdb was not found under /usr/lib/postgresql/*/bin. Install the Debian package "postgresql".');
  return bin;
}

/** initdb refuses to run as root: as root, the server runs as Debian's `postgres` user. */
function asServerUser(command: string, args: readonly string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, [...args]];
}

export async function startPostgres(logFile: string): Promise<TempPostgres> {
  const bin = postgresBin();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aidevops-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const pw = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    if (pw.status !== 0) throw new Error('Running as root needs the "postgres" user that Debian\'s postgresql package creates.');
    chownSync(dir, Number(pw.stdout.trim()), Number(gid.stdout.trim()));
  }
  const port = await freePort();
  let started = false;
  const stop = async (): Promise<void> => {
    if (started) {
      started = false;
      const [cmd, args] = asServerUser(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      await runCommand(cmd, args, { logFile }).catch(() => undefined);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [initCmd, initArgs] = asServerUser(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync']);
    await runCommand(initCmd, initArgs, { logFile });
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off`;
    const [startCmd, startArgs] = asServerUser(path.join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', 'start']);
    started = true;
    await runCommand(startCmd, startArgs, { logFile });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    stop,
  };
}

/** Creates a database on the server (the tests need one to connect to; Django makes its own test_ copy beside it). */
export async function createDatabase(server: TempPostgres, database: string, logFile: string): Promise<void> {
  const url = new URL(server.url('postgres'));
  await runCommand(path.join(postgresBin(), 'createdb'), ['-h', url.hostname, '-p', url.port, '-U', 'postgres', database], { logFile });
}
