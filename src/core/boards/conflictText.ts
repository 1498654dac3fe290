import { displayName } from './itemPresentation';
import { type WorkItem, workItemKey } from '../workItem';

/**
 * The words of the conflict dialog: a write was refused because someone changed the item on the
 * service since it was loaded. The user sees what the service has now against what they asked for.
 */
export interface ConflictText {
  readonly message: string;
  readonly detail: string;
}

export function conflictText(remote: WorkItem, yours: string, serviceMessage: string): ConflictText {
  const key = workItemKey(remote);
  const who = displayName(remote.assignedTo) ?? 'nobody';
  const detail = [
    `On the service now (revision ${remote.rev}, changed ${remote.modifiedAt.replace('T', ' ').slice(0, 16)}):`,
    `  ${remote.title}`,
    `  State: ${remote.state} · Assigned to: ${who}`,
    '',
    `Yours: ${yours}`,
    '',
    serviceMessage,
  ].join('\n');
  return { message: `${key} was changed by someone else since you loaded it.`, detail };
}
