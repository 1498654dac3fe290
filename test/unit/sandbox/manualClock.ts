/** A clock tests move by hand, so runs, operations and rate-limit windows advance without sleeping. */
export class ManualClock {
  constructor(public time: number) {}
  readonly now = (): Date => new Date(this.time);
  advance(ms: number): void {
    this.time += ms;
  }
}

/** The moment the stand-ins' demo data is built around in the tests. */
export const DEMO_NOW = new Date('2026-03-18T10:00:00Z');
