import { z } from 'zod';
import { type OutboxJson } from '../../core/boards/outbox';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type ExistingItem, itemClientId, matchExisting, planKey } from '../../core/planning/existing';
import { azureLevelTypes } from '../../core/planning/levelTypes';
import { decompositionMessages, ModelPlanSchema, planFromModel } from '../../core/planning/modelDecomposition';
import { CREATE_KIND, planChanges, type PlanTarget } from '../../core/planning/planChanges';
import { type PlanHeader, referenceText, renderPlanDocument } from '../../core/planning/planDocument';
import { countPlan, levelProblem, type PlanItem, type PlanLevel, walkPlan } from '../../core/planning/planItem';
import { type PlanningBoards } from '../../core/planning/planningBoards';
import { checkParentChild } from '../../core/process/hierarchy';
import { TrackerKindSchema, type TrackerKind } from '../../core/workItem';
import { type AgentAction, type AgentContext } from '../runtime/context';
import { type AgentPlan, emptyPlan } from '../runtime/plan';
import { type EpicInput, readEpicSource } from './epicSource';
import { planningFor, TRACKER_NAMES } from './planningContext';

export const EpicInputSchema = z
  .object({
    /** A Markdown file of the workspace, or a work item (`AB#12`, `#12`, `12`, a URL). */
    source: z.string().min(1).max(1000).optional(),
    /** The epic as free text (a model decomposes it). */
    text: z.string().min(1).max(50_000).optional(),
    /** An edited preview, exactly as the user left it. */
    document: z.string().min(1).max(2_000_000).optional(),
    tracker: TrackerKindSchema.optional(),
    /** Make the creations part of the plan (otherwise the plan only shows the tree). */
    apply: z.boolean().optional(),
  })
  .strict();
export type EpicActionInput = z.infer<typeof EpicInputSchema>;

/** A plan tree as the CLI prints it: `{ type, title, estimate, acceptanceCriteria, children }`. */
function jsonTree(item: PlanItem, typeOf: (level: PlanLevel) => string): Record<string, OutboxJson> {
  return {
    type: typeOf(item.level),
    title: item.title,
    estimate: item.estimate ?? null,
    acceptanceCriteria: [...item.acceptanceCriteria],
    ...(item.existingId !== undefined ? { id: item.existingId } : {}),
    children: item.children.map((c) => jsonTree(c, typeOf)),
  };
}

function typeNamer(target: PlanTarget): (level: PlanLevel) => string {
  if (target.tracker === 'azureBoards') {
    const types = azureLevelTypes(target.template);
    return (level) => types[level].type ?? `(${level}: no such level in ${target.template.name})`;
  }
  return () => 'Issue';
}

/** Existing items the plan names must be the epic or under it: the plan builds on its own epic only. */
function checkNamedItems(root: PlanItem, tree: ExistingItem | undefined, tracker: TrackerKind): Map<number, ExistingItem> {
  const known = new Map<number, ExistingItem>();
  const add = (e: ExistingItem): void => {
    known.set(e.id, e);
    e.children.forEach(add);
  };
  if (tree) add(tree);
  walkPlan(root, (item) => {
    if (item.existingId !== undefined && !known.has(item.existingId)) {
      throw new DevOpsError('invalidInput', `${referenceText(tracker, item.existingId)} ("${item.title}") is not ${tree ? `under ${referenceText(tracker, tree.id)}` : 'part of this epic'}; a plan builds only on its own epic's items. Remove the id to create it as a new item.`);
    }
  });
  return known;
}

/** Azure Boards: a new item under an existing one must be a type that item may have as a child. */
function checkHierarchy(root: PlanItem, target: PlanTarget, known: ReadonlyMap<number, ExistingItem>, typeOf: (level: PlanLevel) => string): void {
  if (target.tracker !== 'azureBoards') return;
  const featureless = azureLevelTypes(target.template).feature.type === undefined;
  walkPlan(root, (item, _path, parent) => {
    if (!parent || item.existingId !== undefined) return;
    // Under Basic, stories hang from the epic (the feature level is skipped).
    const effective = featureless && parent.level === 'feature' ? root : parent;
    if (effective.existingId === undefined) return;
    const parentType = known.get(effective.existingId)?.type;
    if (!parentType) return;
    const check = checkParentChild(target.template, parentType, typeOf(item.level));
    if (!check.ok) throw new DevOpsError('invalidInput', `"${item.title}" cannot go under AB#${effective.existingId}: ${check.reason}`);
  });
}

async function decompose(ctx: AgentContext, text: string, title: string | undefined, target: PlanTarget, existingId: number | undefined): Promise<PlanItem> {
  if (!ctx.model) {
    throw new DevOpsError(
      'notConfigured',
      'This epic has no sections to decompose by, and no model is configured to break free text down. Write it with sections (## Feature, ### Story, - task under a story) or choose a model (AI DevOps: Select Model…) and plan again.',
    );
  }
  const typeOf = typeNamer(target);
  const naming =
    target.tracker === 'azureBoards'
      ? { feature: typeOf('feature'), story: typeOf('story'), task: typeOf('task'), estimate: azureLevelTypes(target.template).story.estimateName.toLowerCase() }
      : { feature: 'feature', story: 'user story', task: 'task', estimate: 'story points' };
  await ctx.step('Asking the model to decompose the epic', { model: ctx.model.info.id });
  try {
    const answer = await ctx.model.completeJson(decompositionMessages(text, naming, title), ModelPlanSchema, { schemaName: 'epic_plan', temperature: 0, signal: ctx.signal });
    const root = planFromModel(answer, existingId);
    return title ? { ...root, title } : root;
  } catch (error) {
    if (ctx.signal.aborted || (isDevOpsError(error) && error.code === 'cancelled')) throw error;
    const issue = error instanceof z.ZodError ? error.issues[0] : undefined;
    const why = issue ? `${issue.path.join('.') || 'the answer'}: ${issue.message}` : error instanceof Error ? error.message : String(error);
    throw new DevOpsError('badResponse', `The model's decomposition could not be used (${why}). Nothing was planned; try again, or write the epic with sections (## Feature, ### Story) to plan it without a model.`);
  }
}

