import { z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import { TrackerKindSchema, workItemKey } from '../../../core/workItem';
import { type RemoteExecutor, RemoteExecutors } from '../remote';
import { deliveryExecutors } from './deliveryExecutors';
import { CreatePayload, type ExecutorDeps, fromProjectWrite, fromWrite, itemFor, payloadOf, resolveId, trackerFor } from './executorSupport';
import { projectSetupExecutors } from './projectSetupExecutors';
import { qaExecutors } from './qaExecutors';
import { repositoryExecutors } from './repositoryExecutors';

export type { ExecutorDeps } from './executorSupport';

/** `clientId`: a key of the comment's own (a lifecycle note keyed by the run it is about), so asking twice posts it once. */
const CommentPayload = z
  .object({ tracker: TrackerKindSchema, id: z.number().int().positive().optional(), idFrom: z.string().optional(), markdown: z.string().min(1).max(32_000), clientId: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/).optional() })
  .strict();
const BlockedPayload = z.object({ tracker: TrackerKindSchema, id: z.number().int().positive(), blocked: z.boolean(), seen: z.boolean().optional() }).strict();
const ProjectStatusPayload = z
  .object({
    projectNumber: z.number().int().positive(),
    itemId: z.string().min(1).max(200),
    status: z.string().min(1).max(200),
    from: z.string().max(200).nullable(),
    number: z.number().int().positive().optional(),
  })
  .strict();
/** `from`: the state the plan saw; an item someone moved elsewhere since is a conflict, not overwritten. */
const StatePayload = z.object({ tracker: TrackerKindSchema, id: z.number().int().positive(), state: z.string().min(1), from: z.string().min(1).optional() }).strict();
const IterationPayload = z.object({ tracker: TrackerKindSchema, id: z.number().int().positive(), iterationPath: z.string().min(1).max(4000) }).strict();
const ProjectIterationPayload = z
  .object({
    projectNumber: z.number().int().positive(),
    projectId: z.string().min(1).max(200),
    itemId: z.string().min(1).max(200),
    fieldId: z.string().min(1).max(200),
    fieldName: z.string().min(1).max(200),
    iterationId: z.string().min(1).max(200),
    iteration: z.string().min(1).max(400),
    from: z.string().max(400).nullable(),
    number: z.number().int().positive().optional(),
  })
  .strict();
const ProjectAddPayload = z
  .object({
    projectNumber: z.number().int().positive(),
    number: z.number().int().positive().optional(),
    idFrom: z.string().min(1).max(200).optional(),
    estimate: z.number().min(0).max(100_000).optional(),
    estimateField: z.string().min(1).max(200).optional(),
  })
  .strict();
const TagPayload = z.object({ name: z.string().min(1).max(200), message: z.string().min(1).max(60_000), target: z.string().min(1).optional() }).strict();
const PushPayload = z.object({ remote: z.string().min(1).default('origin'), refs: z.array(z.string().min(1)).min(1), setUpstream: z.boolean().optional(), atomic: z.boolean().optional() }).strict();

