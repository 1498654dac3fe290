import semver from 'semver';
import { z } from 'zod';
import { DevOpsError } from '../../core/errors';
import { type LifecycleState } from '../../core/process';
import { conventionalCommits } from '../../core/release/conventionalCommits';
import { type AgentAction, type AgentContext } from '../runtime/context';
import { emptyPlan, type RemoteChange } from '../runtime/plan';
import { lastReleaseTag } from './history';
import { parameters } from './shipSteps';
import { linkWorkItems, type LinkedItem, stateForLifecycle } from './workItemLinks';

const Env = z.string().min(1).max(100).regex(/^[A-Za-z0-9 _.-]+$/, 'an environment name such as staging');
/** A workflow file or a pipeline name or id; never an option. */
const Deploy = z.string().min(1).max(200).regex(/^[\w.\\/@+][\w .\\/@+-]*$/, 'a workflow file (deploy.yml) or a pipeline name or id');
const Tag = z.string().min(1).max(200).regex(/^[A-Za-z0-9._@/+-]+$/, 'a tag name');

/** The lifecycle steps the items of a release take when it reaches an environment. */
export function lifecycleFor(environment: string): readonly LifecycleState[] {
  const e = environment.toLowerCase();
  if (/prod/.test(e)) return ['Production', 'Done'];
  if (/stag|uat|pre-?prod/.test(e)) return ['Staging'];
  return [];
}

const PromoteInput = z
  .object({
    to: Env,
    /** The release to promote (default: the last release tag). */
    tag: Tag.optional(),
    tagPrefix: z.string().max(100).optional(),
    /** The deployment pipeline (workflow file or Azure Pipelines id or name) whose run waits for the environment's approval. */
    deploy: Deploy,
    comment: z.string().max(1000).optional(),
  })
  .strict();

const RollbackInput = z
  .object({
    /** The release being rolled back (default: the last release tag). */
    from: Tag.optional(),
    /** The release to go back to (default: the one before `from`). */
    to: Tag.optional(),
    tagPrefix: z.string().max(100).optional(),
    deploy: Deploy,
    environment: Env.optional(),
    reason: z.string().min(1).max(1000),
    param: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*=.*$/s)).optional(),
  })
  .strict();

/** The release tags reachable from HEAD with the prefix, newest first, deduplicated. */
async function releaseTags(ctx: AgentContext, prefix: string): Promise<{ tag: string; version: string }[]> {
  if (!ctx.git) throw new DevOpsError('notConfigured', 'The release agent needs the git history; this folder is not a git repository (or git is not installed).');
  const tags = await ctx.git.reachableTags(ctx.signal);
  const out: { tag: string; version: string }[] = [];
  for (const t of tags) {
    const found = lastReleaseTag([t], prefix);
    if (found && !out.some((o) => o.tag === found.tag)) out.push(found);
  }
  return out;
}

/** The work items a release (the commits between the tag before it and it) names. */
async function itemsOf(ctx: AgentContext, tag: string, previous: string | undefined): Promise<{ items: LinkedItem[]; notes: string[] }> {
  const raw = await ctx.git!.commitsSince(previous, { to: tag }, ctx.signal);
  const cc = await conventionalCommits();
  return linkWorkItems(raw.map((c) => cc.parse(c)), ctx.trackers, ctx.signal, ctx.log);
}

function providerOf(ctx: AgentContext): 'github' | 'azure' {
  if (ctx.trackers.github()) return 'github';
  if (ctx.trackers.azure()) return 'azure';
  throw new DevOpsError('notConfigured', 'Promotion and rollback go through GitHub Actions or Azure Pipelines, and neither is connected. Sign in (AI DevOps: Sign In) or try the sandbox.');
}

