import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Logger } from '../core/host';

/**
 * One stand-in's state on disk (`<dir>/<name>.json`), so the sandbox keeps what the user did in it
 * across reloads. Writes go to a temp file renamed over the old one: a crash mid-write leaves the
 * previous state, never half a file.
 */
export class SandboxStateFile {
  private timer: NodeJS.Timeout | undefined;
  private pending: (() => unknown) | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly log: Logger,
    private readonly debounceMs = 500,
  ) {}

  /**
   * The saved JSON, or undefined when there is none. A file that cannot be parsed is moved aside
   * to `<name>.json.broken` (kept for the user to look at) and undefined is returned, so the
   * sandbox starts from the demo data instead of failing.
   */
  async load(parse: (json: unknown) => void): Promise<boolean> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
    try {
      parse(JSON.parse(text));
      return true;
    } catch (error) {
      const broken = `${this.file}.broken`;
      await rename(this.file, broken).catch(() => undefined);
      const reason = error instanceof Error ? error.message : String(error);
      this.log.warn(`Sandbox: ${path.basename(this.file)} could not be read (${reason.slice(0, 300)}); it was moved to ${path.basename(broken)} and the demo data was restored.`);
      return false;
    }
  }

  /** Saves `snapshot()` after the debounce; repeated calls within it write once. */
  schedule(snapshot: () => unknown): void {
    this.pending = snapshot;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Writes a scheduled snapshot now (on stop) and waits for every write started so far. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const snapshot = this.pending;
    this.pending = undefined;
    if (snapshot) {
      this.writing = this.writing.then(() => this.write(snapshot())).catch((error: unknown) => {
        this.log.warn(`Sandbox: could not save ${path.basename(this.file)}: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    await this.writing;
  }

  private async write(value: unknown): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temp, JSON.stringify(value), 'utf8');
    await rename(temp, this.file);
  }
}
