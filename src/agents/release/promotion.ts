import semver from 'semver';
import { z } from 'zod';
import { DevOpsError } from '../../core/errors';
import { type LifecycleState } from '../../core/process';
import { conventionalCommits } from '../../core/release/conventionalCommits';
import { type WorkItem } from '../../core/workItem';
import { type AgentAction, type AgentContext } from '../runtime/context';
import { emptyPlan, type PlannedCommand, type RemoteChange } from '../runtime/plan';
import { type LogCommit } from '../../providers/git/workspaceGit';
import { lastReleaseTag } from './history';
import { parameters } from './shipSteps';
import { stateForLifecycle } from '../runtime/lifecycleMoves';
import { linkWorkItems, type LinkedItem } from './workItemLinks';
import { earlierState, reachedWhy, releaseItemKey, releaseMoves, rolledBackWhy } from './earlierStates';

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
    /**
     * `redeploy` (default): run the deployment again for the earlier tag; nothing in git changes.
     * `revert`: commit the revert of the release's commits on the current branch and push it
     * (then, with `deploy`, run the deployment for the branch), so the code itself goes back.
     */
    method: z.enum(['redeploy', 'revert']).optional(),
    remote: z.string().regex(/^[A-Za-z0-9._-]+$/).optional(),
    deploy: Deploy.optional(),
    environment: Env.optional(),
    reason: z.string().min(1).max(1000),
    param: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*=.*$/s)).optional(),
  })
  .strict()
  .refine((i) => i.method === 'revert' || i.deploy !== undefined, { message: 'a redeploy needs --deploy (the workflow file or pipeline); or roll back with --method revert', path: ['deploy'] });

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

/** The commits of a release (between the tag before it and it) and the work items they name. */
async function itemsOf(ctx: AgentContext, tag: string, previous: string | undefined): Promise<{ commits: readonly LogCommit[]; items: LinkedItem[]; notes: string[] }> {
  const raw = await ctx.git!.commitsSince(previous, { to: tag }, ctx.signal);
  const cc = await conventionalCommits();
  return { commits: raw, ...(await linkWorkItems(raw.map((c) => cc.parse(c)), ctx.trackers, ctx.signal, ctx.log)) };
}

function providerOf(ctx: AgentContext): 'github' | 'azure' {
  if (ctx.trackers.github()) return 'github';
  if (ctx.trackers.azure()) return 'azure';
  throw new DevOpsError('notConfigured', 'Promotion and rollback go through GitHub Actions or Azure Pipelines, and neither is connected. Sign in (AI DevOps: Sign In) or try the sandbox.');
}

/**
 * The rolled-back release's work items, each back to the state it had before the release moved
 * it (earlierStates.ts): one `workItem.state` step each (approved under trackerWrite, through the
 * outbox, audited) that checks at apply time that nobody moved the item since the plan. Items
 * whose earlier state is unknown or that someone else moved meanwhile stay, with a note.
 */