export function workItemExecutors(deps: ExecutorDeps): RemoteExecutor[] {
  return [
    {
      kind: 'workItem.comment',
      execute: async (change, context) => {
        const p = payloadOf(change, CommentPayload);
        const id = resolveId(p.id, p.idFrom, context, change.summary);
        if (id === undefined) throw new DevOpsError('invalidInput', `The comment "${change.id}" names no work item.`);
        const tracker = trackerFor(deps, p.tracker);
        const item = await itemFor(tracker, id, context.signal);
        return fromWrite(await tracker.addComment(item, p.markdown, { signal: context.signal, correlationId: context.runId, clientId: p.clientId ?? `${context.runId}:${change.id}` }), 'commented');
      },
    },
    {
      // Blocked or cleared as the tracker marks it (Azure Boards' field or tag; GitHub's Project Status or label), through the outbox.
      kind: 'workItem.blocked',
      execute: async (change, context) => {
        const p = payloadOf(change, BlockedPayload);
        const tracker = trackerFor(deps, p.tracker);
        if (!tracker.setBlocked) return { kind: 'refused', detail: 'This tracker cannot mark work items blocked here.' };
        const item = await itemFor(tracker, p.id, context.signal);
        return fromWrite(
          await tracker.setBlocked(item, p.blocked, { signal: context.signal, correlationId: context.runId, clientId: `${context.runId}:${change.id}`, ...(p.seen !== undefined ? { seen: p.seen } : {}) }),
          p.blocked ? 'marked Blocked' : 'Blocked cleared',
        );
      },
    },
    {
      // GitHub: the issue's Project item onto one of the Project's Status options, checked against the Status the plan saw.
      kind: 'project.status',
      execute: async (change, context) => {
        const p = payloadOf(change, ProjectStatusPayload);
        const github = deps.trackers.github();
        if (!github?.setStatus) return { kind: 'refused', detail: 'GitHub is not connected; sign in (AI DevOps: Sign In) and apply the plan again.' };
        const what = `${p.number !== undefined ? `#${p.number}` : 'the item'} moved to ${p.status} in project ${p.projectNumber}`;
        const outcome = await github.setStatus(p.projectNumber, p.itemId, p.status, { signal: context.signal, correlationId: context.runId, clientId: `${context.runId}:${change.id}`, from: p.from });
        return fromProjectWrite(outcome, what, () => ({ itemId: p.itemId, ...(p.number !== undefined ? { id: p.number } : {}) }));
      },
    },
    {
      kind: 'workItem.create',
      execute: async (change, context) => {
        const p = payloadOf(change, CreatePayload);
        const parentId = resolveId(p.parentId, p.parentFrom, context, change.summary);
        const tracker = trackerFor(deps, p.tracker);
        return fromWrite(
          await tracker.create(
            { type: p.type, title: p.title, description: p.description, ...(parentId ? { parentId } : {}), ...(p.tags ? { tags: p.tags } : {}), ...(p.fields ? { fields: p.fields } : {}), ...(p.issueType ? { issueType: p.issueType } : {}) },
            { signal: context.signal, correlationId: context.runId, clientId: p.clientId ?? `${context.runId}:${change.id}` },
          ),
          'created',
        );
      },
    },
    {
      kind: 'workItem.state',
      execute: async (change, context) => {
        const p = payloadOf(change, StatePayload);
        const tracker = trackerFor(deps, p.tracker);
        const item = await itemFor(tracker, p.id, context.signal);
        if (item.state === p.state) return { kind: 'applied', detail: `${workItemKey(item)} is already ${p.state}`, url: item.url, result: { id: item.id } };
        if (p.from !== undefined && item.state !== p.from) return { kind: 'conflict', detail: `${workItemKey(item)} is ${item.state} now, not ${p.from} as planned: someone moved it meanwhile, so it was not moved to ${p.state}.` };
        const outcome = fromWrite(await tracker.changeState(item, p.state, { signal: context.signal, correlationId: context.runId, clientId: `${context.runId}:${change.id}` }), `moved to ${p.state}`);
        // The state it left, in the audit event's columns: what a rollback returns it to.
        return outcome.kind === 'applied' ? { ...outcome, record: { workItemId: item.id, ...(item.repository ? { repository: item.repository } : {}), oldState: item.state, newState: p.state } } : outcome;
      },
    },
    {
      kind: 'workItem.iteration',
      execute: async (change, context) => {
        const p = payloadOf(change, IterationPayload);
        const tracker = trackerFor(deps, p.tracker);
        if (!tracker.setIteration) return { kind: 'refused', detail: `${p.tracker === 'github' ? 'GitHub issues' : 'This tracker'} cannot be moved into an iteration here.` };
        const item = await itemFor(tracker, p.id, context.signal);
        if ((item.iterationPath ?? '').toLowerCase() === p.iterationPath.toLowerCase()) return { kind: 'applied', detail: `${workItemKey(item)} is already in ${p.iterationPath}`, url: item.url, result: { id: item.id } };
        return fromWrite(await tracker.setIteration(item, p.iterationPath, { signal: context.signal, correlationId: context.runId, clientId: `${context.runId}:${change.id}` }), `moved to ${p.iterationPath}`);
      },
    },
    {
      // GitHub: the issue's Project item takes the iteration (its iteration field), through the outbox.
      kind: 'project.iteration',
      execute: async (change, context) => {
        const p = payloadOf(change, ProjectIterationPayload);
        const github = deps.trackers.github();
        if (!github?.setProjectIteration) return { kind: 'refused', detail: 'GitHub is not connected; sign in (AI DevOps: Sign In) and apply the plan again.' };
        const what = `${p.number !== undefined ? `#${p.number}` : 'the item'} moved to ${p.iteration}`;
        const outcome = await github.setProjectIteration(p.projectNumber, p, { signal: context.signal, correlationId: context.runId, clientId: `${context.runId}:${change.id}` });
        return fromProjectWrite(outcome, what, () => ({ itemId: p.itemId, ...(p.number !== undefined ? { id: p.number } : {}) }));
      },
    },
    {
      // GitHub: an issue the plan created, added to the repository's Project with its estimate, through the outbox.
      kind: 'project.add',
      execute: async (change, context) => {
        const p = payloadOf(change, ProjectAddPayload);
        const number = resolveId(p.number, p.idFrom, context, change.summary);
        if (number === undefined) throw new DevOpsError('invalidInput', `"${change.id}" names no issue.`);
        const github = deps.trackers.github();
        if (!github?.addIssueToProject) return { kind: 'refused', detail: 'GitHub is not connected; sign in (AI DevOps: Sign In) and apply the plan again.' };
        const what = `#${number} added to Project ${p.projectNumber}${p.estimate !== undefined && p.estimateField ? ` (${p.estimateField} ${p.estimate})` : ''}`;
        const outcome = await github.addIssueToProject(
          p.projectNumber,
          { number, ...(p.estimate !== undefined ? { estimate: p.estimate } : {}), ...(p.estimateField ? { estimateField: p.estimateField } : {}) },
          { signal: context.signal, correlationId: context.runId, clientId: `${context.runId}:${change.id}` },
        );
        return fromProjectWrite(outcome, what, (item) => ({ id: number, itemId: item.itemId }));
      },
    },
  ];
}

