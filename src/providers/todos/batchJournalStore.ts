import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Logger } from '../../core/host';
import { type BatchJournal, parseJournal } from '../../core/todo/batchJournal';
import { type BatchJournalStore } from './batchRunner';

/**
 * The batch journal as a JSON file in the extension's storage, one per workspace folder. Written
 * to a temporary file and renamed, so a crash mid-write leaves the previous journal, not half a file.
 */
export class FileBatchJournalStore implements BatchJournalStore {
  private readonly file: string;

  constructor(storageDir: string, workspaceRoot: string, private readonly log: Logger) {
    const id = createHash('sha256').update(workspaceRoot).digest('hex').slice(0, 16);
    this.file = path.join(storageDir, 'todo-batches', `${id}.json`);
  }

  get path(): string {
    return this.file;
  }

  async load(): Promise<BatchJournal | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const { journal, problem } = parseJournal(text);
    if (journal === undefined) {
      // Keep the damaged file for inspection instead of silently starting over on top of it.
      const aside = `${this.file}.damaged-${Date.now()}`;
      await rename(this.file, aside);
      this.log.warn(`TODO batch journal was unreadable (${problem ?? 'unknown problem'}); moved it to ${aside}. Duplicates are still avoided by looking up open items with the same title.`);
    }
    return journal;
  }

  async save(journal: BatchJournal): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(journal, null, 1), 'utf8');
    await rename(temp, this.file);
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
