import { findState, findType, PROCESS_TEMPLATES, realStateFor } from '../process';
import { type WorkItem, workItemKey } from '../workItem';
import { handOffChoices, type HandOffChoice } from './agentHandOff';

/**
 * What a refresh of the work items brought that someone may want an agent for: an item newly
 * assigned to me, or one that entered Ready. Read from two snapshots of the same list (the first
 * load is the baseline and raises nothing); the agent that fits the item is offered with it.
 */
export interface LifecycleNotice {
  readonly item: WorkItem;
  readonly reason: 'assignedToMe' | 'enteredReady';
  readonly message: string;
  /** The agent that fits the item, if one does (otherwise the notice offers the whole choice). */
  readonly agent?: HandOffChoice;
}

/**
 * Whether the real state means Ready and nothing else: Scrum's Approved. Where Ready shares its
 * state with New (Agile's New, Basic's To Do) entering it cannot be told from creating the item,
 * so nothing is raised (no guess).
 */
export function isReadyState(item: Pick<WorkItem, 'type' | 'state'>): boolean {
  for (const template of Object.values(PROCESS_TEMPLATES)) {
    const type = findType(template, item.type);
    const state = type ? findState(type, item.state) : undefined;
    if (type && state) return realStateFor(type, 'Ready') === state.name && realStateFor(type, 'New') !== state.name;
  }
  return false;
}

const same = (a: string | undefined, b: string | undefined): boolean => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

export function lifecycleNotices(before: ReadonlyMap<number, WorkItem>, after: readonly WorkItem[], me: string | undefined): LifecycleNotice[] {
  const out: LifecycleNotice[] = [];
  for (const item of after) {
    const was = before.get(item.id);
    // Only items both snapshots hold: a new filter or a first page is not news.
    if (!was || was.tracker !== item.tracker) continue;
    const fits = handOffChoices(item)[0];
    const agent = fits?.fits ? { agent: fits } : {};
    const key = workItemKey(item);
    const offer = fits?.fits ? ` The ${fits.label.toLowerCase()} fits it (${fits.fits}).` : '';
    if (me && same(item.assignedTo, me) && !same(was.assignedTo, me)) {
      out.push({ item, reason: 'assignedToMe', message: `${key} "${item.title}" was assigned to you.${offer}`, ...agent });
    } else if (!same(was.state, item.state) && isReadyState(item) && !isReadyState(was)) {
      out.push({ item, reason: 'enteredReady', message: `${key} "${item.title}" is Ready (${item.state}).${offer}`, ...agent });
    }
  }
  return out;
}
