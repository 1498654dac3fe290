import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DevOpsError } from '../../core/errors';
import { guardPath } from '../../core/policy/pathGuard';
import { resolveRealPath } from '../../providers/files/realPath';

/** Where a run's scratch folders live, workspace-relative. */
export const SCRATCH_ROOT = '.devops/tmp';

/** Whether a workspace-relative path (forward slashes) lies inside a run's scratch folder. */
export const isScratchPath = (relative: string): boolean => relative.replace(/\\/g, '/').startsWith(`${SCRATCH_ROOT}/`);

/**
 * A folder that exists for one run only: test runners write their reports there (the flags that
 * name an output file point inside the workspace, as the command policy requires), the agent
 * reads them through ctx.files, and the runtime removes the folder when the run ends, whatever
 * happened. Created on first use, so agents that never ask leave nothing behind.
 */
export class RunScratch {
  private created: Promise<string> | undefined;

  constructor(
    private readonly root: string,
    private readonly runId: string,
  ) {}

  /** The folder, workspace-relative (forward slashes); created now if it was not. */
  dir(): Promise<string> {
    this.created ??= (async () => {
      const rel = `${SCRATCH_ROOT}/${this.runId}`;
      // A cloned repository may hold `.devops/tmp` as a symlink to somewhere else: never follow it out.
      const decision = await guardPath(this.root, rel, resolveRealPath, { forWrite: true });
      if (!decision.ok) throw new DevOpsError('refused', `The run's scratch folder ${rel} is not allowed: ${decision.reason}`);
      await fs.mkdir(path.join(this.root, rel), { recursive: true });
      return rel;
    })();
    return this.created;
  }

  async dispose(): Promise<void> {
    if (!this.created) return;
    const rel = await this.created.catch(() => undefined);
    if (!rel) return;
    await fs.rm(path.join(this.root, rel), { recursive: true, force: true });
    // The parent goes too once no other run (another window) uses it.
    await fs.rmdir(path.join(this.root, SCRATCH_ROOT)).catch(() => undefined);
  }
}
