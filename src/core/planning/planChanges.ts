import { type ProcessTemplate } from '../process/templates';
import { type TrackerKind } from '../workItem';
import { formatEstimate } from './estimates';
import { itemClientId } from './existing';
import { azureLevelTypes } from './levelTypes';
import { GITHUB_LEVEL_LABELS, type GitHubPlanProject, githubIssueTypeFor } from './githubLevels';
import { PLAN_LEVELS, type PlanItem, type PlanLevel } from './planItem';

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
  /** GitHub: the organization's issue type for the item's level. */
  readonly issueType?: string;
}

/** GitHub: an issue the plan creates, added to the repository's Project with its estimate. */
export const PROJECT_ADD_KIND = 'project.add';
export interface ProjectAddPayload {
  readonly projectNumber: number;
  /** The change that creates the issue (its result carries the number). */
  readonly idFrom: string;
  readonly estimate?: number;
  readonly estimateField?: string;
}

export type PlanChange =
  | { readonly id: string; readonly kind: typeof CREATE_KIND; readonly approval: 'trackerWrite'; readonly target: string; readonly summary: string; readonly payload: CreateItemPayload; readonly dependsOn?: string[] }
  | { readonly id: string; readonly kind: typeof PROJECT_ADD_KIND; readonly approval: 'trackerWrite'; readonly target: string; readonly summary: string; readonly payload: ProjectAddPayload; readonly dependsOn: string[] };

export type PlanTarget =
  | { readonly tracker: 'azureBoards'; readonly where: string; readonly template: ProcessTemplate }
  /**
   * GitHub: every level is an issue, linked to its parent as a sub-issue, with the organization's
   * issue type for its level where there is one (`issueTypes`: the enabled ones' names); `project`:
   * the configured Project the issues are added to (`projectNote` says why there is none).
   */
  | { readonly tracker: 'github'; readonly where: string; readonly issueTypes?: readonly string[]; readonly issueTypesNote?: string; readonly project?: GitHubPlanProject; readonly projectNote?: string };

/** GitHub's limits on sub-issues: at most 100 under one parent. */
export const MAX_SUB_ISSUES = 100;

export interface PlanChangesResult {
  readonly changes: readonly PlanChange[];
  readonly notes: readonly string[];
  /** Why the plan cannot be created as it is (too many sub-issues), or undefined. */
  readonly problem?: string;
}

const criteriaMarkdown = (criteria: readonly string[]): string => (criteria.length ? `\n\n### Acceptance criteria\n\n${criteria.map((c) => `- [ ] ${c}`).join('\n')}` : '');

const PLURAL: Readonly<Record<PlanLevel, string>> = { epic: 'epics', feature: 'features', story: 'stories', task: 'tasks' };

export function planChanges(key: string, root: PlanItem, target: PlanTarget): PlanChangesResult {
  const notes: string[] = [];
  const changes: PlanChange[] = [];
  const azure = target.tracker === 'azureBoards' ? azureLevelTypes(target.template) : undefined;
  const github = target.tracker === 'github';
  const noun = (level: PlanLevel): string => (azure ? (azure[level].type ?? level) : `${level} issue`);
  let problem: string | undefined;
  const projectAdds: PlanChange[] = [];

  if (target.tracker === 'azureBoards' && azure?.feature.type === undefined && root.children.some((f) => f.existingId === undefined)) {
    notes.push(`The ${target.template.name} process has no Feature level (${target.template.types.map((t) => t.name).join(' > ')}): each feature's stories go straight under the epic, tagged with the feature's title.`);
  }
  const types = target.tracker === 'github' ? (target.issueTypes ?? []) : [];
  const levelType = (level: PlanLevel): string | undefined => (github ? githubIssueTypeFor(level, types) : undefined);
  const project = target.tracker === 'github' ? target.project : undefined;
  if (target.tracker === 'github') {
    notes.push(`On GitHub every level is an issue; the hierarchy is kept with sub-issues, estimates are written into the issue body${project?.estimateField ? ` and the Project's ${project.estimateField} field` : ''}.`);
    const used = new Set<PlanLevel>();
    walkLevels(root, used);
    const typed = [...used].filter((l) => levelType(l) !== undefined);
    const untyped = [...used].filter((l) => levelType(l) === undefined);
    const owner = target.where.split('/')[0] ?? target.where;
    if (types.length === 0 && target.issueTypesNote) notes.push(target.issueTypesNote);
    else if (types.length === 0) notes.push(`${target.where} has no issue types (a user's repository, or an organization without them): each issue gets the label of its level (${PLAN_LEVELS.map((l) => GITHUB_LEVEL_LABELS[l]).join(', ')}) instead.`);
    else {
      if (typed.length) notes.push(`Issue types of ${owner}: ${typed.map((l) => `${PLURAL[l]} are ${levelType(l)}`).join(', ')}.`);
      if (untyped.length) notes.push(`${owner} has no issue type for ${untyped.map((l) => PLURAL[l]).join(' or ')} (it has ${types.join(', ')}): those issues get the label ${untyped.map((l) => GITHUB_LEVEL_LABELS[l]).join(' or ')} instead.`);
    }
    if (project) notes.push(`Each new issue is added to Project ${project.number} "${project.title}"${project.estimateField ? ` with estimates in its ${project.estimateField} field` : ' (it has no number field for estimates)'}.`);
    else if (target.projectNote) notes.push(target.projectNote);
  }

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
      const issueType = levelType(item.level);
      // GitHub without an issue type for the level: the level as a label.
      const labels = github && !issueType ? [...tags, GITHUB_LEVEL_LABELS[item.level]] : tags;
      const payload: CreateItemPayload = {
        tracker: target.tracker,
        type,
        title: item.title,
        description: body,
        clientId,
        ...(Object.keys(fields).length ? { fields } : {}),
        ...(labels.length ? { tags: [...labels] } : {}),
        ...(issueType ? { issueType } : {}),
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
      if (project) {
        const withEstimate = project.estimateField !== undefined && item.estimate !== undefined;
        projectAdds.push({
          id: `project-${id.slice('item-'.length)}`,
          kind: PROJECT_ADD_KIND,
          approval: 'trackerWrite',
          target: target.where,
          summary: `Add "${item.title}" to Project ${project.number}${withEstimate ? ` (${project.estimateField} ${item.estimate})` : ''}`.slice(0, 500),
          payload: { projectNumber: project.number, idFrom: id, ...(withEstimate ? { estimate: item.estimate!, estimateField: project.estimateField! } : {}) },
          dependsOn: [id],
        });
      }
    }
    for (const child of item.children) visit(child, path, self, []);
  };
  visit(root, [], undefined, []);
  // The Project additions after every creation: an issue is added once it exists.
  return { changes: [...changes, ...projectAdds], notes, ...(problem ? { problem } : {}) };
}

function walkLevels(item: PlanItem, into: Set<PlanLevel>): void {
  if (item.existingId === undefined) into.add(item.level);
  item.children.forEach((c) => walkLevels(c, into));
}
