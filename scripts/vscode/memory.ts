import { readFileSync } from 'node:fs';
import { groupMembers } from './processGroup';

export interface GroupMemory {
  readonly processes: number;
  /** Sum of resident set sizes; counts shared pages once per process, so it overstates. */
  readonly rssMiB: number;
  /** Sum of proportional set sizes: shared pages split between their users, the fairer total. */
  readonly pssMiB: number;
}

const kib = (text: string, field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);

/** Memory of every live process in group `pgid`, read from /proc (Linux). */
export function groupMemory(pgid: number): GroupMemory {
  let rss = 0;
  let pss = 0;
  let processes = 0;
  for (const pid of groupMembers(pgid)) {
    try {
      rss += kib(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
      pss += kib(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
      processes++;
    } catch {
      // It exited between listing and reading.
    }
  }
  return { processes, rssMiB: Math.round(rss / 1024), pssMiB: Math.round(pss / 1024) };
}