async function movesBack(
  ctx: AgentContext,
  release: { readonly tag: string; readonly commits: readonly LogCommit[] },
  items: readonly LinkedItem[],
  after: string,
  why: string,
  notes: string[],
): Promise<{ moves: RemoteChange[]; items: { item: WorkItem; label: string; key: string; move: { id: string; state: string } | undefined; stays: string }[] }> {
  const dates = release.commits.map((c) => Date.parse(c.date)).filter((d) => !Number.isNaN(d));
  const at = dates.length ? new Date(Math.max(...dates)) : undefined;
  const recorded = await releaseMoves(ctx.providers.auditTrail, release.tag, at ?? new Date(0), ctx.now(), ctx.signal);
  notes.push(...recorded.notes);
  const moves: RemoteChange[] = [];
  const out: { item: WorkItem; label: string; key: string; move: { id: string; state: string } | undefined; stays: string }[] = [];
  for (const i of items) {
    if (!i.item) continue;
    const tracker = i.item.tracker === 'azureBoards' ? ctx.trackers.azure() : ctx.trackers.github();
    if (!tracker) continue;
    const decided = await earlierState(i.item, i.label, tracker, recorded.moves.get(releaseItemKey(i.item.repository, i.item.id)), { tag: release.tag, at }, ctx.signal);
    if (decided.kind === 'stay') {
      notes.push(decided.note);
      out.push({ item: i.item, label: i.label, key: i.key, move: undefined, stays: decided.note });
      continue;
    }
    const id = `back-${i.key}`.replace(/[^A-Za-z0-9._-]/g, '-');
    moves.push({
      id,
      kind: 'workItem.state',
      approval: 'trackerWrite',
      target: i.label,
      summary: `${i.label} → ${decided.state} (${decided.source === 'audit' ? 'as the audit trail recorded it before the release' : 'its state before the release, from its history'}): ${why}`.slice(0, 500),
      payload: { tracker: i.item.tracker, id: i.item.id, state: decided.state, from: i.item.state },
      dependsOn: [after],
    });
    if (i.item.tracker === 'github') notes.push(`${i.label}: its GitHub Project Status is not restored: the release does not set it, and GitHub serves no history of it; check it on the board.`);
    out.push({ item: i.item, label: i.label, key: i.key, move: { id, state: decided.state }, stays: '' });
  }
  return { moves, items: out };
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
    const itemMoves = await moves(ctx, linked.items, steps, 'approve', reachedWhy(release.tag, input.to), notes);
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

/**
 * A rollback by revert: one commit on the current branch that reverts the release's own commits
 * (newest first; merge commits are left out because the commits they bring in are reverted one by
 * one), then the branch pushed. Refused on a detached HEAD or with changes in the working tree,
 * which the revert would mix into the commit.
 */
async function revertSteps(ctx: AgentContext, from: { tag: string }, to: { tag: string }, commits: readonly LogCommit[], remoteName: string, reason: string): Promise<{ commands: PlannedCommand[]; push: RemoteChange; branch: string; reverted: number }> {
  const status = await ctx.git!.status(ctx.signal);
  if (!status.branch) throw new DevOpsError('conflict', 'HEAD is detached: a rollback by revert commits on a branch and pushes it. Switch to the release branch first.');
  if (status.operation) throw new DevOpsError('conflict', `A ${status.operation} is in progress: finish or abort it before rolling back.`);
  const dirty = [...status.staged, ...status.modified, ...status.conflicted];
  if (dirty.length) throw new DevOpsError('conflict', `The working tree has changes (${dirty.slice(0, 5).join(', ')}${dirty.length > 5 ? ', …' : ''}): commit or stash them first, so the revert commit holds only the rollback.`);
  const own = commits.filter((c) => c.parents.length < 2);
  if (!own.length) throw new DevOpsError('invalidInput', `${from.tag} has no commits of its own since ${to.tag}: there is nothing to revert.`);
  const message = [
    `revert: roll back ${from.tag} to ${to.tag}`,
    '',
    `Reason: ${reason}`,
    '',
    `This reverts the ${own.length} commit${own.length === 1 ? '' : 's'} of ${from.tag} since ${to.tag}:`,
    ...own.slice(0, 40).map((c) => `- ${c.hash.slice(0, 12)} ${c.message.split('\n', 1)[0]!.slice(0, 72)}`),
    ...(own.length > 40 ? [`- and ${own.length - 40} more`] : []),
  ].join('\n').slice(0, 5000);
  const commands: PlannedCommand[] = [
    // commitsSince lists newest first, the order a revert of several commits must go in.
    { file: 'git', args: ['revert', '--no-commit', ...own.map((c) => c.hash)], why: `undo the ${own.length} commit(s) of ${from.tag} in the working tree and the index` },
    { file: 'git', args: ['commit', '-m', message], why: 'the rollback commit' },
  ];
  const push: RemoteChange = { id: 'push', kind: 'git.push', approval: 'pushPublish', target: remoteName, summary: `Push ${status.branch} (with the revert of ${from.tag}) to ${remoteName}`, payload: { remote: remoteName, refs: [status.branch] } };
  return { commands, push, branch: status.branch, reverted: own.length };
}

export const rollbackAction: AgentAction<z.infer<typeof RollbackInput>> = {
  name: 'rollback',
  description: 'Roll a release back (deploy the previous release again, or revert its commits and push) and return its work items with a comment saying why.',
  input: RollbackInput,
  options: {
    from: { type: 'string', description: 'The release being rolled back (default: the last release tag).' },
    to: { type: 'string', description: 'The release to return to (default: the one before).' },
    tagPrefix: { type: 'string', description: 'The release tags\' prefix (default v).' },
    method: { type: 'string', description: 'redeploy (default: run the deployment for the earlier tag) or revert (commit the revert of the release\'s commits and push it).' },
    remote: { type: 'string', description: 'The git remote a revert is pushed to (default origin).' },
    deploy: { type: 'string', description: 'The deployment pipeline: a workflow file or an Azure Pipelines id or name (a revert without it only pushes).' },
    environment: { type: 'string', description: 'The environment to roll back (passed to the pipeline as "environment").' },
    reason: { type: 'string', description: 'Why: recorded in the audit trail, in a revert\'s commit message and in the comment on each work item.' },
    param: { type: 'string', multiple: true, description: 'A deployment parameter key=value (repeatable).' },
  },
  plan: async (ctx, input) => {
    const method = input.method ?? 'redeploy';
    const tags = await releaseTags(ctx, input.tagPrefix ?? 'v');
    const fromIndex = input.from ? tags.findIndex((t) => t.tag === input.from) : 0;
    const from = tags[fromIndex];
    if (!from) throw new DevOpsError('notFound', input.from ? `The tag ${input.from} is not a release tag reachable from HEAD.` : 'There is no release tag to roll back.');
    const to = input.to ? tags.find((t) => t.tag === input.to) : tags.slice(fromIndex + 1).find((t) => semver.lt(t.version, from.version));
    if (!to) throw new DevOpsError('notFound', input.to ? `The tag ${input.to} is not a release tag reachable from HEAD.` : `There is no release before ${from.tag} to return to.`);
    if (!semver.lt(to.version, from.version)) throw new DevOpsError('invalidInput', `${to.tag} is not older than ${from.tag}; a rollback goes back.`);
    const provider = input.deploy ? providerOf(ctx) : undefined;
    await ctx.step(`Rolling back ${from.tag} to ${to.tag} (${method})`, { ...(provider ? { provider } : {}), method, reason: input.reason });
    const linked = await itemsOf(ctx, from.tag, to.tag);
    const notes = [...linked.notes];
    const commands: PlannedCommand[] = [];
    const remote: RemoteChange[] = [];
    const where = input.environment ? ` to ${input.environment}` : '';
    const deployParameters = (version: Record<string, string>) => ({ ...parameters(input.param), ...version, ...(input.environment ? { environment: input.environment } : {}) });
    let summary: string;
    if (method === 'revert') {
      const revert = await revertSteps(ctx, from, to, linked.commits, input.remote ?? 'origin', input.reason);
      commands.push(...revert.commands);
      remote.push(revert.push);
      if (input.deploy) {
        remote.push({
          id: 'redeploy',
          kind: 'pipeline.run',
          approval: 'pushPublish',
          target: `${provider === 'github' ? 'workflow' : 'pipeline'} ${input.deploy}`,
          summary: `Deploy ${revert.branch} with ${from.tag} reverted${where}`,
          payload: { provider: provider!, pipeline: input.deploy, ref: `refs/heads/${revert.branch}`, parameters: deployParameters({}), optional: [] },
          dependsOn: ['push'],
        });
      } else notes.push(`No --deploy: the revert is pushed to ${revert.branch}, and whatever deploys that branch takes it from there.`);
      notes.push(`If the revert stops on a conflict, nothing is committed or pushed: resolve it and commit, or run "git revert --abort" to go back.`);
      summary = `Revert the ${revert.reverted} commit(s) of ${from.tag} on ${revert.branch}, push it${input.deploy ? `, run ${input.deploy}` : ''}`;
    } else {
      remote.push({
        id: 'redeploy',
        kind: 'pipeline.run',
        approval: 'pushPublish',
        target: `${provider === 'github' ? 'workflow' : 'pipeline'} ${input.deploy}`,
        summary: `Deploy ${to.tag} again${where} (roll back ${from.tag})`,
        payload: { provider: provider!, pipeline: input.deploy!, ref: `refs/tags/${to.tag}`, parameters: deployParameters({ version: to.version }), optional: 'version' in parameters(input.param) ? [] : ['version'] },
      });
      summary = `Run ${input.deploy} for ${to.tag}`;
    }
    const after = remote.at(-1)!.id;
    const why = rolledBackWhy(from.tag, to.tag, input.reason);
    const back = await movesBack(ctx, { tag: from.tag, commits: linked.commits }, linked.items, after, why, notes);
    const rolled = `${from.tag} was rolled back to ${to.tag}${input.environment ? ` in ${input.environment}` : ''}${method === 'revert' ? ' (its commits reverted)' : ''}`;
    const comments: RemoteChange[] = back.items.map(({ item, label, key, move, stays }) => ({
      id: `comment-${key}`.replace(/[^A-Za-z0-9._-]/g, '-'),
      kind: 'workItem.comment',
      approval: 'trackerWrite' as const,
      target: label,
      summary: `Comment on ${label}: ${why}`.slice(0, 500),
      payload: {
        tracker: item.tracker,
        id: item.id,
        markdown: `**Rolled back.** ${rolled}, so ${move ? `this item returns to ${move.state}, the state it had before the release moved it` : `this item was not moved back: ${stays.replace(/\.$/, '')}`}. Reason: ${input.reason}`,
      },
      dependsOn: [move ? move.id : after],
    }));
    return {
      ...emptyPlan('release', 'rollback', `Roll back ${from.tag} to ${to.tag}`),
      summary: `${summary}${back.moves.length ? `, return ${back.moves.length} work item(s) to their earlier state` : ''}${comments.length ? ` and comment on ${comments.length}` : ''}.`,
      facts: [
        { label: 'Rolled back', value: from.tag },
        { label: method === 'revert' ? 'Back to the code of' : 'Deployed again', value: to.tag },
        { label: 'How', value: method === 'revert' ? 'revert commit, pushed' : 'the earlier release deployed again' },
        { label: 'Reason', value: input.reason },
      ],
      commands,
      remote: [...remote, ...back.moves, ...comments],
      notes,
      result: { from: from.tag, to: to.tag, method, workItems: linked.items.map((i) => i.label) },
    };
  },
};
