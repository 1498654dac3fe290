import { type WorkItemReference } from '../todo/references';
import { type TrackerKind } from '../workItem';
import { workItemIdFromBranch } from '../boards/branchName';
import { parseWorkItemArgument } from './workItemArgument';

/** What `/git ...` asks for. */
export type GitIntent =
  | { readonly kind: 'status' }
  | { readonly kind: 'branch'; readonly reference: WorkItemReference | undefined }
  | { readonly kind: 'commit'; readonly reference: WorkItemReference | undefined };

/**
 * `/git` and `/git status` show the status; `/git branch AB#12` proposes a branch for a work item;
 * `/git commit [AB#12]` (or "commit message", "message") drafts a commit message from the diff.
 */
export function parseGitIntent(prompt: string, defaultTracker: TrackerKind): GitIntent {
  const text = prompt.trim();
  const reference = parseWorkItemArgument(text.replace(/^\S+\s*/, ''), defaultTracker) ?? parseWorkItemArgument(text, defaultTracker);
  if (/^(branch|start|checkout)\b/i.test(text) || /\bbranch for\b/i.test(text)) return { kind: 'branch', reference };
  if (/^(commit|message|msg)\b/i.test(text) || /\bcommit message\b/i.test(text)) return { kind: 'commit', reference };
  return { kind: 'status' };
}

/**
 * The work item a branch is for: the `task-12-reset` names "start work" makes (core/boards
 * branchName), and the usual hand-made ones: `feature/AB12-reset`, `users/ana/12-reset`,
 * `bug/ab#12`, `45-fix-login`. Undefined when it names none.
 */
export function workItemIdInBranchName(branch: string): number | undefined {
  const made = workItemIdFromBranch(branch);
  if (made !== undefined) return made;
  const last = branch.split('/').pop() ?? branch;
  const match = /^(?:ab[-#]?|gh-|issue-?)?(\d{1,9})(?:$|[-_](?=[a-z]))/i.exec(last) ?? /(?:^|[-_/])ab[-#]?(\d{1,9})(?:$|[-_/])/i.exec(branch);
  const id = match ? Number(match[1]) : NaN;
  return Number.isInteger(id) && id > 0 ? id : undefined;
}
