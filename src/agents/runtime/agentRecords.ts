import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DevOpsError } from '../../core/errors';

/**
 * An agent's own memory between runs, under `.devops/<agent>/<name>.json` (QA's run history for
 * trends and flaky tests). Not a change to the user's project, so not a plan step: the runtime
 * writes it at once, atomically, only there, and audits each write. Names are plain words; values
 * are JSON; a file that is not valid JSON reads as absent (and is replaced on the next write).
 */
export interface AgentRecords {
  read(name: string): Promise<unknown>;
  write(name: string, value: unknown): Promise<void>;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_BYTES = 8 * 1024 * 1024;

export class FileAgentRecords implements AgentRecords {
  constructor(
    private readonly root: string,
    private readonly agent: string,
    private readonly onWrite: (name: string, bytes: number) => Promise<void> = async () => undefined,
  ) {
    if (!NAME.test(agent)) throw new DevOpsError('invalidInput', `"${agent}" cannot name an agent's records folder.`);
  }

  /** Workspace-relative path of a record. */
  pathOf(name: string): string {
    if (!NAME.test(name)) throw new DevOpsError('invalidInput', `"${name}" is not a record name (lower-case letters, digits and dashes).`);
    return `.devops/${this.agent}/${name}.json`;
  }

  async read(name: string): Promise<unknown> {
    const file = path.join(this.root, this.pathOf(name));
    let text: string;
    try {
      const stat = await fs.lstat(file);
      if (!stat.isFile() || stat.size > MAX_BYTES) return undefined;
      text = await fs.readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }

  async write(name: string, value: unknown): Promise<void> {
    const rel = this.pathOf(name);
    const text = `${JSON.stringify(value, null, 1)}\n`;
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_BYTES) throw new DevOpsError('invalidInput', `The ${this.agent} agent's record "${name}" would be ${Math.round(bytes / 1024)} KB, more than the ${MAX_BYTES / 1024 / 1024} MB a record may hold.`);
    const file = path.join(this.root, rel);
    const dir = path.dirname(file);
    await fs.mkdir(dir, { recursive: true });
    // A link planted where the folder or file should be would send the write elsewhere.
    if ((await fs.lstat(dir)).isSymbolicLink()) throw new DevOpsError('refused', `${path.dirname(rel)} is a symbolic link; the ${this.agent} agent's records are not written through it.`);
    const existing = await fs.lstat(file).catch(() => undefined);
    if (existing && !existing.isFile()) throw new DevOpsError('refused', `${rel} is not a regular file; it was left alone.`);
    const temp = path.join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
    await fs.writeFile(temp, text, { flag: 'wx' });
    try {
      await fs.rename(temp, file);
    } catch (error) {
      await fs.rm(temp, { force: true });
      throw error;
    }
    await this.onWrite(rel, bytes);
  }
}
