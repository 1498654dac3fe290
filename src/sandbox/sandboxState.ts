import { type z } from 'zod';
import { DevOpsError } from '../core/errors';
import { Listeners } from '../core/listeners';

export type Clock = () => Date;

/**
 * What the stand-ins' states have in common: the document handlers change, the clock that drives
 * their timestamps (tests inject one so nothing sleeps), and `changed()`, which tells listeners
 * (the sandbox persists on it, debounced) that there is something new to save.
 */
export abstract class SandboxState<Doc> {
  clock: Clock;
  // A failing listener fails the write that notified it (nothing here to report it to).
  private readonly listeners = new Listeners((error) => {
    throw error;
  });

  constructor(
    readonly doc: Doc,
    clock: Clock | undefined,
  ) {
    this.clock = clock ?? (() => new Date());
  }

  /** A deep copy, so what is persisted cannot change while it is being written. */
  toJSON(): Doc {
    return structuredClone(this.doc);
  }

  now(): Date {
    return this.clock();
  }

  nowIso(): string {
    return this.clock().toISOString();
  }

  onDidChange(listener: () => void): { dispose(): void } {
    return this.listeners.on(listener);
  }

  changed(): void {
    this.listeners.fire();
  }
}

/** A saved state document read back; anything else is refused with what is wrong and where, and how to start again. */
export function parseSavedState<S extends z.ZodType>(schema: S, json: unknown, service: string): z.infer<S> {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first ? first.path.join('.') || '(root)' : '(root)';
  throw new DevOpsError('invalidInput', `The saved ${service} sandbox state is not valid (${where}: ${first?.message ?? 'unknown problem'}). Delete .devops/sandbox/ to start again from the demo data.`);
}
