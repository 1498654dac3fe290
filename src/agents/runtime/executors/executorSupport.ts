import { type CodeHosts } from '../../../core/boards/codeHost';
import { z } from 'zod';
import { type ProjectItem, type ProjectTracker, type ProjectWriteOutcome, type WorkTracker, type WriteOutcome } from '../../../core/boards/workTracker';
import { DevOpsError } from '../../../core/errors';
import { type Logger } from '../../../core/host';
import { type TrackerKind, TrackerKindSchema, type WorkItem, workItemKey } from '../../../core/workItem';
import { type WorkspaceGit } from '../../../providers/git/workspaceGit';
import { type RemoteExecutionContext, type RemoteOutcome } from '../remote';
import { type DeliveryDeps } from './deliveryExecutors';
import { type ProjectSetupDeps } from './projectSetupExecutors';
import { type TestRunPublisher } from './qaExecutors';

export { payloadOf } from './payload';

/** What every executor shares: its dependencies, payload validation, the tracker, write outcomes. */
export interface ExecutorDeps extends DeliveryDeps, ProjectSetupDeps {
  /** GitHub's tracker moves Project items between iterations (setProjectIteration), adds issues to the Project, and moves Status options (setStatus) too. */
  readonly trackers: { azure(): WorkTracker | undefined; github(): (WorkTracker & Pick<ProjectTracker, 'setProjectIteration' | 'addIssueToProject'> & Partial<Pick<ProjectTracker, 'setStatus'>>) | undefined };
  readonly git: (root: string) => Pick<WorkspaceGit, 'push' | 'createTag'>;
  readonly log: Logger;
  /** Azure Test Plans (test runs and results), when Azure DevOps is configured. */
  readonly testRuns?: () => Promise<TestRunPublisher | undefined>;
  /** Pull requests and wiki pages (through the trackers' connections), when a tracker is configured. */
  readonly codeHosts?: CodeHosts;
}

export function trackerFor(deps: ExecutorDeps, kind: TrackerKind): WorkTracker {
  const tracker = kind === 'azureBoards' ? deps.trackers.azure() : deps.trackers.github();
  if (!tracker) throw new DevOpsError('notConfigured', `${kind === 'azureBoards' ? 'Azure Boards' : 'GitHub'} is not connected; set it up (AI DevOps: Sign In) and run the agent again.`);
  return tracker;
}

/** A tracker write's outcome in the runtime's words; the outbox owns queued writes from here on. */
export function fromWrite(outcome: WriteOutcome, what: string): RemoteOutcome {
  switch (outcome.kind) {
    case 'applied':
      return { kind: 'applied', detail: `${what}: ${workItemKey(outcome.item)}`, url: outcome.item.url, result: { id: outcome.item.id, url: outcome.item.url } };
    case 'queued':
      return { kind: 'queued', detail: `${what}: waiting in the outbox (${outcome.reason})` };
    case 'conflict':
      return { kind: 'conflict', detail: outcome.message };
    case 'refused':
      return { kind: 'refused', detail: `${what}: ${outcome.message}` };
  }
}

export async function itemFor(tracker: WorkTracker, id: number, signal: AbortSignal): Promise<WorkItem> {
  const found = (await tracker.get([id], signal)).get(id);
  if (!found) throw new DevOpsError('notFound', `Work item ${id} was not found.`);
  if (found instanceof DevOpsError) throw found;
  return found;
}

/** The id of a work item a payload names directly or through the result of an earlier change. */
export function resolveId(direct: number | undefined, ref: string | undefined, context: RemoteExecutionContext, what: string): number | undefined {
  if (direct !== undefined) return direct;
  if (ref === undefined) return undefined;
  const result = context.results.get(ref);
  const id = result && typeof result === 'object' && !Array.isArray(result) ? (result as { id?: unknown }).id : undefined;
  if (typeof id !== 'number') throw new DevOpsError('notFound', `${what} refers to "${ref}", whose work item id is not known (it is still queued); it will be sent when that one is.`);
  return id;
}

/** What a tracker accepts as a client id (GitHub's marker is the strictest: letters, digits, . _ : -). */
const CLIENT_ID = /^[A-Za-z0-9._:-]{1,100}$/;
/** A field reference name (`Microsoft.VSTS.Scheduling.StoryPoints`); System fields are the tracker's to set. */
const FIELD_REFERENCE = /^(?!System\.)[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;

export const CreatePayload = z
  .object({
    tracker: TrackerKindSchema,
    type: z.string().min(1),
    title: z.string().min(1).max(255),
    description: z.string().max(32_000),
    parentId: z.number().int().positive().optional(),
    /** The id of a change in the same plan whose result is the parent (a feature created just before). */
    parentFrom: z.string().optional(),
    tags: z.array(z.string()).optional(),
    /**
     * A stable idempotency key (the planner's plan reference), written into the item: a later run
     * finds the item by it. Without it the key is the run's and the change's id.
     */
    clientId: z.string().regex(CLIENT_ID).optional(),
    /** GitHub: the organization's issue type for the item. */
    issueType: z.string().min(1).max(100).optional(),
    /** Azure Boards fields by reference name (estimates, acceptance criteria). */
    fields: z.record(z.string().regex(FIELD_REFERENCE), z.union([z.string().max(32_000), z.number().finite()])).optional(),
  })
  .strict();

/** A GitHub Project item write's outcome in the runtime's words; `result` says what an applied write answered. */
export function fromProjectWrite(outcome: ProjectWriteOutcome, what: string, result: (item: ProjectItem) => Record<string, string | number>): RemoteOutcome {
  switch (outcome.kind) {
    case 'applied-project':
      return { kind: 'applied', detail: what, ...(outcome.item.url ? { url: outcome.item.url } : {}), result: result(outcome.item) };
    case 'project-conflict':
      return { kind: 'conflict', detail: outcome.message };
    case 'queued':
      return { kind: 'queued', detail: `${what}: waiting in the outbox (${outcome.reason})` };
    case 'refused':
      return { kind: 'refused', detail: `${what}: ${outcome.message}` };
  }
}
