/**
 * Change listeners for plain-node services (trackers, the outbox) that cannot use VS Code's
 * EventEmitter. A listener that throws is reported and does not stop the others.
 */
export class Listeners {
  private readonly set = new Set<() => void>();

  constructor(private readonly onError: (error: unknown) => void = () => undefined) {}

  on(listener: () => void): { dispose(): void } {
    this.set.add(listener);
    return { dispose: () => this.set.delete(listener) };
  }

  fire(): void {
    for (const listener of [...this.set]) {
      try {
        listener();
      } catch (error) {
        this.onError(error);
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
