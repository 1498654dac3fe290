import { type TrailVerifyReport, verifyTrailStream } from './trailVerify';
import { headStillThere, type VerifiedHeadStore } from './verifiedHead';

export interface VerifyRunOptions {
  /** Check every line, not only those after the remembered head. */
  readonly full?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface VerifyRun {
  readonly report: TrailVerifyReport;
  /** `incremental`: only the lines after the remembered head were checked. */
  readonly mode: 'full' | 'incremental';
  /** When an incremental verify was wanted but could not be: why a full one ran instead. */
  readonly fellBack?: string;
  /** When the head this run started from was verified. */
  readonly since?: string;
}

/**
 * Verify with a memory: after a verify that finds the trail intact, the head (file, offset, seq,
 * hash) is saved, and the next verify checks only the events after it. A full verify, which the
 * Verify command offers, still reads every line: damage before the remembered head is only found
 * that way. Damage forgets the head, so every later verify is a full one until the trail is fixed.
 */
export class TrailVerifier {
  constructor(
    private readonly dir: string,
    private readonly store: VerifiedHeadStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async verify(options: VerifyRunOptions = {}): Promise<VerifyRun> {
    const { signal, onProgress } = options;
    let fellBack: string | undefined;
    if (!options.full) {
      const loaded = await this.store.load();
      if (loaded.head) {
        const gone = await headStillThere(this.dir, loaded.head);
        if (!gone) {
          const report = await verifyTrailStream(this.dir, { from: loaded.head, signal, onProgress });
          await this.remember(report);
          return { report, mode: 'incremental', since: loaded.verifiedAt };
        }
        fellBack = gone;
      } else fellBack = loaded.why;
    }
    const report = await verifyTrailStream(this.dir, { signal, onProgress });
    await this.remember(report);
    return { report, mode: 'full', ...(fellBack ? { fellBack } : {}) };
  }

  private async remember(report: TrailVerifyReport): Promise<void> {
    if (report.result.ok && report.head) await this.store.save(report.head, this.now());
    else if (!report.result.ok || report.result.count === 0) await this.store.clear();
  }
}
