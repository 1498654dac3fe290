import { type ProjectPlace, type StateChoice, type WorkTracker } from '../../core/boards/workTracker';
import { findState, findType, FLOW, type LifecycleState, lifecycleForStatus, PROCESS_TEMPLATES, realStateFor } from '../../core/process';
import { type WorkItem, workItemKey } from '../../core/workItem';
import { type RemoteChange } from './plan';

/**
 * The real state that stands for a lifecycle step for this item, from the transitions its tracker
 * allows (which follow the process template: Agile's Staging and Production are Resolved, Done is
 * Closed). Undefined when the item is already there or the tracker has no such state (a GitHub
 * issue has no Staging).
 */
export async function stateForLifecycle(tracker: WorkTracker, item: WorkItem, target: LifecycleState, signal: AbortSignal): Promise<StateChoice | undefined> {
  const choices = await tracker.allowedStates(item, signal);
  const exact = choices.find((c) => c.lifecycle === target);
  if (exact) return exact;
  // Testing, Staging and Production share one real state in the standard processes (the first Resolved one).
  const shared: readonly string[] = ['Testing', 'Staging', 'Production'];
  if (shared.includes(target)) {
    const reached = FLOW.indexOf(target as (typeof FLOW)[number]);
    return choices.find((c) => c.lifecycle !== undefined && shared.includes(c.lifecycle) && FLOW.indexOf(c.lifecycle as (typeof FLOW)[number]) <= reached);
  }
  return undefined;
}

/**
 * Whether the item's state already stands for the lifecycle step: Agile's Active is both In
 * Progress and Code Review, so a pull request opening moves nothing there. A GitHub issue is Open
 * through every working step. Read from the standard process that has the item's type and state;
 * a custom process's states are not known here (the move is then offered or explained).
 */
export function alreadyAt(item: WorkItem, target: LifecycleState): boolean {
  if (item.tracker === 'github') return target === 'Done' ? item.state !== 'Open' : target !== 'New' && target !== 'Blocked' && item.state === 'Open';
  for (const template of Object.values(PROCESS_TEMPLATES)) {
    const type = findType(template, item.type);
    const state = type ? findState(type, item.state) : undefined;
    if (type && state) return realStateFor(type, target) === state.name;
  }
  return false;
}

/** Finished work (a Completed state, a closed issue): an agent does not reopen it by itself. */
export function isFinished(item: WorkItem): boolean {
  if (item.tracker === 'github') return item.state !== 'Open';
  for (const template of Object.values(PROCESS_TEMPLATES)) {
    const type = findType(template, item.type);
    const state = type ? findState(type, item.state) : undefined;
    if (type && state) return state.category === 'Completed' || state.category === 'Removed';
  }
  return false;
}

const NO_STATE = /^(\S+) stays .*: its process has no (.+) state it can move to from there\.$/;
const NO_OPTION = /^Project (\d+) has no Status option for (.+), so (\S+) stays /;

/**
 * A note of `lifecycleMoves` saying a step could not be made because the process or the Project
 * lacks the state: the item, the step and what a person can do. Undefined for any other note.
 */
export function missingStateNote(note: string): { readonly item: string; readonly step: string; readonly todo: string } | undefined {
  const state = NO_STATE.exec(note);
  if (state) return { item: state[1]!, step: state[2]!, todo: `Move ${state[1]} yourself if the work is at ${state[2]}, or add the state to the process (Organization settings > Process).` };
  const option = NO_OPTION.exec(note);
  if (option) return { item: option[3]!, step: option[2]!, todo: `Add a "${option[2]}" option to Project ${option[1]}'s Status field, or move the item yourself.` };
  return undefined;
}

export interface LifecycleStep {
  /** The step's id in the plan. */
  readonly id: string;
  readonly target: LifecycleState;
  /** Why the item moves, as the review shows it ("its pull request is open"). */
  readonly why: string;
  readonly dependsOn?: readonly string[];
}

export interface LifecycleMoves {
  readonly changes: RemoteChange[];
  readonly notes: string[];
}

