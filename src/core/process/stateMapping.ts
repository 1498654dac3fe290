import { checkLifecycleMove, FLOW, type LifecycleState, type MoveKind, type MoveOptions } from './lifecycle';
import { hasTag } from './tags';
import { findState, findType, type ProcessTemplate, type WorkflowState, type WorkItemTypeDef } from './templates';

/** The tag written where a type has no Blocked field. */
export const BLOCKED_TAG = 'Blocked';

const norm = (s: string): string => s.trim().toLowerCase();
const first = (type: WorkItemTypeDef, pick: (s: WorkflowState) => boolean): WorkflowState | undefined => type.states.find(pick);
const last = (type: WorkItemTypeDef, pick: (s: WorkflowState) => boolean): WorkflowState | undefined => [...type.states].reverse().find(pick);

/**
 * The real state a lifecycle state is written as, for one work item type. A state whose name is
 * the lifecycle state's own (a custom "Code Review" or "Testing" state) wins; otherwise the state
 * categories decide, so custom processes map too:
 *   New: the first Proposed state; Ready: the last Proposed state (Scrum's Approved);
 *   In Progress, Code Review: the first In Progress state;
 *   Testing, Staging, Production: the first Resolved state, else the In Progress state after the
 *   first (CMMI's Resolved), else the first In Progress state (work stays on the board until Done);
 *   Done: the first Completed state.
 * Blocked has no state of its own unless the type has one named Blocked (see planTransition).
 */
export function realStateFor(type: WorkItemTypeDef, lifecycle: LifecycleState): string | undefined {
  const named = findState(type, lifecycle);
  if (named && named.category !== 'Removed') return named.name;
  const inProgress = first(type, (s) => s.category === 'InProgress');
  switch (lifecycle) {
    case 'New':
      return first(type, (s) => s.category === 'Proposed')?.name;
    case 'Ready':
      return last(type, (s) => s.category === 'Proposed')?.name;
    case 'In Progress':
    case 'Code Review':
      return inProgress?.name;
    case 'Testing':
    case 'Staging':
    case 'Production': {
      const resolved = first(type, (s) => s.category === 'Resolved');
      const laterInProgress = type.states.filter((s) => s.category === 'InProgress')[1];
      return (resolved ?? laterInProgress ?? inProgress)?.name;
    }
    case 'Done':
      return first(type, (s) => s.category === 'Completed')?.name;
    case 'Blocked':
      return undefined;
  }
}

/** Lifecycle state -> real state for every state of the flow (Blocked aside), for tables and docs. */
export function lifecycleTable(type: WorkItemTypeDef): Record<(typeof FLOW)[number], string | undefined> {
  return Object.fromEntries(FLOW.map((l) => [l, realStateFor(type, l)])) as Record<(typeof FLOW)[number], string | undefined>;
}

export interface ItemFlags {
  /** System.Tags, parsed. */
  readonly tags?: readonly string[];
  /** Field values by reference name (only Microsoft.VSTS.CMMI.Blocked is read). */
  readonly fields?: Readonly<Record<string, unknown>>;
  /**
   * The lifecycle state last recorded for the item (from the audit trail). Several lifecycle
   * states share one real state (Code Review and In Progress are both Active); when the hint
   * still maps onto the item's real state it is kept, so the finer stage is not lost.
   */
  readonly hint?: LifecycleState;
}

export type LifecycleReading =
  | { readonly ok: true; readonly state: LifecycleState; readonly blocked: boolean }
  | { readonly ok: false; readonly reason: string };

export function isBlockedByFlags(type: WorkItemTypeDef, flags: ItemFlags): boolean {
  const field = type.blockedField ? flags.fields?.[type.blockedField.referenceName] : undefined;
  return (typeof field === 'string' && norm(field) === 'yes') || hasTag(flags.tags ?? [], BLOCKED_TAG);
}

/** Real state (plus the Blocked tag or field) -> lifecycle state. */
export function lifecycleFor(type: WorkItemTypeDef, realState: string, flags: ItemFlags = {}): LifecycleReading {
  const st = findState(type, realState);
  if (!st) return { ok: false, reason: `"${realState}" is not a state of ${type.name}; its states are ${type.states.map((s) => s.name).join(', ')}.` };
  if (st.category === 'Removed') return { ok: false, reason: `The ${type.name} is ${st.name}: it is off the backlog and outside the lifecycle. Restore it first.` };
  const done = st.category === 'Completed';
  // A finished item with a stale Blocked tag is finished, not blocked.
  if (!done && (norm(st.name) === 'blocked' || isBlockedByFlags(type, flags))) return { ok: true, state: 'Blocked', blocked: true };
  if (flags.hint && flags.hint !== 'Blocked' && realStateFor(type, flags.hint) === st.name) return { ok: true, state: flags.hint, blocked: false };
  const candidates = FLOW.filter((l) => realStateFor(type, l) === st.name);
  // The earliest lifecycle state written as this real state is the honest reading (Active: In Progress, not Code Review).
  const state = candidates[0];
  if (!state) return { ok: false, reason: `The ${type.name} state "${st.name}" does not correspond to a lifecycle state.` };
  return { ok: true, state, blocked: false };
}

