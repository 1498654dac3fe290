import { type DevOpsError } from '../errors';
import { type TrackerKind, type WorkItem } from '../workItem';
import { type WorkItemReference } from './references';

/**
 * What the TODO feature asks of the trackers. The boards providers implement it (Azure Boards,
 * GitHub); until one is connected the extension passes a resolver that answers `notConfigured`.
 *
 * Contract:
 * - `resolve` answers every reference it is given, keyed by `referenceKey(reference)`, in as few
 *   requests as the tracker allows (Azure Boards: 200 ids a call). It rejects only when the whole
 *   call is cancelled; a failure for some or all items is an `error` resolution, so the lens can
 *   say what went wrong per item.
 * - `create` makes one work item and returns its reference (with owner/repo for GitHub). It honours
 *   the tracker's write limits itself (the batch calls it one at a time and waits).
 * - `findOpenByTitle` lets the batch skip a TODO whose title already names an open item.
 */
export type Resolution =
  | { readonly kind: 'found'; readonly item: WorkItem }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'deleted' }
  | { readonly kind: 'error'; readonly error: DevOpsError };

export interface CreateWorkItemRequest {
  readonly tracker: TrackerKind;
  readonly title: string;
  /** Markdown: the TODO, a link to its file and line, and the code around it. */
  readonly description: string;
  /** Where the TODO lives, relative to the workspace folder (for the tracker's own links or tags). */
  readonly relativePath: string;
  readonly line: number;
  /** Client-side id, so a retried create after a lost response can be recognised by the tracker. */
  readonly clientRequestId: string;
}

export interface TrackerChoice {
  readonly tracker: TrackerKind;
  /** `Azure Boards (contoso/Fabrikam)`, `GitHub (octo/repo)`. */
  readonly label: string;
  /** False with a reason when this tracker cannot take new items now (not signed in, read-only). */
  readonly available: boolean;
  readonly reason?: string;
}

/** Why no tracker can take new work items, and what to do about it. */
export function noTrackerMessage(choices: readonly TrackerChoice[]): string {
  const reasons =
    choices.length === 0
      ? 'Neither Azure Boards nor GitHub is set up: run "AI DevOps: Sign In to Azure DevOps or GitHub…", or "AI DevOps: Try the Sandbox (No Account Needed)".'
      : choices.map((c) => c.reason ?? `${c.label} is not available.`).join(' ');
  return `No tracker can take new work items. ${reasons}`;
}

export interface WorkItemResolver {
  resolve(references: readonly WorkItemReference[], signal?: AbortSignal): Promise<ReadonlyMap<string, Resolution>>;
  create(request: CreateWorkItemRequest, signal?: AbortSignal): Promise<WorkItemReference>;
  findOpenByTitle(tracker: TrackerKind, title: string, signal?: AbortSignal): Promise<WorkItemReference | undefined>;
  trackers(): Promise<readonly TrackerChoice[]>;
  /** Fires when items may have changed (a sync, a sign-in), so lenses and the view ask again. */
  onDidChange(listener: () => void): { dispose(): void };
}

/** States that make a linked TODO stale, across process templates and GitHub. */
// GitHub issues closed as not planned or as a duplicate are finished too (the GitHub tracker names them so).
const CLOSED_STATES = new Set(['done', 'closed', 'removed', 'completed', 'merged', 'not planned', 'duplicate']);

export function isClosedState(state: string): boolean {
  return CLOSED_STATES.has(state.trim().toLowerCase());
}

/** A TODO pointing at a finished or deleted item: flagged on its lens, as a diagnostic and in the view. */
export function isStale(resolution: Resolution | undefined): boolean {
  if (resolution === undefined) return false;
  return resolution.kind === 'deleted' || (resolution.kind === 'found' && isClosedState(resolution.item.state));
}
