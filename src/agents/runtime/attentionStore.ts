import { ATTENTION_RECORD, type AttentionEntry, attentionOf, LIFECYCLE_AGENT, withAttention } from '../../core/lifecycle/attention';
import { FileAgentRecords } from './agentRecords';
import { missingStateNote } from './lifecycleMoves';
import { type RunResult } from './runAgent';

/**
 * What the orchestrator left to a person, kept in the workspace (`.devops/lifecycle/attention.json`,
 * the lifecycle agent's record): `@devops /status` lists it, the editor raises new entries as a
 * notification. Written by the runtime after runs and by the editor's change notices.
 */
export class AttentionStore {
  private readonly records: FileAgentRecords;

  constructor(root: string) {
    this.records = new FileAgentRecords(root, LIFECYCLE_AGENT);
  }

  async list(): Promise<AttentionEntry[]> {
    return attentionOf(await this.records.read(ATTENTION_RECORD));
  }

  /** Adds (or refreshes) entries; resolves with the ones that were not there before. */
  async add(entries: readonly AttentionEntry[]): Promise<AttentionEntry[]> {
    if (entries.length === 0) return [];
    let all = await this.list();
    const fresh = entries.filter((e) => !all.some((a) => a.id === e.id));
    for (const e of entries) all = withAttention(all, e);
    await this.records.write(ATTENTION_RECORD, { version: 1, entries: all });
    return fresh;
  }
}

const TRACKER_KINDS = /^(workItem\.|project\.)/;

/**
 * What a run leaves undecided for a person: a tracker change in conflict (someone changed the item
 * meanwhile; nothing was overwritten) and a lifecycle step the item's process or Project lacks.
 */
export function undecidedOf(result: RunResult, now: Date): AttentionEntry[] {
  const at = now.toISOString();
  const out: AttentionEntry[] = [];
  for (const r of result.applied.remote) {
    if (r.outcome !== 'conflict' || !TRACKER_KINDS.test(r.kind)) continue;
    out.push({
      id: `conflict:${r.target}:${r.kind}`.slice(0, 300),
      kind: 'conflict',
      at,
      item: r.target.slice(0, 200),
      what: `The ${result.agent} agent's change to ${r.target} was not made: ${r.detail}`.slice(0, 2000),
      todo: 'Look at the item, then run the agent again or make the change yourself; nothing was overwritten.',
      run: result.runId,
    });
  }
  for (const note of result.plan?.notes ?? []) {
    const missing = missingStateNote(note);
    if (!missing) continue;
    out.push({ id: `missingState:${missing.item}:${missing.step}`.slice(0, 300), kind: 'missingState', at, item: missing.item, what: note.slice(0, 2000), todo: missing.todo, run: result.runId });
  }
  return out;
}
