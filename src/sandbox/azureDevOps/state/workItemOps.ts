import { findType, PROCESS_TEMPLATES } from '../../../core/process';
import { badRequest, notFound } from '../http/errors';
import { findNodeByPath } from './classification';
import { fieldByName, FIELDS } from './fields';
import { type Identity, type JsonValue, type Project, type Relation, type WorkItemRecord } from './model';
import { typeInProcess, type WorkItemTypeDef } from './processes';
import { linkType, parentIdOf, sameRelation, targetIdOf, validateRelation } from './relations';
import { type AzureDevOpsState } from './state';
import { applyPatch, type Draft, type PatchOperation } from './workItemPatch';

const BLOCKED_FIELD = 'Microsoft.VSTS.CMMI.Blocked';

export interface PatchOptions {
  readonly bypassRules?: boolean;
  readonly validateOnly?: boolean;
  /** Demo data sets dates in the past; requests always use the clock. */
  readonly at?: string;
}

/** How identity fields are stored: enough to render an IdentityRef and to match WIQL. */
export const identityValue = (i: Identity): JsonValue => ({ id: i.id, displayName: i.displayName, uniqueName: i.uniqueName });

const ruleError = (fieldName: string, code: string, message: string, referenceName: string) =>
  badRequest('RuleValidationException', `TF401320: Rule Error for field ${fieldName}. Error code: ${code}.`, {
    FieldReferenceName: referenceName,
    FieldStatusFlags: code.toLowerCase(),
    ErrorMessage: message,
  });

export function workItemType(state: AzureDevOpsState, project: Project, name: string): WorkItemTypeDef {
  const type = typeInProcess(state.processOf(project), name);
  if (!type) {
    throw notFound('WorkItemTypeNotFoundException', `VS402323: Work item type ${name} does not exist in project ${project.name} or you do not have permission to access it.`);
  }
  return type;
}

/** Field rules the service applies after a patch: required title, known states and paths, identities, tags. */
function enforceRules(state: AzureDevOpsState, project: Project, type: WorkItemTypeDef, draft: Draft, before: Record<string, JsonValue>, user: Identity, at: string): void {
  const fields = draft.fields;
  const title = fields['System.Title'];
  if (typeof title !== 'string' || title.trim() === '') throw ruleError('Title', 'Required, InvalidEmpty', "The field 'Title' cannot be empty.", 'System.Title');
  if (title.length > 255) throw ruleError('Title', 'InvalidTooLong', "The field 'Title' is longer than 255 characters.", 'System.Title');

  const stateName = String(fields['System.State'] ?? '');
  const stateDef = type.states.find((s) => s.name.toLowerCase() === stateName.toLowerCase());
  if (!stateDef) {
    throw ruleError('State', 'Required, HasValues, LimitedToValues, AllowsOldValue, InvalidListValue', `The field 'State' contains the value '${stateName}' that is not in the list of supported values`, 'System.State');
  }
  fields['System.State'] = stateDef.name;
  if (before['System.State'] !== stateDef.name) {
    if (fields['System.Reason'] === before['System.Reason'] || fields['System.Reason'] === undefined) {
      fields['System.Reason'] = before['System.State'] === undefined ? 'New' : `Moved to state ${stateDef.name}`;
    }
    fields['Microsoft.VSTS.Common.StateChangeDate'] = at;
    const stamp = (date: string, by: string) => {
      fields[date] = at;
      fields[by] = identityValue(user);
    };
    if (stateDef.category === 'InProgress') stamp('Microsoft.VSTS.Common.ActivatedDate', 'Microsoft.VSTS.Common.ActivatedBy');
    if (stateDef.category === 'Resolved') stamp('Microsoft.VSTS.Common.ResolvedDate', 'Microsoft.VSTS.Common.ResolvedBy');
    if (stateDef.category === 'Completed') stamp('Microsoft.VSTS.Common.ClosedDate', 'Microsoft.VSTS.Common.ClosedBy');
  }

  for (const [field, tree, idField] of [
    ['System.AreaPath', project.areas, 'System.AreaId'],
    ['System.IterationPath', project.iterations, 'System.IterationId'],
  ] as const) {
    const value = String(fields[field] ?? project.name);
    const hit = findNodeByPath(tree, value);
    if (!hit) throw badRequest('WorkItemTrackingTreeNameInvalidException', `TF401347: Invalid tree name given for work item ${before['System.Id'] ?? -1}, field '${field}'.`);
    fields[field] = hit.path;
    fields[idField] = hit.node.id;
  }

  const assigned = fields['System.AssignedTo'];
  if (assigned === null || assigned === '') delete fields['System.AssignedTo'];
  else if (typeof assigned === 'string') {
    const who = state.findIdentity(assigned);
    if (!who) throw ruleError('Assigned To', 'InvalidIdentityField', `The identity value '${assigned}' for field 'Assigned To' is an unknown identity.`, 'System.AssignedTo');
    fields['System.AssignedTo'] = identityValue(who);
  }

  // The Blocked field exists only on the types whose process has it, and takes Yes or No.
  const blocked = fields[BLOCKED_FIELD];
  if (blocked !== undefined && blocked !== null) {
    const template = PROCESS_TEMPLATES[state.processOf(project).name];
    if (!findType(template, type.name)?.blockedField) throw badRequest('WorkItemFieldInvalidException', `TF51535: Cannot find field ${BLOCKED_FIELD}.`);
    const value = ['Yes', 'No'].find((v) => v.toLowerCase() === String(blocked).toLowerCase());
    if (!value) throw ruleError('Blocked', 'LimitedToValues, InvalidListValue', `The field 'Blocked' contains the value '${String(blocked)}' that is not in the list of supported values`, BLOCKED_FIELD);
    fields[BLOCKED_FIELD] = value;
  }

  const tags = fields['System.Tags'];
  if (typeof tags === 'string') {
    const unique = [...new Map(tags.split(/[;,]/).map((t) => t.trim()).filter(Boolean).map((t) => [t.toLowerCase(), t])).values()];
    if (unique.length === 0) delete fields['System.Tags'];
    else fields['System.Tags'] = unique.join('; ');
  }

  for (const def of FIELDS) {
    const value = fields[def.referenceName];
    if (value === undefined || value === null) continue;
    if (def.type === 'integer' || def.type === 'double') {
      const n = typeof value === 'number' ? value : Number(value);
      if (Number.isNaN(n) || (def.type === 'integer' && !Number.isInteger(n))) {
        throw ruleError(def.name, 'InvalidType', `The value '${String(value)}' is not valid for the ${def.type} field '${def.name}'.`, def.referenceName);
      }
      fields[def.referenceName] = n;
    }
    if (def.type === 'dateTime' && typeof value === 'string' && Number.isNaN(Date.parse(value))) {
      throw ruleError(def.name, 'InvalidType', `The value '${value}' is not a valid date for the field '${def.name}'.`, def.referenceName);
    }
  }
}

