/**
 * The four system processes with their work item types and workflow states, as Azure DevOps
 * Services ships them (Basic, Agile, Scrum, CMMI). State categories are the service's own
 * (Proposed, InProgress, Resolved, Completed, Removed); colors are the service's defaults.
 */
export type StateCategory = 'Proposed' | 'InProgress' | 'Resolved' | 'Completed' | 'Removed';

export interface WorkItemStateDef {
  readonly name: string;
  readonly category: StateCategory;
}

export interface WorkItemTypeDef {
  readonly name: string;
  readonly referenceName: string;
  readonly description: string;
  readonly color: string;
  readonly icon: string;
  readonly states: readonly WorkItemStateDef[];
  /** Backlog level: the board's hierarchy (Epic > Feature > Requirement > Task). */
  readonly category: 'Microsoft.EpicCategory' | 'Microsoft.FeatureCategory' | 'Microsoft.RequirementCategory' | 'Microsoft.TaskCategory' | 'Microsoft.BugCategory' | 'Microsoft.HiddenCategory';
}

export interface ProcessDef {
  readonly id: string;
  readonly name: 'Basic' | 'Agile' | 'Scrum' | 'CMMI';
  readonly description: string;
  readonly isDefault: boolean;
  readonly types: readonly WorkItemTypeDef[];
}

export const STATE_COLORS: Readonly<Record<StateCategory, string>> = {
  Proposed: 'b2b2b2',
  InProgress: '007acc',
  Resolved: 'ff9d00',
  Completed: '339933',
  Removed: 'ffffff',
};

const s = (name: string, category: StateCategory): WorkItemStateDef => ({ name, category });

const agileFlow = [s('New', 'Proposed'), s('Active', 'InProgress'), s('Resolved', 'Resolved'), s('Closed', 'Completed'), s('Removed', 'Removed')];
const scrumFlow = [s('New', 'Proposed'), s('Approved', 'Proposed'), s('Committed', 'InProgress'), s('Done', 'Completed'), s('Removed', 'Removed')];
const scrumPortfolioFlow = [s('New', 'Proposed'), s('In Progress', 'InProgress'), s('Done', 'Completed'), s('Removed', 'Removed')];
const cmmiFlow = [s('Proposed', 'Proposed'), s('Active', 'InProgress'), s('Resolved', 'Resolved'), s('Closed', 'Completed')];
const basicFlow = [s('To Do', 'Proposed'), s('Doing', 'InProgress'), s('Done', 'Completed')];

type TypeSeed = Omit<WorkItemTypeDef, 'referenceName'> & { referenceName?: string };
const type = (seed: TypeSeed): WorkItemTypeDef => ({
  referenceName: seed.referenceName ?? `Microsoft.VSTS.WorkItemTypes.${seed.name.replace(/\s+/g, '')}`,
  ...seed,
});

const epic = (states: readonly WorkItemStateDef[]) =>
  type({ name: 'Epic', description: 'Epics help teams effectively manage and groom their product backlog', color: 'FF7B00', icon: 'icon_crown', states, category: 'Microsoft.EpicCategory' });
const feature = (states: readonly WorkItemStateDef[]) =>
  type({ name: 'Feature', description: 'Tracks a feature that will be released with the product', color: '773B93', icon: 'icon_trophy', states, category: 'Microsoft.FeatureCategory' });
const task = (states: readonly WorkItemStateDef[]) =>
  type({ name: 'Task', description: 'Tracks work that needs to be done.', color: 'A4880A', icon: 'icon_clipboard', states, category: 'Microsoft.TaskCategory' });
const bug = (states: readonly WorkItemStateDef[]) =>
  type({
    name: 'Bug',
    description: 'Describes a divergence between required and actual behavior, and tracks the work done to correct the defect and verify the correction.',
    color: 'CC293D',
    icon: 'icon_insect',
    states,
    category: 'Microsoft.BugCategory',
  });
const testTypes = [
  type({ name: 'Test Case', description: 'Server-side data for a set of steps to be tested.', color: '004B50', icon: 'icon_test_case', states: [s('Design', 'Proposed'), s('Ready', 'InProgress'), s('Closed', 'Completed')], category: 'Microsoft.HiddenCategory' }),
  type({ name: 'Test Plan', description: 'Tracks test activities for a specific milestone or release.', color: '004B50', icon: 'icon_test_plan', states: [s('Active', 'InProgress'), s('Inactive', 'Completed')], category: 'Microsoft.HiddenCategory' }),
  type({ name: 'Test Suite', description: 'Tracks test activites for a specific feature, requirement, or user story.', color: '004B50', icon: 'icon_test_suite', states: [s('In Planning', 'Proposed'), s('In Progress', 'InProgress'), s('Completed', 'Completed')], category: 'Microsoft.HiddenCategory' }),
];