/**
 * Moves of one item along its process as an agent works on it, each onto the process's real state
 * (the tracker's state machine decides which, and whether the move is allowed from where the item
 * will be after the previous step). A step the item already stands at moves nothing; one its
 * process cannot make leaves it where it is and says so, never a guess; finished work is not
 * reopened. Each move is a
 * `workItem.state` plan step: approved under `trackerWrite`, sent through the outbox, audited.
 */
export async function lifecycleMoves(tracker: WorkTracker | undefined, item: WorkItem, steps: readonly LifecycleStep[], signal: AbortSignal): Promise<LifecycleMoves> {
  const key = workItemKey(item);
  const changes: RemoteChange[] = [];
  const notes: string[] = [];
  if (!tracker) return { changes, notes: [`${key} was not moved along its process: ${item.tracker === 'azureBoards' ? 'Azure Boards' : 'GitHub'} is not connected.`] };
  if (isFinished(item) && steps.some((s) => s.target !== 'Done')) {
    return { changes, notes: [`${key} is ${item.state}, so it was not moved back into the work; reopen it yourself if the work starts again.`] };
  }
  let current = item;
  let previous: string | undefined;
  for (const step of steps) {
    if (alreadyAt(current, step.target)) continue;
    let choice: StateChoice | undefined;
    try {
      choice = await stateForLifecycle(tracker, current, step.target, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      notes.push(`${key} was not moved to ${step.target}: its states could not be read (${error instanceof Error ? error.message : String(error)}).`);
      continue;
    }
    if (!choice || choice.state === current.state) {
      notes.push(`${key} stays ${current.state}: its process has no ${step.target} state it can move to from there.`);
      continue;
    }
    const dependsOn = [...(step.dependsOn ?? []), ...(previous ? [previous] : [])];
    changes.push({
      id: step.id,
      kind: 'workItem.state',
      approval: 'trackerWrite',
      target: key,
      summary: `${key} → ${choice.state} (${step.target}): ${step.why}`,
      payload: { tracker: item.tracker, id: item.id, state: choice.state },
      ...(dependsOn.length ? { dependsOn } : {}),
    });
    previous = step.id;
    current = { ...current, state: choice.state };
  }
  if (item.tracker === 'github' && tracker.projectPlace) await projectMoves(tracker, item, steps, signal, changes, notes);
  return { changes, notes };
}

/**
 * A GitHub issue in the configured Project moves on its Status too (updateProjectV2ItemFieldValue),
 * onto the option named for the step ("In Progress", "In review", "QA"...); a Project without one
 * gets a note saying which option to add, never a neighbour guessed in its place.
 */
async function projectMoves(tracker: WorkTracker, item: WorkItem, steps: readonly LifecycleStep[], signal: AbortSignal, changes: RemoteChange[], notes: string[]): Promise<void> {
  const key = workItemKey(item);
  let place: ProjectPlace | undefined;
  try {
    place = await tracker.projectPlace?.(item, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    notes.push(`${key}'s Project Status was not moved: where it is in the Project could not be read (${error instanceof Error ? error.message : String(error)}).`);
    return;
  }
  if (!place) return;
  let status = place.status;
  let previous: string | undefined;
  for (const step of steps) {
    const option = place.options.find((o) => lifecycleForStatus(o) === step.target);
    if (!option) {
      notes.push(`Project ${place.projectNumber} has no Status option for ${step.target}, so ${key} stays ${status ? `"${status}"` : 'without a Status'} there; add a "${step.target}" option to the Project's Status field (AI DevOps: Bootstrap Project adds every lifecycle option while no item has a Status).`);
      continue;
    }
    if (status === option) continue;
    const id = `${step.id}-project`;
    const dependsOn = [...(step.dependsOn ?? []), ...(changes.some((c) => c.id === step.id) ? [step.id] : []), ...(previous ? [previous] : [])];
    changes.push({
      id,
      kind: 'project.status',
      approval: 'trackerWrite',
      target: `${key} in project ${place.projectNumber}`,
      summary: `${key}: Project ${place.projectNumber} Status ${status ? `"${status}" ` : ''}→ "${option}" (${step.target}): ${step.why}`,
      payload: { projectNumber: place.projectNumber, itemId: place.itemId, status: option, from: status ?? null, number: item.id },
      ...(dependsOn.length ? { dependsOn: [...new Set(dependsOn)] } : {}),
    });
    previous = id;
    status = option;
  }
}