/** Work item moves to one lifecycle step each, in order, each after `after`. */
async function moves(ctx: AgentContext, items: readonly LinkedItem[], steps: readonly LifecycleState[], after: string, why: string, notes: string[]): Promise<RemoteChange[]> {
  const out: RemoteChange[] = [];
  for (const i of items) {
    if (!i.item) continue;
    const tracker = i.item.tracker === 'azureBoards' ? ctx.trackers.azure() : ctx.trackers.github();
    if (!tracker) continue;
    let previous = after;
    let current = i.item;
    for (const step of steps) {
      const choice = await stateForLifecycle(tracker, current, step, ctx.signal).catch(() => undefined);
      if (!choice) {
        notes.push(`${i.label} stays ${current.state}: its process has no state for ${step} that it can move to from there.`);
        continue;
      }
      const id = `move-${i.key}-${step}`.replace(/[^A-Za-z0-9._-]/g, '-');
      out.push({ id, kind: 'workItem.state', approval: 'trackerWrite', target: i.label, summary: `${i.label} → ${choice.state} (${step}): ${why}`, payload: { tracker: i.item.tracker, id: i.item.id, state: choice.state }, dependsOn: [previous] });
      previous = id;
      current = { ...current, state: choice.state };
    }
  }
  return out;
}

export const promoteAction: AgentAction<z.infer<typeof PromoteInput>> = {
  name: 'promote',
  description: "Approve a release's deployment into the next environment (dev > staging > production) and move its work items.",
  input: PromoteInput,
  options: {
    to: { type: 'string', description: 'The environment to promote into (staging, production).' },
    tag: { type: 'string', description: 'The release to promote (default: the last release tag).' },
    tagPrefix: { type: 'string', description: 'The release tags\' prefix (default v).' },
    deploy: { type: 'string', description: 'The deployment pipeline: a workflow file (deploy.yml) or an Azure Pipelines id or name.' },
    comment: { type: 'string', description: 'The comment recorded with the approval.' },
  },
  plan: async (ctx, input) => {
    const tags = await releaseTags(ctx, input.tagPrefix ?? 'v');
    const at = input.tag ? tags.findIndex((t) => t.tag === input.tag) : 0;
    const release = tags[at];
    if (!release) throw new DevOpsError('notFound', input.tag ? `The tag ${input.tag} is not a release tag reachable from HEAD.` : 'There is no release tag yet: run "release apply" first.');
    const previous = tags.slice(at + 1).find((t) => semver.lt(t.version, release.version));
    const provider = providerOf(ctx);
    await ctx.step(`Promoting ${release.tag} to ${input.to}`, { provider });
    const linked = await itemsOf(ctx, release.tag, previous?.tag);
    const notes = [...linked.notes];
    const approve: RemoteChange = {
      id: 'approve',
      kind: 'environment.approve',
      approval: 'pushPublish',
      target: `${input.to} (${provider === 'github' ? 'GitHub environment' : 'Azure Pipelines environment'})`,
      summary: `Approve the deployment of ${release.tag} to ${input.to}`,
      payload: { provider, pipeline: input.deploy, ref: `refs/tags/${release.tag}`, environment: input.to, comment: input.comment ?? `Promote ${release.tag} to ${input.to} (AI DevOps release agent)` },
    };
    const steps = lifecycleFor(input.to);
    if (!steps.length) notes.push(`${input.to} is not a staging or production environment, so the work items stay where they are.`);
    const itemMoves = await moves(ctx, linked.items, steps, 'approve', `${release.tag} reached ${input.to}`, notes);
    return {
      ...emptyPlan('release', 'promote', `Promote ${release.tag} to ${input.to}`),
      summary: `Approve ${release.tag}'s waiting deployment to ${input.to}${itemMoves.length ? ` and move ${new Set(itemMoves.map((m) => m.target)).size} work item(s)` : ''}.`,
      facts: [
        { label: 'Release', value: release.tag },
        { label: 'Environment', value: input.to },
        { label: 'Work items', value: linked.items.map((i) => `${i.label}${i.item ? ` (${i.item.state})` : ''}`).join(', ') || 'none named' },
      ],
      remote: [approve, ...itemMoves],
      notes,
      result: { tag: release.tag, environment: input.to, workItems: linked.items.map((i) => i.label) },
    };
  },
};

