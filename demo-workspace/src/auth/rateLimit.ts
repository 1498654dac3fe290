const WINDOW_MS = 60_000;
const MAX_ATTEMPTS = 5;
const attempts = new Map<string, { count: number; since: number }>();

/** Five sign-in attempts per client address a minute; the sixth is refused with 429. */
export function allow(ip: string, now = Date.now()): boolean {
  const entry = attempts.get(ip);
  // TODO AB#5 move the counters to Redis so every API instance shares them
  if (!entry || now - entry.since > WINDOW_MS) {
    attempts.set(ip, { count: 1, since: now });
    return true;
  }
  entry.count += 1;
  return entry.count <= MAX_ATTEMPTS;
}

// TODO forget an address's failures after a successful sign-in
export function reset(ip: string): void {
  attempts.delete(ip);
}
