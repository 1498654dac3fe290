import { statusOptionFor } from '../process/githubStatus';
import { handOffChoices, type HandOffChoice } from './agentHandOff';
import { type ProjectItem } from './workTracker';

/**
 * The GitHub Projects side of the lifecycle notices: what a refresh of the board brought that
 * someone may want an agent for, an issue or pull request newly assigned to me or moved into the
 * Project's Ready status. Read from two snapshots of the same board (the first read is the
 * baseline and raises nothing); the agent that fits the item is offered with it.
 */
export interface ProjectNotice {
  readonly item: ProjectItem;
  readonly reason: 'assignedToMe' | 'enteredReady';
  readonly message: string;
  /** The agent that fits the item, if one does (otherwise the notice offers the whole choice). */
  readonly agent?: HandOffChoice;
}

/**
 * The Status option that means Ready on this board, matched by its name ("Ready", "Todo", "Up
 * next", ...): a board with no such option (only a neighbouring stage's) raises no Ready notice.
 */
export function readyStatusOf(statusOptions: readonly string[]): string | undefined {
  const match = statusOptionFor(
    statusOptions.map((name, i) => ({ id: String(i), name })),
    'Ready',
  );
  return match.ok && match.option && match.matchedBy === 'name' ? match.option.name : undefined;
}

const same = (a: string | undefined, b: string | undefined): boolean => (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();
const isOpen = (item: ProjectItem): boolean => (item.state ?? 'open').toLowerCase() === 'open';

/** `owner/repo#12`, or `#12` when the board does not say which repository. */
export const projectItemKey = (item: ProjectItem): string => `${item.repository ?? ''}#${item.number ?? '?'}`;

export function projectNotices(before: ReadonlyMap<string, ProjectItem>, after: readonly ProjectItem[], me: string | undefined, statusOptions: readonly string[]): ProjectNotice[] {
  const ready = readyStatusOf(statusOptions);
  const out: ProjectNotice[] = [];
  for (const item of after) {
    const was = before.get(item.itemId);
    // Only issues and pull requests both snapshots hold, and still open: a draft cannot be handed to
    // an agent, a new page or a newly added item is not news, finished work needs no agent.
    if (!was || item.number === undefined || item.contentType === 'draft' || !isOpen(item)) continue;
    // A GitHub issue labelled bug is the Bug the hand-off gives to QA.
    const type = item.contentType === 'pullRequest' ? 'Pull Request' : item.labels.some((l) => l.toLowerCase() === 'bug') ? 'Bug' : 'Issue';
    const fits = handOffChoices({ type, title: item.title, tags: [...item.labels] })[0];
    const agent = fits?.fits ? { agent: fits } : {};
    const offer = fits?.fits ? ` The ${fits.label.toLowerCase()} fits it (${fits.fits}).` : '';
    const key = projectItemKey(item);
    const mine = (i: ProjectItem): boolean => me !== undefined && i.assignees.some((a) => same(a, me));
    if (mine(item) && !mine(was)) {
      out.push({ item, reason: 'assignedToMe', message: `${key} "${item.title}" was assigned to you.${offer}`, ...agent });
    } else if (ready !== undefined && same(item.status, ready) && !same(was.status, ready)) {
      out.push({ item, reason: 'enteredReady', message: `${key} "${item.title}" is Ready (${item.status}).${offer}`, ...agent });
    }
  }
  return out;
}
