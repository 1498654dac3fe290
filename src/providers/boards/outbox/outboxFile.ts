import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { lock } from 'proper-lockfile';
import { type OutboxEntry, OutboxEntrySchema } from '../../../core/boards/outbox';
import { type Logger } from '../../../core/host';

/**
 * The outbox on disk: one JSON entry per line in `<storageDir>/boards-outbox.jsonl`. Every change
 * rewrites the whole file to a temporary name and renames it, under a proper-lockfile lock, so two
 * VS Code windows never interleave and a crash mid-write leaves the previous file. Lines that do
 * not parse (an edited or damaged file) are dropped one by one, after a copy of the file is kept.
 */
export class OutboxFile {
  readonly file: string;

  constructor(
    storageDir: string,
    private readonly log: Logger,
  ) {
    this.file = path.join(storageDir, 'boards-outbox.jsonl');
  }

  /** Runs `fn` with the file locked; what it returns as `write` replaces the file's entries. */
  async update<T>(fn: (entries: OutboxEntry[]) => { readonly write?: OutboxEntry[]; readonly result: T }): Promise<T> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const release = await lock(this.file, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 50, minTimeout: 10, maxTimeout: 200, factor: 1.5 },
      onCompromised: (error) => this.log.warn(`The outbox lock was taken over (${error.message}); another window may write the outbox at the same time.`),
    });
    try {
      const { entries, damaged } = await this.read();
      const { write, result } = fn(entries);
      if (write !== undefined) await this.write(write);
      else if (damaged) await this.write(entries);
      return result;
    } finally {
      await release().catch((error: unknown) => this.log.debug(`Releasing the outbox lock failed: ${String(error)}`));
    }
  }

  /** Reads without locking (a snapshot for the status bar; the rename makes every read whole). */
  async snapshot(): Promise<OutboxEntry[]> {
    return (await this.read()).entries;
  }

  private async read(): Promise<{ entries: OutboxEntry[]; damaged: boolean }> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], damaged: false };
      throw error;
    }
    const entries: OutboxEntry[] = [];
    const seen = new Set<string>();
    let bad = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const parsed = OutboxEntrySchema.safeParse(parseJson(line));
      if (!parsed.success || seen.has(parsed.data.id)) {
        bad++;
        continue;
      }
      seen.add(parsed.data.id);
      entries.push(parsed.data);
    }
    if (bad > 0) {
      const aside = `${this.file}.damaged-${Date.now()}`;
      await copyFile(this.file, aside).catch(() => undefined);
      this.log.warn(`The boards outbox had ${bad} unreadable line(s); kept ${entries.length} change(s) and saved the original as ${aside}.`);
    }
    return { entries, damaged: bad > 0 };
  }

  private async write(entries: readonly OutboxEntry[]): Promise<void> {
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''), 'utf8');
      // The entry must be on disk before the tracker says "queued": a power cut must not lose it.
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, this.file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
