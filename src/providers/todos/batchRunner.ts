import { type BatchJournal, entryFor, isComplete, newJournal, withEntry } from '../../core/todo/batchJournal';
import { type PlanEntry } from '../../core/todo/batchPlan';
import { referenceLabel, type WorkItemReference } from '../../core/todo/references';
import { type WorkItemResolver } from '../../core/todo/workItemResolver';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type TrackerKind } from '../../core/workItem';

/** Where the batch keeps its journal between runs (the extension's storage). */
export interface BatchJournalStore {
  load(): Promise<BatchJournal | undefined>;
  save(journal: BatchJournal): Promise<void>;
  clear(): Promise<void>;
}

/** Writes a reference into the TODO an entry names; false when that TODO is no longer there. */
export interface BatchWriteBack {
  write(entry: PlanEntry, reference: WorkItemReference): Promise<boolean>;
}

export interface BatchOutcome {
  readonly entry: PlanEntry;
  readonly result: 'created' | 'resumed' | 'linkedExisting' | 'sameAs' | 'skipped' | 'failed' | 'notWritten';
  readonly reference?: WorkItemReference;
  readonly message?: string;
}

export interface BatchRun {
  readonly outcomes: readonly BatchOutcome[];
  /** False when the batch stopped early (cancelled, signed out, service down): run it again to resume. */
  readonly complete: boolean;
  readonly stoppedBecause?: DevOpsError;
}

export interface BatchOptions {
  readonly entries: readonly PlanEntry[];
  readonly tracker: TrackerKind;
  readonly resolver: WorkItemResolver;
  readonly store: BatchJournalStore;
  readonly writeBack: BatchWriteBack;
  /** Description of the work item for an entry (file link, code around the TODO). */
  readonly describe: (entry: PlanEntry) => Promise<string>;
  readonly progress?: (done: number, total: number, title: string) => void;
  readonly signal?: AbortSignal;
  readonly newId: () => string;
  readonly now?: () => Date;
}

/** Errors that concern one TODO only; anything else stops the batch (the journal keeps its place). */
const perItem = (error: DevOpsError): boolean => error.code === 'invalidInput' || error.code === 'refused';

/**
 * Creates the work items one at a time, so the tracker's own write limits (GitHub's throttling
 * plugin, Azure DevOps' Retry-After) pace it, and records each step in the journal before moving on.
 */
export async function runBatch(options: BatchOptions): Promise<BatchRun> {
  const { entries, tracker, resolver, store, writeBack, signal } = options;
  const now = options.now ?? (() => new Date());
  const loaded = await store.load();
  let journal = loaded !== undefined && loaded.tracker === tracker ? loaded : newJournal(options.newId(), tracker, now());
  const save = async (next: BatchJournal): Promise<void> => {
    journal = next;
    await store.save(journal);
  };
  const outcomes: BatchOutcome[] = [];
  const byIndex = new Map<number, WorkItemReference>();
  const indexOf = new Map(entries.map((e, i) => [e, i] as const));
  const finish = async (stoppedBecause?: DevOpsError): Promise<BatchRun> => {
    if (stoppedBecause === undefined && isComplete(journal)) await store.clear();
    return { outcomes, complete: stoppedBecause === undefined, ...(stoppedBecause ? { stoppedBecause } : {}) };
  };

  const write = async (entry: PlanEntry, reference: WorkItemReference, result: BatchOutcome['result'], clientRequestId: string): Promise<void> => {
    const written = await writeBack.write(entry, reference);
    if (written) {
      await save(withEntry(journal, { ...base(entry, clientRequestId), state: 'written', reference }));
      outcomes.push({ entry, result, reference });
    } else {
      // The TODO moved away or was deleted: the item exists; say so and do not create it again.
      await save(withEntry(journal, { ...base(entry, clientRequestId), state: 'written', reference }));
      outcomes.push({ entry, result: 'notWritten', reference, message: `${referenceLabel(reference)} was created but the ${entry.located.todo.tag} is no longer in ${entry.located.relativePath}.` });
    }
  };

  for (const [position, entry] of entries.entries()) {
    if (signal?.aborted) return finish(new DevOpsError('cancelled', 'Cancelled; run the command again to resume.'));
    options.progress?.(position, entries.length, entry.title);
    const index = indexOf.get(entry) ?? position;
    const decision = entry.decision;
    try {
      if (decision.kind === 'skip') {
        outcomes.push({ entry, result: 'skipped', message: decision.reason });
        continue;
      }
      if (decision.kind === 'resume') {
        const prior = entryFor(journal, entry.fingerprint);
        await write(entry, decision.reference, 'resumed', prior?.clientRequestId ?? options.newId());
        byIndex.set(index, decision.reference);
        continue;
      }
      if (decision.kind === 'sameAs') {
        const reference = byIndex.get(decision.index);
        if (reference !== undefined) {
          await write(entry, reference, 'sameAs', options.newId());
          byIndex.set(index, reference);
          continue;
        }
        // Its twin was not chosen or failed: this one stands on its own.
      }
      const prior = entryFor(journal, entry.fingerprint);
      const existing = await resolver.findOpenByTitle(tracker, entry.title, signal);
      if (existing !== undefined) {
        if (prior?.state === 'pending') {
          // We asked for it before being interrupted, and the tracker did make it.
          await write(entry, existing, 'linkedExisting', prior.clientRequestId);
          byIndex.set(index, existing);
        } else {
          outcomes.push({ entry, result: 'skipped', reference: existing, message: `an open work item has the same title: ${referenceLabel(existing)}` });
        }
        continue;
      }
      const clientRequestId = prior?.clientRequestId ?? options.newId();
      await save(withEntry(journal, { ...base(entry, clientRequestId), state: 'pending' }));
      const description = await options.describe(entry);
      const reference = await resolver.create(
        { tracker, title: entry.title, description, relativePath: entry.located.relativePath, line: entry.located.todo.line, clientRequestId },
        signal,
      );
      await save(withEntry(journal, { ...base(entry, clientRequestId), state: 'created', reference }));
      await write(entry, reference, 'created', clientRequestId);
      byIndex.set(index, reference);
    } catch (error) {
      const devOps = isDevOpsError(error) ? error : new DevOpsError('unavailable', `Could not create the work item: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      if (signal?.aborted || devOps.code === 'cancelled') return finish(new DevOpsError('cancelled', 'Cancelled; run the command again to resume.'));
      outcomes.push({ entry, result: 'failed', message: devOps.message });
      if (!perItem(devOps)) return finish(devOps);
      // The tracker refused this one outright, so nothing was created: forget it.
      await save({ ...journal, entries: journal.entries.filter((e) => e.fingerprint !== entry.fingerprint) });
    }
  }
  options.progress?.(entries.length, entries.length, '');
  return finish();
}

function base(entry: PlanEntry, clientRequestId: string): { fingerprint: string; relativePath: string; line: number; title: string; clientRequestId: string } {
  return { fingerprint: entry.fingerprint, relativePath: entry.located.relativePath, line: entry.located.todo.line, title: entry.title, clientRequestId };
}