export const rollbackAction: AgentAction<z.infer<typeof RollbackInput>> = {
  name: 'rollback',
  description: 'Deploy the previous release again (its tag) and return the rolled-back work items with a comment saying why.',
  input: RollbackInput,
  options: {
    from: { type: 'string', description: 'The release being rolled back (default: the last release tag).' },
    to: { type: 'string', description: 'The release to return to (default: the one before).' },
    tagPrefix: { type: 'string', description: 'The release tags\' prefix (default v).' },
    deploy: { type: 'string', description: 'The deployment pipeline: a workflow file or an Azure Pipelines id or name.' },
    environment: { type: 'string', description: 'The environment to roll back (passed to the pipeline as "environment").' },
    reason: { type: 'string', description: 'Why: recorded in the audit trail and in the comment on each work item.' },
    param: { type: 'string', multiple: true, description: 'A deployment parameter key=value (repeatable).' },
  },
  plan: async (ctx, input) => {
    const tags = await releaseTags(ctx, input.tagPrefix ?? 'v');
    const fromIndex = input.from ? tags.findIndex((t) => t.tag === input.from) : 0;
    const from = tags[fromIndex];
    if (!from) throw new DevOpsError('notFound', input.from ? `The tag ${input.from} is not a release tag reachable from HEAD.` : 'There is no release tag to roll back.');
    const to = input.to ? tags.find((t) => t.tag === input.to) : tags.slice(fromIndex + 1).find((t) => semver.lt(t.version, from.version));
    if (!to) throw new DevOpsError('notFound', input.to ? `The tag ${input.to} is not a release tag reachable from HEAD.` : `There is no release before ${from.tag} to return to.`);
    if (!semver.lt(to.version, from.version)) throw new DevOpsError('invalidInput', `${to.tag} is not older than ${from.tag}; a rollback goes back.`);
    const provider = providerOf(ctx);
    await ctx.step(`Rolling back ${from.tag} to ${to.tag}`, { provider, reason: input.reason });
    const linked = await itemsOf(ctx, from.tag, to.tag);
    const notes = [...linked.notes];
    const deploy: RemoteChange = {
      id: 'redeploy',
      kind: 'pipeline.run',
      approval: 'pushPublish',
      target: `${provider === 'github' ? 'workflow' : 'pipeline'} ${input.deploy}`,
      summary: `Deploy ${to.tag} again${input.environment ? ` to ${input.environment}` : ''} (roll back ${from.tag})`,
      payload: { provider, pipeline: input.deploy, ref: `refs/tags/${to.tag}`, parameters: { ...parameters(input.param), version: to.version, ...(input.environment ? { environment: input.environment } : {}) }, optional: 'version' in parameters(input.param) ? [] : ['version'] },
    };
    const why = `rolled back from ${from.tag} to ${to.tag}: ${input.reason}`;
    const back = await moves(ctx, linked.items, ['In Progress'], 'redeploy', why, notes);
    const comments: RemoteChange[] = linked.items
      .filter((i) => i.item)
      .map((i) => ({
        id: `comment-${i.key}`.replace(/[^A-Za-z0-9._-]/g, '-'),
        kind: 'workItem.comment',
        approval: 'trackerWrite' as const,
        target: i.label,
        summary: `Comment on ${i.label}: ${why}`.slice(0, 500),
        payload: { tracker: i.item!.tracker, id: i.item!.id, markdown: `**Rolled back.** ${from.tag} was rolled back to ${to.tag}${input.environment ? ` in ${input.environment}` : ''}, so this item returns to work. Reason: ${input.reason}` },
        dependsOn: ['redeploy'],
      }));
    return {
      ...emptyPlan('release', 'rollback', `Roll back ${from.tag} to ${to.tag}`),
      summary: `Run ${input.deploy} for ${to.tag} and return ${comments.length} work item(s) to work.`,
      facts: [
        { label: 'Rolled back', value: from.tag },
        { label: 'Deployed again', value: to.tag },
        { label: 'Reason', value: input.reason },
      ],
      remote: [deploy, ...back, ...comments],
      notes,
      result: { from: from.tag, to: to.tag, workItems: linked.items.map((i) => i.label) },
    };
  },
};