export function gitExecutors(deps: ExecutorDeps): RemoteExecutor[] {
  return [
    {
      kind: 'git.push',
      execute: async (change, context) => {
        const p = payloadOf(change, PushPayload);
        await deps.git(context.workspaceRoot).push(p.remote, p.refs, { setUpstream: p.setUpstream ?? false, atomic: p.atomic ?? false }, context.signal);
        return { kind: 'applied', detail: `pushed ${p.refs.join(', ')} to ${p.remote}` };
      },
    },
    {
      // A local step, but it publishes once pushed: approved with the push (pushPublish).
      kind: 'git.tag',
      execute: async (change, context) => {
        const p = payloadOf(change, TagPayload);
        const tag = await deps.git(context.workspaceRoot).createTag(p.name, p.message, p.target ?? 'HEAD', context.signal);
        return { kind: 'applied', detail: `tagged ${tag.commit.slice(0, 7)} as ${tag.name}`, result: { name: tag.name, commit: tag.commit } };
      },
    },
  ];
}

/** Every executor the runtime ships; agents that need a new kind of remote change add theirs here. */
export function defaultRemoteExecutors(deps: ExecutorDeps): RemoteExecutors {
  return new RemoteExecutors([...workItemExecutors(deps), ...gitExecutors(deps), ...deliveryExecutors(deps), ...qaExecutors(deps), ...repositoryExecutors(deps.codeHosts), ...projectSetupExecutors(deps)]);
}