export async function planEpic(ctx: AgentContext, input: EpicActionInput): Promise<AgentPlan> {
  const source = await readEpicSource(ctx, input as EpicInput);
  const trackerKind: TrackerKind = source.kind === 'document' ? source.header.tracker : (input.tracker ?? source.tracker ?? ctx.trackers.defaultTracker);
  const boards: PlanningBoards = await planningFor(ctx, trackerKind);
  await ctx.step(`Reading how ${boards.where()} names its work`, { tracker: trackerKind });
  const target = await boards.target(ctx.signal);
  const typeOf = typeNamer(target);
  const notes: string[] = [];

  let root: PlanItem;
  let key: string;
  let sourceLabel: string;
  if (source.kind === 'document') {
    if (source.header.where.toLowerCase() !== target.where.toLowerCase()) {
      throw new DevOpsError('invalidInput', `This plan was made for ${TRACKER_NAMES[source.header.tracker]} ${source.header.where}, but ${target.where} is connected now. Connect to ${source.header.where}, or plan the epic again here.`);
    }
    root = source.root;
    key = source.header.key;
    sourceLabel = source.header.source ?? 'the edited plan';
    notes.push(...source.notes);
  } else if (source.kind === 'tree') {
    root = source.root;
    key = planKey([trackerKind, target.where.toLowerCase(), source.identity]);
    sourceLabel = source.label;
    notes.push(...source.notes);
  } else {
    root = await decompose(ctx, source.text, source.title, target, source.existing?.id);
    key = planKey([trackerKind, target.where.toLowerCase(), source.identity]);
    sourceLabel = source.label;
    notes.push('A model decomposed this epic: check every item in the preview before anything is created.');
  }
  const problem = levelProblem(root);
  if (problem) throw new DevOpsError('invalidInput', problem);

  await ctx.step('Looking for what exists already', { key });
  const made = await boards.madeBy(key, ctx.signal);
  const rootId = root.existingId ?? made.get(itemClientId(key, [root.title]));
  const tree = rootId !== undefined ? await boards.tree(rootId, ctx.signal) : undefined;
  const matched = matchExisting(key, rootId !== undefined ? { ...root, existingId: rootId } : root, tree, made);
  root = matched.root;
  const known = checkNamedItems(root, tree, trackerKind);
  checkHierarchy(root, target, known, typeOf);
  const built = planChanges(key, root, target);
  if (built.problem) throw new DevOpsError('invalidInput', built.problem);
  notes.push(...built.notes);

  const counts = countPlan(root);
  const header: PlanHeader = {
    version: 1,
    tracker: trackerKind,
    where: target.where,
    ...(target.tracker === 'azureBoards' ? { process: target.template.name } : {}),
    key,
    source: sourceLabel.slice(0, 500),
  };
  const document = renderPlanDocument(header, root);
  const created = built.changes.filter((c) => c.kind === CREATE_KIND).length;
  const plan = emptyPlan('planner', 'epic', `Plan "${root.title}" in ${target.where}`);
  const perType = new Map<string, number>();
  walkPlan(root, (item) => {
    if (item.existingId === undefined) perType.set(typeOf(item.level), (perType.get(typeOf(item.level)) ?? 0) + 1);
  });
  return {
    ...plan,
    summary: created === 0 ? `Everything in the plan exists already (${counts.total} items).` : `${created} new item${created === 1 ? '' : 's'} (${[...perType].map(([t, n]) => `${n} ${t}`).join(', ')})${counts.existing ? `; ${counts.existing} exist already and are kept` : ''}.`,
    facts: [
      { label: 'Tracker', value: `${TRACKER_NAMES[trackerKind]} ${target.where}` },
      ...(target.tracker === 'azureBoards' ? [{ label: 'Process', value: `${target.template.name}: ${(['epic', 'feature', 'story', 'task'] as const).map((l) => azureLevelTypes(target.template)[l].type).filter(Boolean).join(' > ')}` }] : []),
      ...(target.tracker === 'github' ? [{ label: 'Hierarchy', value: 'issues linked as sub-issues' }] : []),
      { label: 'Source', value: sourceLabel },
      ...matched.matched.slice(0, 20).map((m) => ({ label: 'Exists already', value: `"${m.title}" is ${referenceText(trackerKind, m.id)} (found by ${m.by === 'reference' ? 'an earlier run of this plan' : 'its title'})` })),
    ],
    notes,
    remote: input.apply ? built.changes.map((c) => ({ ...c, payload: c.payload as unknown as OutboxJson })) : [],
    result: {
      tracker: trackerKind,
      where: target.where,
      key,
      items: [jsonTree(root, typeOf)],
      counts: { total: counts.total, existing: counts.existing, new: created },
      document,
    },
  };
}

export const epicAction: AgentAction<EpicActionInput> = {
  name: 'epic',
  description: 'Decompose an epic (a Markdown file, a work item or GitHub issue, or text) into features, stories and tasks; --apply creates them.',
  input: EpicInputSchema,
  positionals: ['source'],
  options: {
    text: { type: 'string', description: 'The epic as free text (needs a model).' },
    tracker: { type: 'string', description: 'azureBoards or github (default: the workItems.defaultTracker setting).' },
    apply: { type: 'boolean', description: 'Create the new items (through the approval policy and the outbox); without it the plan is only shown.' },
  },
  plan: planEpic,
};
