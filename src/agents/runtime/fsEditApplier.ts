import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DevOpsError } from '../../core/errors';
import { type EditApplier, type PreparedEdit } from './edits';

/**
 * Applies edits to disk so that no file is ever half-written: each new content goes to a temporary
 * file beside its target (same folder, so the rename is atomic), flushed, then renamed over it.
 * Every temporary file is written before the first rename, so a failure while writing leaves the
 * workspace as it was; a failure during the renames puts back what was already replaced.
 */
export class FsEditApplier implements EditApplier {
  /** Test seam: called before each rename (the crash-mid-apply test throws from it). */
  constructor(private readonly beforeRename: (edit: PreparedEdit, index: number) => void = () => undefined) {}

  async apply(edits: readonly PreparedEdit[], signal: AbortSignal): Promise<void> {
    // The review can take as long as the user likes: a file changed (or created) meanwhile is not overwritten.
    for (const edit of edits) {
      const read = await fs.readFile(edit.absolute, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
      // `original` is the text without a byte order mark (prepareEdits strips it; `bom` says it was there).
      const now = read?.startsWith('\uFEFF') ? read.slice(1) : read;
      if (now !== edit.original || (read !== undefined && edit.original !== undefined && read.startsWith('\uFEFF') !== (edit.bom ?? false))) {
        throw new DevOpsError('conflict', `${edit.path} ${edit.original === undefined ? 'was created' : now === undefined ? 'was deleted' : 'was changed'} while the plan was being reviewed; nothing was written. Run the agent again to plan against the file as it is now.`);
      }
    }
    const staged: { edit: PreparedEdit; temp: string; createdDirs: string[] }[] = [];
    try {
      for (const edit of edits) {
        if (signal.aborted) throw new DevOpsError('cancelled', 'Cancelled before the files were written; nothing was changed.');
        const createdDirs = await makeParents(path.dirname(edit.absolute));
        const temp = path.join(path.dirname(edit.absolute), `.${path.basename(edit.absolute)}.${randomBytes(6).toString('hex')}.aidevops-tmp`);
        staged.push({ edit, temp, createdDirs });
        const handle = await fs.open(temp, 'wx', edit.executable ? 0o755 : 0o644);
        try {
          // A file that had a byte order mark keeps it (agents see and write the text without it).
          await handle.writeFile(edit.bom ? `\uFEFF${edit.content}` : edit.content, 'utf8');
          await handle.sync();
        } finally {
          await handle.close();
        }
        if (edit.original !== undefined) {
          // Keep the file's own permissions on a modification.
          const mode = (await fs.stat(edit.absolute)).mode & 0o777;
          await fs.chmod(temp, edit.executable ? mode | 0o111 : mode);
        }
      }
    } catch (error) {
      await discard(staged);
      throw error;
    }
    const done: (typeof staged)[number][] = [];
    try {
      for (const [index, s] of staged.entries()) {
        this.beforeRename(s.edit, index);
        await fs.rename(s.temp, s.edit.absolute);
        done.push(s);
      }
    } catch (error) {
      // Put back what was replaced, remove what was created, and the temporaries not yet renamed.
      for (const s of done.reverse()) {
        try {
          if (s.edit.original === undefined) await fs.rm(s.edit.absolute, { force: true });
          else await fs.writeFile(s.edit.absolute, s.edit.bom ? `\uFEFF${s.edit.original}` : s.edit.original, 'utf8');
        } catch {
          // Best effort: the error below says the apply failed; the audit trail lists what was written.
        }
      }
      await discard(staged.filter((s) => !done.includes(s)));
      await discard(done.map((s) => ({ ...s, temp: '' })));
      throw error;
    }
  }
}

/** Creates the missing folders above a file; returns those it created (deepest last). */
async function makeParents(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let d = dir; ; d = path.dirname(d)) {
    try {
      await fs.stat(d);
      break;
    } catch {
      missing.unshift(d);
      if (path.dirname(d) === d) break;
    }
  }
  for (const d of missing) await fs.mkdir(d).catch((e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? undefined : Promise.reject(e)));
  return missing;
}

async function discard(staged: readonly { temp: string; createdDirs: string[] }[]): Promise<void> {
  for (const s of staged) {
    if (s.temp) await fs.rm(s.temp, { force: true }).catch(() => undefined);
  }
  // Folders created for the edits, deepest first, only when left empty.
  for (const dir of staged.flatMap((s) => s.createdDirs).reverse()) await fs.rmdir(dir).catch(() => undefined);
}
