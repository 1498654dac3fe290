import { displayName } from './itemPresentation';
import { type FieldConflict, type OutboxJson } from './outbox';
import { type WorkItem, workItemKey } from '../workItem';

/**
 * The words of the conflict dialog: a write was refused because someone changed the item on the
 * service since it was loaded. The user sees what the service has now against what they asked for.
 */
export interface ConflictText {
  readonly message: string;
  readonly detail: string;
}

const shown = (value: OutboxJson | null): string => (value === null ? '(empty)' : value === true ? 'yes' : value === false ? 'no' : typeof value === 'string' ? value : JSON.stringify(value));

/** One line per field someone else changed: `State: Resolved on the service, you saw Active, yours Closed`. */
export function fieldLines(fields: readonly FieldConflict[]): string[] {
  return fields.map((f) => `${f.field}: ${shown(f.theirs)} on the service (you saw ${shown(f.seen)}); yours: ${shown(f.yours)}`);
}

export function conflictText(remote: WorkItem, yours: string, serviceMessage: string, fields: readonly FieldConflict[] = []): ConflictText {
  const key = workItemKey(remote);
  const who = displayName(remote.assignedTo) ?? 'nobody';
  const detail = [
    `On the service now (revision ${remote.rev}, changed ${remote.modifiedAt.replace('T', ' ').slice(0, 16)}):`,
    `  ${remote.title}`,
    `  State: ${remote.state} · Assigned to: ${who}`,
    '',
    ...(fields.length ? ['Changed by someone else:', ...fieldLines(fields).map((l) => `  ${l}`), ''] : []),
    `Yours: ${yours}`,
    '',
    serviceMessage,
  ].join('\n');
  return { message: `${key} was changed by someone else since you loaded it.`, detail };
}
