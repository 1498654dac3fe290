import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type z } from 'zod';
import { type Logger } from '../../../core/host';

/**
 * One JSON document on disk, validated on read. A missing, unreadable or invalid file reads as
 * undefined (the cache is rebuilt from the service); writes go through a unique temp file and a
 * rename, so a reader never sees half a file and two writers never share a temp name.
 */
export class JsonFileStore<S extends z.ZodType> {
  constructor(
    readonly file: string,
    private readonly schema: S,
    private readonly log: Logger,
  ) {}

  async load(): Promise<z.output<S> | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = this.schema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      this.log.warn(`Ignoring the cache file ${path.basename(this.file)}: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
    } catch {
      this.log.warn(`Ignoring the cache file ${path.basename(this.file)}: it is not valid JSON.`);
    }
    return undefined;
  }

  async save(value: z.output<S>): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(value), 'utf8');
      await rename(temp, this.file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
