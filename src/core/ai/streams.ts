/**
 * Waits for the next item of a stream, but not forever: a stream that sends nothing for `ms`
 * rejects with `onStall()` (the caller aborts the HTTP request so the socket is closed too).
 */
export async function nextWithin<T>(iterator: AsyncIterator<T>, ms: number, onStall: () => Error): Promise<IteratorResult<T>> {
  if (!Number.isFinite(ms) || ms <= 0) return iterator.next();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stalled = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onStall()), ms);
  });
  try {
    return await Promise.race([iterator.next(), stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** A signal that fires when any of the given ones does (AbortSignal.any, tolerating undefined). */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length === 1 ? present[0]! : AbortSignal.any(present);
}
