/**
 * Change listeners for plain-node services (trackers, the outbox) that cannot use VS Code's
 * EventEmitter. A listener that throws is reported and does not stop the others. `A` is what
 * `fire` passes them (nothing by default).
 */
export class Listeners<A extends unknown[] = []> {
  private readonly set = new Set<(...args: A) => void>();

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  on(listener: (...args: A) => void): { dispose(): void } {
    this.set.add(listener);
    return { dispose: () => this.set.delete(listener) };
  }

  fire(...args: A): void {
    for (const listener of [...this.set]) {
      try {
        listener(...args);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