function diffFields(before: Record<string, JsonValue>, after: Record<string, JsonValue>): Record<string, { oldValue?: JsonValue; newValue?: JsonValue }> {
  const out: Record<string, { oldValue?: JsonValue; newValue?: JsonValue }> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[key];
    const b = after[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    out[key] = { ...(a !== undefined ? { oldValue: a } : {}), ...(b !== undefined ? { newValue: b } : {}) };
  }
  return out;
}

function commitRevision(state: AzureDevOpsState, item: WorkItemRecord, before: Record<string, JsonValue>, relations: { added: Relation[]; removed: Relation[] }, user: Identity, when: string): void {
  // Each revision's ChangedDate is later than the last one's, as on the service, even within a millisecond.
  const last = Date.parse(String(item.fields['System.ChangedDate'] ?? ''));
  const at = !Number.isNaN(last) && Date.parse(when) <= last ? new Date(last + 1).toISOString() : when;
  item.rev += 1;
  item.fields['System.Rev'] = item.rev;
  item.fields['System.ChangedDate'] = at;
  item.fields['System.ChangedBy'] = identityValue(user);
  item.fields['System.AuthorizedDate'] = at;
  item.fields['System.AuthorizedAs'] = identityValue(user);
  item.fields['System.RevisedDate'] = '9999-01-01T00:00:00Z';
  const changes = diffFields(before, item.fields);
  item.updates.push({
    id: item.updates.length + 1,
    rev: item.rev,
    revisedById: user.id,
    revisedDate: at,
    fields: changes,
    ...(relations.added.length || relations.removed.length
      ? { relations: { ...(relations.added.length ? { added: relations.added } : {}), ...(relations.removed.length ? { removed: relations.removed } : {}) } }
      : {}),
  });
  // History is a discussion entry: it becomes a comment, and the revision keeps the text.
  const history = item.fields['System.History'];
  if (typeof history === 'string' && history.trim() !== '' && changes['System.History']) {
    addComment(state, item, history, user, at, false);
  }
}