export const PROCESSES: readonly ProcessDef[] = [
  {
    id: 'adcc42ab-9882-485e-a3ed-7678f01f66bc',
    name: 'Agile',
    description: 'This template is flexible and will work great for most teams using Agile planning methods, including those practicing Scrum.',
    isDefault: false,
    types: [
      epic(agileFlow),
      feature(agileFlow),
      type({ name: 'User Story', description: 'Tracks an activity the user will be able to perform with the product', color: '009CCC', icon: 'icon_book', states: agileFlow, category: 'Microsoft.RequirementCategory' }),
      task([s('New', 'Proposed'), s('Active', 'InProgress'), s('Closed', 'Completed'), s('Removed', 'Removed')]),
      bug([s('New', 'Proposed'), s('Active', 'InProgress'), s('Resolved', 'Resolved'), s('Closed', 'Completed')]),
      type({ name: 'Issue', description: 'Tracks an obstacle to progress.', color: 'B4009E', icon: 'icon_traffic_cone', states: [s('Active', 'InProgress'), s('Closed', 'Completed')], category: 'Microsoft.HiddenCategory' }),
      ...testTypes,
    ],
  },
  {
    id: '6b724908-ef14-45cf-84f8-768b5384da45',
    name: 'Scrum',
    description: 'This template is for teams who follow the Scrum framework.',
    isDefault: false,
    types: [
      // Scrum's portfolio types have their own flow (New > In Progress > Done), not the backlog's.
      epic(scrumPortfolioFlow),
      feature(scrumPortfolioFlow),
      type({ name: 'Product Backlog Item', description: 'Tracks an activity the user will be able to perform with the product', color: '009CCC', icon: 'icon_list', states: scrumFlow, category: 'Microsoft.RequirementCategory' }),
      task([s('To Do', 'Proposed'), s('In Progress', 'InProgress'), s('Done', 'Completed'), s('Removed', 'Removed')]),
      bug(scrumFlow),
      type({ name: 'Impediment', description: 'Tracks an obstacle to progress.', color: 'B4009E', icon: 'icon_traffic_cone', states: [s('Open', 'InProgress'), s('Closed', 'Completed')], category: 'Microsoft.HiddenCategory' }),
      ...testTypes,
    ],
  },
  {
    id: '27450541-8e31-4150-9947-dc59f998fc01',
    name: 'CMMI',
    description: 'This template is for more formal projects requiring a framework for process improvement and an auditable record of decisions.',
    isDefault: false,
    types: [
      epic([...cmmiFlow, s('Removed', 'Removed')]),
      feature([...cmmiFlow, s('Removed', 'Removed')]),
      type({ name: 'Requirement', description: 'Tracks a product requirement', color: '009CCC', icon: 'icon_list', states: cmmiFlow, category: 'Microsoft.RequirementCategory' }),
      task(cmmiFlow),
      bug(cmmiFlow),
      type({ name: 'Change Request', description: 'Tracks a requested change to the product', color: '4A8E1F', icon: 'icon_review', states: cmmiFlow, category: 'Microsoft.HiddenCategory' }),
      type({ name: 'Issue', description: 'Tracks an obstacle to progress.', color: 'B4009E', icon: 'icon_traffic_cone', states: cmmiFlow, category: 'Microsoft.HiddenCategory' }),
      type({ name: 'Review', description: 'Tracks a review meeting', color: '4A8E1F', icon: 'icon_review', states: [s('Active', 'InProgress'), s('Closed', 'Completed')], category: 'Microsoft.HiddenCategory' }),
      type({ name: 'Risk', description: 'Tracks a risk to the project', color: '4A8E1F', icon: 'icon_review', states: cmmiFlow, category: 'Microsoft.HiddenCategory' }),
      ...testTypes,
    ],
  },
  {
    id: 'b8a3a935-7e91-48b8-a94c-606d37c3e9f2',
    name: 'Basic',
    description: 'This template is suited for teams who want the simplest model that uses Issues, Tasks, and Epics to track work.',
    isDefault: true,
    types: [
      epic(basicFlow),
      type({ name: 'Issue', description: 'Tracks an activity the user will be able to perform with the product', color: '339947', icon: 'icon_list', states: basicFlow, category: 'Microsoft.RequirementCategory' }),
      task(basicFlow),
      ...testTypes,
    ],
  },
];

export function processById(id: string): ProcessDef | undefined {
  return PROCESSES.find((p) => p.id.toLowerCase() === id.toLowerCase());
}

export function processByName(name: string): ProcessDef | undefined {
  return PROCESSES.find((p) => p.name.toLowerCase() === name.toLowerCase());
}

export function typeInProcess(process: ProcessDef, name: string): WorkItemTypeDef | undefined {
  return process.types.find((t) => t.name.toLowerCase() === name.toLowerCase() || t.referenceName.toLowerCase() === name.toLowerCase());
}
