import { type JsonPatchOperation, Operation } from 'azure-devops-node-api/interfaces/common/VSSInterfaces';
import { DevOpsError } from '../../../core/errors';
import { allowedTargets, findState, findType, FLOW, lifecycleFor, type LifecycleState, planTransition, realStateFor } from '../../../core/process';
import { type WorkItem, workItemKey } from '../../../core/workItem';
import { type ProjectInfo } from './projectInfo';

/**
 * The lifecycle step a move to `state` is, when the move is allowed: undefined when the process
 * has no lifecycle reading for it (a Removed state: always allowed, the service decides), null
 * when core/process refuses the move.
 */
export function lifecycleTarget(info: ProjectInfo, item: WorkItem, state: string): LifecycleState | undefined | null {
  const template = info.template;
  const type = template ? findType(template, item.type) : undefined;
  if (!template || !type) return undefined;
  const from = lifecycleFor(type, item.state, { tags: item.tags });
  const to = lifecycleFor(type, state);
  if (!from.ok || !to.ok) return undefined;
  const targets = allowedTargets(from.state, { allowSkip: true });
  // Several lifecycle steps share one real state (Agile's New is New and Ready): any allowed one will do.
  const candidates = FLOW.filter((l) => realStateFor(type, l) === findState(type, state)?.name);
  return candidates.find((l) => targets.includes(l)) ?? null;
}

/**
 * The JSON Patch that moves `item` (as the service has it now) to `state`: the state, and the
 * fields the process wants written with the move (a blocked flag cleared, a Blocked tag removed).
 * `strict`: a move the process does not allow is refused (asking); otherwise (sending a change
 * queued when the item was elsewhere) only the state is written and the service decides.
 */
export function statePatch(info: ProjectInfo, item: WorkItem, state: string, strict: boolean): { readonly state: string; readonly operations: JsonPatchOperation[] } {
  const template = info.template;
  const type = template ? findType(template, item.type) : undefined;
  if (!template || !type) return { state, operations: [{ op: Operation.Add, path: '/fields/System.State', value: state }] };
  const target = findState(type, state);
  if (!target) throw new DevOpsError('invalidInput', `"${state}" is not a state of ${item.type} in the ${template.name} process; its states are ${type.states.map((s) => s.name).join(', ')}.`);
  const only = { state: target.name, operations: [{ op: Operation.Add, path: '/fields/System.State', value: target.name }] as JsonPatchOperation[] };
  const lifecycle = lifecycleTarget(info, item, target.name);
  if (lifecycle === null) {
    if (!strict) return only;
    const from = lifecycleFor(type, item.state, { tags: item.tags });
    const to = lifecycleFor(type, target.name);
    const plan = from.ok && to.ok ? planTransition({ template, type: item.type, currentState: item.state, flags: { tags: item.tags }, to: to.state }) : undefined;
    throw new DevOpsError('refused', `${workItemKey(item)} cannot move from ${item.state} to ${target.name}: ${plan && !plan.allowed ? plan.reason : 'the process does not allow it.'}`);
  }
  const plan = lifecycle ? planTransition({ template, type: item.type, currentState: item.state, flags: { tags: item.tags }, to: lifecycle, options: { allowSkip: true } }) : undefined;
  const operations: JsonPatchOperation[] = [...only.operations];
  if (plan?.allowed) {
    for (const [field, value] of Object.entries(plan.write.fields)) operations.push(value === null ? { op: Operation.Remove, path: `/fields/${field}` } : { op: Operation.Add, path: `/fields/${field}`, value });
    if (plan.write.removeTags.length) {
      const remove = new Set(plan.write.removeTags.map((t) => t.toLowerCase()));
      operations.push({ op: Operation.Add, path: '/fields/System.Tags', value: item.tags.filter((t) => !remove.has(t.toLowerCase())).join('; ') });
    }
  }
  return { state: target.name, operations };
}