/** Adds a comment; `bumpRevision` is false when the comment came from System.History in a patch. */
export function addComment(state: AzureDevOpsState, item: WorkItemRecord, text: string, user: Identity, at: string, bumpRevision = true): void {
  const id = item.comments.reduce((max, c) => Math.max(max, c.id), 0) + 1;
  item.comments.push({ id, version: 1, text, createdById: user.id, createdDate: at, modifiedById: user.id, modifiedDate: at, isDeleted: false });
  const before = { ...item.fields };
  item.fields['System.CommentCount'] = item.comments.filter((c) => !c.isDeleted).length;
  if (bumpRevision) {
    item.fields['System.History'] = text;
    item.rev += 1;
    item.fields['System.Rev'] = item.rev;
    item.fields['System.ChangedDate'] = at;
    item.fields['System.ChangedBy'] = identityValue(user);
    item.updates.push({ id: item.updates.length + 1, rev: item.rev, revisedById: user.id, revisedDate: at, fields: diffFields(before, item.fields) });
  }
}

const canonicalWorkItemUrl = (id: number) => `/_apis/wit/workItems/${id}`;

/** Keeps links two-sided (a Parent link on the child is a Child link on the parent) and one parent per item. */
function applyReciprocalLinks(state: AzureDevOpsState, item: WorkItemRecord, added: Relation[], removed: Relation[], user: Identity, at: string): void {
  for (const relation of added) {
    const type = linkType(relation.rel);
    const targetId = targetIdOf(relation);
    relation.rel = type?.referenceName ?? relation.rel;
    if (!type?.opposite || targetId === undefined) continue;
    relation.url = canonicalWorkItemUrl(targetId);
    const target = state.workItem(targetId);
    if (!target) continue;
    const reverse: Relation = { rel: type.opposite, url: canonicalWorkItemUrl(item.id), attributes: { isLocked: false, name: linkType(type.opposite)?.name ?? '' } };
    if (!relation.attributes.name) relation.attributes = { isLocked: false, ...relation.attributes, name: type.name };
    if (target.relations.some((r) => sameRelation(r, reverse))) continue;
    const before = { ...target.fields };
    target.relations.push(reverse);
    if (type.opposite === 'System.LinkTypes.Hierarchy-Reverse') target.fields['System.Parent'] = item.id;
    commitRevision(state, target, before, { added: [reverse], removed: [] }, user, at);
  }
  for (const relation of removed) {
    const type = linkType(relation.rel);
    const targetId = targetIdOf(relation);
    if (!type?.opposite || targetId === undefined) continue;
    const target = state.workItem(targetId);
    if (!target) continue;
    const index = target.relations.findIndex((r) => r.rel === type.opposite && targetIdOf(r) === item.id);
    if (index < 0) continue;
    const before = { ...target.fields };
    const [gone] = target.relations.splice(index, 1);
    if (type.opposite === 'System.LinkTypes.Hierarchy-Reverse') delete target.fields['System.Parent'];
    commitRevision(state, target, before, { added: [], removed: gone ? [gone] : [] }, user, at);
  }
}

function checkAddedRelations(state: AzureDevOpsState, draft: Draft, item: WorkItemRecord | undefined, added: Relation[]): void {
  for (const relation of added) {
    validateRelation(relation, item, (id) => state.workItem(id));
    const targetId = targetIdOf(relation);
    const target = targetId === undefined ? undefined : state.workItem(targetId);
    const targetParent = target ? parentIdOf(target) : undefined;
    if (linkType(relation.rel)?.referenceName === 'System.LinkTypes.Hierarchy-Forward' && target && targetParent !== undefined && targetParent !== item?.id) {
      throw badRequest('WorkItemLinkInvalidException', `TF201036: You cannot add a Child link between work items ${item?.id ?? '(new)'} and ${target.id} because a work item can have only one Parent link.`);
    }
  }
  const parents = draft.relations.filter((r) => linkType(r.rel)?.referenceName === 'System.LinkTypes.Hierarchy-Reverse');
  if (parents.length > 1) {
    throw badRequest('WorkItemLinkInvalidException', `TF201036: You cannot add a Parent link to work item ${item?.id ?? '(new)'} because a work item can have only one Parent link.`);
  }
  const seen: Relation[] = [];
  for (const relation of draft.relations) {
    if (seen.some((r) => sameRelation(r, relation))) {
      throw badRequest('WorkItemLinkAlreadyExistsException', `TF201035: The link ${relation.rel} to ${relation.url} already exists on this work item.`);
    }
    seen.push(relation);
  }
}