/** What to write to move a work item, in Azure Boards terms. */
export interface StateWrite {
  /** System.State to write. Equal to the current state when only the lifecycle stage changes. */
  readonly state: string;
  readonly stateChanged: boolean;
  /** Fields to set; null means clear the field (JSON Patch `remove`). */
  readonly fields: Readonly<Record<string, string | null>>;
  readonly addTags: readonly string[];
  readonly removeTags: readonly string[];
}

export interface TransitionRequest {
  readonly template: ProcessTemplate;
  readonly type: string;
  /** The item's current System.State. */
  readonly currentState: string;
  readonly flags?: ItemFlags;
  readonly to: LifecycleState;
  readonly options?: MoveOptions;
}

export type TransitionPlan =
  | { readonly allowed: true; readonly from: LifecycleState; readonly to: LifecycleState; readonly kind: MoveKind; readonly write: StateWrite; readonly summary: string }
  | { readonly allowed: false; readonly from?: LifecycleState; readonly to: LifecycleState; readonly reason: string; readonly allowedTargets: readonly LifecycleState[] };

/**
 * Whether the item may move to `to`, and exactly what to write: the real state, and for Blocked the
 * `Microsoft.VSTS.CMMI.Blocked` field where the type has it (CMMI Requirement/Task/Bug: Yes/No;
 * Scrum Task: Yes/cleared), else the `Blocked` tag. A type with its own Blocked state uses that.
 */
export function planTransition(req: TransitionRequest): TransitionPlan {
  const { template, to } = req;
  const type = findType(template, req.type);
  if (!type) {
    return { allowed: false, to, reason: `"${req.type}" is not a backlog work item type of the ${template.name} process; its types are ${template.types.map((t) => t.name).join(', ')}.`, allowedTargets: [] };
  }
  const reading = lifecycleFor(type, req.currentState, req.flags);
  if (!reading.ok) return { allowed: false, to, reason: reading.reason, allowedTargets: [] };
  const from = reading.state;
  const move = checkLifecycleMove(from, to, req.options);
  if (!move.allowed) return { allowed: false, from, to, reason: move.reason, allowedTargets: move.allowedTargets };

  const current = findState(type, req.currentState)!.name;
  const fields: Record<string, string | null> = {};
  const addTags: string[] = [];
  const removeTags: string[] = [];
  let state = current;
  const ownBlocked = type.states.find((s) => norm(s.name) === 'blocked' && s.category !== 'Removed');

  if (move.kind === 'block') {
    if (ownBlocked) state = ownBlocked.name;
    else if (type.blockedField) fields[type.blockedField.referenceName] = type.blockedField.set;
    else addTags.push(BLOCKED_TAG);
  } else {
    if (move.kind !== 'none') state = realStateFor(type, to) ?? current;
    // Leaving Blocked (or any move of an item that still carries a stale flag) clears the flag.
    if (to !== 'Blocked' && (move.kind === 'unblock' || isBlockedByFlags(type, req.flags ?? {}))) {
      const bf = type.blockedField;
      const fieldValue = bf ? req.flags?.fields?.[bf.referenceName] : undefined;
      // Clear the field when it is set, or when the caller did not read it; an unset field stays untouched.
      if (bf && (req.flags?.fields === undefined || (typeof fieldValue === 'string' && norm(fieldValue) === 'yes'))) fields[bf.referenceName] = bf.clear;
      if (hasTag(req.flags?.tags ?? [], BLOCKED_TAG)) removeTags.push(BLOCKED_TAG);
    }
  }
  const write: StateWrite = { state, stateChanged: state !== current, fields, addTags, removeTags };
  return { allowed: true, from, to, kind: move.kind, write, summary: describe(type, from, to, write) };
}

function describe(type: WorkItemTypeDef, from: LifecycleState, to: LifecycleState, w: StateWrite): string {
  const parts: string[] = [w.stateChanged ? `set State to "${w.state}"` : `keep State "${w.state}"`];
  for (const [field, value] of Object.entries(w.fields)) parts.push(value === null ? `clear ${field}` : `set ${field} to "${value}"`);
  if (w.addTags.length) parts.push(`add tag ${w.addTags.map((t) => `"${t}"`).join(', ')}`);
  if (w.removeTags.length) parts.push(`remove tag ${w.removeTags.map((t) => `"${t}"`).join(', ')}`);
  return `${type.name}: ${from} → ${to}: ${parts.join(', ')}.`;
}

