import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type Logger } from '../core/host';
import { type SandboxServer } from './http/server';

const PortSchema = z.object({ port: z.number().int().min(1024).max(65535) });

function portIn(text: string): number | undefined {
  try {
    return PortSchema.safeParse(JSON.parse(text)).data?.port;
  } catch {
    return undefined;
  }
}

/**
 * Starts the server on the port it had last time in this state folder, when that port is free, so
 * the stand-ins' URLs stay the same across reloads: the boards' disk caches are kept per service
 * URL, and a new port every start made each window's first rows a cold fetch. Any other port the
 * file names (from a repository, say) is only ever tried on 127.0.0.1 and given up on any error.
 */
export async function startOnRememberedPort(server: SandboxServer, stateDir: string | undefined, log: Logger): Promise<void> {
  const file = stateDir ? path.join(stateDir, 'port.json') : undefined;
  const remembered = file ? await readFile(file, 'utf8').then(portIn, () => undefined) : undefined;
  if (remembered !== undefined) {
    try {
      await server.start(remembered);
    } catch (e) {
      log.info(`Sandbox: port ${remembered} is not free (${e instanceof Error ? e.message : String(e)}); using another one.`);
    }
  }
  const url = await server.start(0);
  const port = Number(new URL(url).port);
  if (file && port !== remembered) await writeFile(file, JSON.stringify({ port }), 'utf8').catch(() => undefined);
}
