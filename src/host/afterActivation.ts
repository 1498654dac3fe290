import { type Logger } from '../core/host';

/**
 * Work that activation starts but must not wait for: reading a cache or an index from disk,
 * loading a tracker's code, starting the sandbox, indexing TODOs. activate() is synchronous, so
 * work queued here runs once it has returned (the next turn of the event loop), and the time to
 * the end of activate() holds only what registers the extension's parts with VS Code. Views,
 * lenses and commands that need the result earlier ask for it themselves.
 */
export function afterActivation(log: Logger, what: string, work: () => unknown): void {
  setImmediate(() => {
    const failed = (error: unknown): void => log.warn(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    try {
      const result = work();
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  });
}
