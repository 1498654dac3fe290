import { type ProcessTemplate } from '../process/templates';
import { type TrackerKind } from '../workItem';
import { formatEstimate } from './estimates';
import { itemClientId } from './existing';
import { azureLevelTypes } from './levelTypes';
import { type PlanItem, type PlanLevel } from './planItem';

/**
 * The remote changes that create a plan: one `workItem.create` per new item, parents first, each
 * naming its parent directly (an item that exists) or through the change that creates it
 * (`parentFrom`). Every item is created with its plan reference as the write's client id: the
 * tracker writes it into the item (Azure Boards: "ref plan-…" in the description; GitHub: a
 * hidden marker in the body), so the outbox sends it once and a later run of the same plan finds
 * it and creates only what is missing.
 */
export const CREATE_KIND = 'workItem.create';

/** The `workItem.create` payload (the runtime's executor checks it again with its own schema). */
export interface CreateItemPayload {
  readonly tracker: TrackerKind;
  readonly type: string;
  readonly title: string;
  /** Markdown. */
  readonly description: string;
  /** The plan reference: the write's idempotency key, written into the item. */
  readonly clientId: string;
  /** Azure Boards: estimate and acceptance-criteria fields by reference name. */
  readonly fields?: Readonly<Record<string, string | number>>;
  readonly tags?: readonly string[];
  readonly parentId?: number;
  /** A change of the same plan that creates the parent (its result carries the id). */
  readonly parentFrom?: string;
}

export interface PlanChange {
  readonly id: string;
  readonly kind: typeof CREATE_KIND;
  readonly approval: 'trackerWrite';
  readonly target: string;
  readonly summary: string;
  readonly payload: CreateItemPayload;
  readonly dependsOn?: string[];
}

export type PlanTarget =
  | { readonly tracker: 'azureBoards'; readonly where: string; readonly template: ProcessTemplate }
  /** GitHub: every level is an issue, linked to its parent as a sub-issue. */
  | { readonly tracker: 'github'; readonly where: string };

/** GitHub's limits on sub-issues: at most 100 under one parent. */
export const MAX_SUB_ISSUES = 100;

export interface PlanChangesResult {
  readonly changes: readonly PlanChange[];
  readonly notes: readonly string[];
  /** Why the plan cannot be created as it is (too many sub-issues), or undefined. */
  readonly problem?: string;
}

const criteriaMarkdown = (criteria: readonly string[]): string => (criteria.length ? `\n\n### Acceptance criteria\n\n${criteria.map((c) => `- [ ] ${c}`).join('\n')}` : '');

export function planChanges(key: string, root: PlanItem, target: PlanTarget): PlanChangesResult {
  const notes: string[] = [];
  const changes: PlanChange[] = [];
  const azure = target.tracker === 'azureBoards' ? azureLevelTypes(target.template) : undefined;
  const github = target.tracker === 'github';
  const noun = (level: PlanLevel): string => (azure ? (azure[level].type ?? level) : `${level} issue`);
  let problem: string | undefined;

  if (target.tracker === 'azureBoards' && azure?.feature.type === undefined && root.children.some((f) => f.existingId === undefined)) {
    notes.push(`The ${target.template.name} process has no Feature level (${target.template.types.map((t) => t.name).join(' > ')}): each feature's stories go straight under the epic, tagged with the feature's title.`);
  }
  if (github) notes.push('On GitHub every level is an issue; the hierarchy is kept with sub-issues, estimates are written into the issue body.');

  interface Parent {
    readonly id?: number;
    readonly changeId?: string;
    readonly clientId: string;
    readonly title: string;
    readonly level: PlanLevel;
  }
  const visit = (item: PlanItem, titlePath: readonly string[], parent: Parent | undefined, tags: readonly string[]): void => {
    const path = [...titlePath, item.title];
    const clientId = itemClientId(key, path);
    const countable = item.children.filter((c) => !(azure && c.level === 'feature' && azure.feature.type === undefined));
    if (github && countable.length > MAX_SUB_ISSUES) problem ??= `"${item.title}" has ${countable.length} children; GitHub allows ${MAX_SUB_ISSUES} sub-issues under one issue. Split it in the preview.`;
    // A level the process has not (Basic's features): its children go to its parent, tagged with its title.
    if (azure && item.level === 'feature' && azure.feature.type === undefined) {
      if (item.existingId !== undefined) notes.push(`"${item.title}" exists (AB#${item.existingId}) but the process has no Feature level; its stories go under the epic.`);
      for (const child of item.children) visit(child, path, parent, [...tags, item.title]);
      return;
    }
    let self: Parent;
    if (item.existingId !== undefined) {
      self = { id: item.existingId, clientId, title: item.title, level: item.level };
    } else {
      const id = `item-${changes.length + 1}`;
      const levelInfo = azure?.[item.level];
      const type = levelInfo?.type ?? 'Issue';
      const acceptanceField = levelInfo?.acceptanceField;
      const criteriaInField = acceptanceField !== undefined && item.acceptanceCriteria.length > 0;
      const fields: Record<string, string | number> = {};
      if (criteriaInField) fields[acceptanceField] = item.acceptanceCriteria.map((c) => `- ${c}`).join('\n');
      if (levelInfo && item.estimate !== undefined) for (const f of levelInfo.estimateFields) fields[f] = item.estimate;
      const description = criteriaInField ? item.description : `${item.description}${criteriaMarkdown(item.acceptanceCriteria)}`.trim();
      // GitHub issues have no estimate field of their own: the estimate is written into the body.
      const body = !azure && item.estimate !== undefined ? `${description}\n\nEstimate: ${formatEstimate(item.level, item.estimate).trim().replace(/^\[|\]$/g, '')}`.trim() : description;
      const payload: CreateItemPayload = {
        tracker: target.tracker,
        type,
        title: item.title,
        description: body,
        clientId,
        ...(Object.keys(fields).length ? { fields } : {}),
        ...(tags.length ? { tags: [...tags] } : {}),
        ...(parent?.id !== undefined ? { parentId: parent.id } : {}),
        ...(parent?.changeId !== undefined ? { parentFrom: parent.changeId } : {}),
      };
      const under = parent ? ` under ${noun(parent.level)} "${parent.title}"` : '';
      const estimate = item.estimate !== undefined ? ` (${azure ? `${levelInfo?.estimateName} ` : ''}${formatEstimate(item.level, item.estimate).trim().replace(/^\[|\]$/g, '')})` : '';
      changes.push({
        id,
        kind: CREATE_KIND,
        approval: 'trackerWrite',
        target: target.where,
        summary: `New ${noun(item.level)} "${item.title}"${under}${estimate}`.slice(0, 500),
        payload,
        ...(parent?.changeId ? { dependsOn: [parent.changeId] } : {}),
      });
      self = { changeId: id, clientId, title: item.title, level: item.level };
    }
    for (const child of item.children) visit(child, path, self, []);
  };
  visit(root, [], undefined, []);
  return { changes, notes, ...(problem ? { problem } : {}) };
}
