import { type AgentDefinition } from '../runtime/context';
import { epicAction } from './epicAction';

/**
 * The planner (`ai-devops plan`, `@devops /plan`): epics into features, stories and tasks as the
 * project's process names them. A Markdown epic with sections decomposes without a model; free
 * text needs one. It reads the tracker and returns the tree and, with `apply`, the
 * `workItem.create` changes the runtime sends after approval; it never writes anything itself.
 */
export const plannerAgent: AgentDefinition = {
  id: 'plan',
  title: 'Planner',
  description: 'Decompose an epic into features, stories and tasks in Azure Boards or GitHub.',
  defaultAction: 'epic',
  actions: [epicAction],
};