export function createWorkItem(state: AzureDevOpsState, project: Project, typeName: string, operations: readonly PatchOperation[], user: Identity, options: PatchOptions = {}): WorkItemRecord {
  const type = workItemType(state, project, typeName);
  const at = options.at ?? state.nowIso();
  const draft: Draft = { rev: 0, fields: {}, relations: [] };
  const effects = applyPatch(draft, operations, { bypassRules: options.bypassRules ?? false });
  const fields = draft.fields;
  fields['System.WorkItemType'] = type.name;
  fields['System.TeamProject'] = project.name;
  fields['System.State'] ??= type.states[0]?.name ?? 'New';
  fields['System.Reason'] ??= 'New';
  fields['System.AreaPath'] ??= project.name;
  fields['System.IterationPath'] ??= project.name;
  fields['System.CreatedDate'] ??= at;
  fields['System.CreatedBy'] ??= identityValue(user);
  fields['System.CommentCount'] = 0;
  if (fieldByName('Microsoft.VSTS.Common.Priority') && !['Test Plan', 'Test Suite'].includes(type.name)) fields['Microsoft.VSTS.Common.Priority'] ??= 2;
  if (['Microsoft.EpicCategory', 'Microsoft.FeatureCategory', 'Microsoft.RequirementCategory'].includes(type.category)) fields['Microsoft.VSTS.Common.ValueArea'] ??= 'Business';
  enforceRules(state, project, type, draft, {}, user, at);
  checkAddedRelations(state, draft, undefined, effects.added);
  if (options.validateOnly) {
    return { id: 0, projectId: project.id, rev: 1, fields: { ...fields, 'System.Rev': 1 }, relations: draft.relations, updates: [], comments: [] };
  }
  const id = state.next('workItem');
  const item: WorkItemRecord = { id, projectId: project.id, rev: 0, fields: { 'System.Id': id, ...fields }, relations: draft.relations, updates: [], comments: [] };
  const parent = draft.relations.find((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse');
  if (parent) item.fields['System.Parent'] = targetIdOf(parent) ?? null;
  state.doc.workItems.push(item);
  commitRevision(state, item, {}, { added: effects.added, removed: [] }, user, at);
  applyReciprocalLinks(state, item, effects.added, [], user, at);
  return item;
}

export function updateWorkItem(state: AzureDevOpsState, item: WorkItemRecord, operations: readonly PatchOperation[], user: Identity, options: PatchOptions = {}): WorkItemRecord {
  const project = state.doc.projects.find((p) => p.id === item.projectId);
  if (!project) throw notFound('ProjectDoesNotExistException', `The project of work item ${item.id} no longer exists.`);
  const at = options.at ?? state.nowIso();
  const draft: Draft = structuredClone({ rev: item.rev, fields: item.fields, relations: item.relations });
  // System.History is per revision: a patch that does not write it leaves none.
  delete draft.fields['System.History'];
  const effects = applyPatch(draft, operations, { bypassRules: options.bypassRules ?? false });
  const typeName = String(draft.fields['System.WorkItemType'] ?? item.fields['System.WorkItemType']);
  if (typeName !== item.fields['System.WorkItemType']) throw badRequest('RuleValidationException', 'TF401320: Rule Error for field Work Item Type. Error code: ReadOnly. Change the type in the web UI instead.');
  enforceRules(state, project, workItemType(state, project, typeName), draft, item.fields, user, at);
  checkAddedRelations(state, draft, item, effects.added);
  const beforeFields = item.fields;
  const fieldChanges = diffFields({ ...beforeFields, 'System.History': null }, { ...draft.fields, 'System.History': draft.fields['System.History'] ?? null });
  const relationsChanged = effects.added.length > 0 || effects.removed.length > 0 || JSON.stringify(draft.relations) !== JSON.stringify(item.relations);
  if (Object.keys(fieldChanges).length === 0 && !relationsChanged) return item;
  if (options.validateOnly) return { ...item, fields: draft.fields, relations: draft.relations };
  const parent = draft.relations.find((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse');
  if (parent) draft.fields['System.Parent'] = targetIdOf(parent) ?? null;
  else delete draft.fields['System.Parent'];
  item.fields = draft.fields;
  item.relations = draft.relations;
  commitRevision(state, item, { ...beforeFields }, { added: effects.added, removed: effects.removed }, user, at);
  applyReciprocalLinks(state, item, effects.added, effects.removed, user, at);
  return item;
}
