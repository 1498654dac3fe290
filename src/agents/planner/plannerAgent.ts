import { type AgentDefinition } from '../runtime/context';
import { epicAction } from './epicAction';
import { reportAction } from './reportAction';
import { sprintAction } from './sprintAction';

/**
 * The planner (`ai-devops plan`, `@devops /plan`): epics into features, stories and tasks as the
 * project's process names them (a Markdown epic with sections decomposes without a model; free
 * text needs one), sprints against capacity and velocity, and status reports with velocity and a
 * forecast. It reads the tracker and returns plans: `workItem.create` and `workItem.iteration`
 * changes, report files and wiki pages the runtime applies after approval; it writes nothing itself.
 */
export const plannerAgent: AgentDefinition = {
  id: 'plan',
  title: 'Planner',
  description: 'Decompose epics into features, stories and tasks, plan sprints against capacity and velocity, and report status with a forecast.',
  defaultAction: 'epic',
  actions: [epicAction, sprintAction, reportAction],
};
