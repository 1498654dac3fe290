import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { lock } from 'proper-lockfile';
import { type FileApprovalRecords, type FileApprovalStorage, parseApprovalRecords, StoredFileApprovals } from '../../core/approvals';
import { type Logger } from '../../core/host';

export const FILE_APPROVALS_FILE = 'file-approvals.json';

/**
 * File approvals for the headless runner and the tests: `<dir>/file-approvals.json`, where `dir` is
 * a directory the user owns and the workspace does not (the CLI's state directory, a test's temp
 * dir). Writes replace the file through a temp file and a rename under a lock, so two processes do
 * not lose each other's approvals. A missing, unreadable or damaged file holds no approvals: the
 * user is asked again, nothing is granted by mistake.
 */
export function fileApprovalsInDirectory(dir: string, log: Logger, now?: () => Date): StoredFileApprovals {
  return new StoredFileApprovals(new JsonApprovalStorage(path.join(dir, FILE_APPROVALS_FILE), log), now);
}

class JsonApprovalStorage implements FileApprovalStorage {
  constructor(
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  async read(): Promise<FileApprovalRecords> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`File approvals could not be read from ${this.file} (${(error as Error).message}); treating every repository file as not approved.`);
      return {};
    }
    try {
      return parseApprovalRecords(JSON.parse(text));
    } catch {
      this.log.warn(`File approvals in ${this.file} are not valid JSON; treating every repository file as not approved.`);
      return {};
    }
  }

  async update(change: (records: FileApprovalRecords) => FileApprovalRecords): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const release = await lock(this.file, {
      realpath: false,
      stale: 10_000,
      retries: { retries: 50, minTimeout: 10, maxTimeout: 200, factor: 1.5 },
    });
    try {
      const next = change(await this.read());
      const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(next, null, 2)}\n`, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.file).catch(async (error: unknown) => {
        await rm(temp, { force: true });
        throw error;
      });
    } finally {
      await release().catch((error: unknown) => this.log.debug(`Releasing the file approvals lock failed: ${String(error)}`));
    }
  }
}
