import { type FaultSetting } from '../../core/settings';

export type Fault = FaultSetting;

/** Where a fault applies: an exact route name, a `prefix.*` group, or `*` for every route. */
function matches(pattern: string, route: string, service: string): boolean {
  if (pattern === '*' || pattern === route || pattern === service) return true;
  return pattern.endsWith('.*') && route.startsWith(pattern.slice(0, -1));
}

/**
 * Faults set by tests or by the sandbox's settings. A fault with `times` is used up after that
 * many requests, so "429 twice, then success" is one call.
 */
export class FaultInjector {
  private faults: { fault: Fault; remaining: number }[] = [];

  add(fault: Fault): void {
    this.faults.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
  }

  /** Replaces every fault (used when the sandbox's settings change). */
  set(faults: readonly Fault[]): void {
    this.clear();
    faults.forEach((f) => this.add(f));
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes the faults that apply to one request, counting them down. Latency faults stack. */
  take(route: string, service: string): Fault[] {
    const hit: Fault[] = [];
    let terminal = false;
    for (const entry of this.faults) {
      if (entry.remaining <= 0 || !matches(entry.fault.route, route, service)) continue;
      if (entry.fault.kind !== 'latency') {
        if (terminal) continue;
        terminal = true;
      }
      entry.remaining -= 1;
      hit.push(entry.fault);
    }
    this.faults = this.faults.filter((e) => e.remaining > 0);
    return hit;
  }
}
