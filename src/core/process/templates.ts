import { z } from 'zod';

/**
 * The four system processes of Azure Boards as data: their backlog work item types, each type's
 * workflow states with the service's state categories, and the backlog level each type sits on.
 * Test types (Test Case, Test Plan, Test Suite, Shared Steps) and the side types (Impediment,
 * Issue in Agile/CMMI, Change Request, Review, Risk) are left out: nothing here creates or moves them.
 */
export const ProcessTemplateNameSchema = z.enum(['Basic', 'Agile', 'Scrum', 'CMMI']);
export type ProcessTemplateName = z.infer<typeof ProcessTemplateNameSchema>;

export const StateCategorySchema = z.enum(['Proposed', 'InProgress', 'Resolved', 'Completed', 'Removed']);
export type StateCategory = z.infer<typeof StateCategorySchema>;

/** Backlog levels, top to bottom; a parent sits exactly one level above its child. */
export const BACKLOG_LEVELS = ['epic', 'feature', 'requirement', 'task'] as const;
export type BacklogLevel = (typeof BACKLOG_LEVELS)[number];

export interface WorkflowState {
  readonly name: string;
  readonly category: StateCategory;
}

export interface WorkItemTypeDef {
  readonly name: string;
  readonly referenceName: string;
  /** Where the type sits when bugs are not involved; bugs move with the team's bug setting. */
  readonly level: BacklogLevel;
  readonly isBug: boolean;
  /** Workflow states in their natural order. */
  readonly states: readonly WorkflowState[];
  /**
   * `Microsoft.VSTS.CMMI.Blocked`, where the type has it (CMMI Requirement/Task/Bug, Scrum Task).
   * `clear` is what unblocking writes: CMMI takes "No", Scrum's Task takes an empty field.
   */
  readonly blockedField?: { readonly referenceName: 'Microsoft.VSTS.CMMI.Blocked'; readonly set: 'Yes'; readonly clear: 'No' | null };
}

/** How a team's bugs sit on its backlogs (Team settings > Working with bugs). */
export type BugsBehavior = 'asRequirements' | 'asTasks' | 'off';

export interface ProcessTemplate {
  readonly name: ProcessTemplateName;
  readonly types: readonly WorkItemTypeDef[];
  /** The default this extension assumes when the team's setting is not known. */
  readonly defaultBugsBehavior: BugsBehavior;
}

const s = (name: string, category: StateCategory): WorkflowState => ({ name, category });
const ref = (name: string): string => `Microsoft.VSTS.WorkItemTypes.${name.replace(/\s+/g, '')}`;
const type = (name: string, level: BacklogLevel, states: readonly WorkflowState[], extra: Partial<WorkItemTypeDef> = {}): WorkItemTypeDef => ({
  name,
  referenceName: ref(name),
  level,
  isBug: false,
  states,
  ...extra,
});

const CMMI_BLOCKED = { referenceName: 'Microsoft.VSTS.CMMI.Blocked', set: 'Yes', clear: 'No' } as const;
const SCRUM_BLOCKED = { referenceName: 'Microsoft.VSTS.CMMI.Blocked', set: 'Yes', clear: null } as const;

const basic = [s('To Do', 'Proposed'), s('Doing', 'InProgress'), s('Done', 'Completed')];
const agilePortfolio = [s('New', 'Proposed'), s('Active', 'InProgress'), s('Resolved', 'Resolved'), s('Closed', 'Completed'), s('Removed', 'Removed')];
const scrumPortfolio = [s('New', 'Proposed'), s('In Progress', 'InProgress'), s('Done', 'Completed'), s('Removed', 'Removed')];
const scrumBacklog = [s('New', 'Proposed'), s('Approved', 'Proposed'), s('Committed', 'InProgress'), s('Done', 'Completed'), s('Removed', 'Removed')];
// CMMI puts Resolved in the In Progress category for everything but bugs (and Issue, Review, Risk).
const cmmiWork = [s('Proposed', 'Proposed'), s('Active', 'InProgress'), s('Resolved', 'InProgress'), s('Closed', 'Completed')];

export const PROCESS_TEMPLATES: Readonly<Record<ProcessTemplateName, ProcessTemplate>> = {
  Basic: {
    name: 'Basic',
    defaultBugsBehavior: 'off',
    types: [type('Epic', 'epic', basic), type('Issue', 'requirement', basic), type('Task', 'task', basic)],
  },
  Agile: {
    name: 'Agile',
    defaultBugsBehavior: 'asTasks',
    types: [
      type('Epic', 'epic', agilePortfolio),
      type('Feature', 'feature', agilePortfolio),
      type('User Story', 'requirement', agilePortfolio),
      type('Task', 'task', [s('New', 'Proposed'), s('Active', 'InProgress'), s('Closed', 'Completed'), s('Removed', 'Removed')]),
      type('Bug', 'task', [s('New', 'Proposed'), s('Active', 'InProgress'), s('Resolved', 'Resolved'), s('Closed', 'Completed')], { isBug: true }),
    ],
  },
  Scrum: {
    name: 'Scrum',
    defaultBugsBehavior: 'asRequirements',
    types: [
      type('Epic', 'epic', scrumPortfolio),
      type('Feature', 'feature', scrumPortfolio),
      type('Product Backlog Item', 'requirement', scrumBacklog),
      type('Bug', 'requirement', scrumBacklog, { isBug: true }),
      type('Task', 'task', [s('To Do', 'Proposed'), s('In Progress', 'InProgress'), s('Done', 'Completed'), s('Removed', 'Removed')], { blockedField: SCRUM_BLOCKED }),
    ],
  },
  CMMI: {
    name: 'CMMI',
    defaultBugsBehavior: 'asTasks',
    types: [
      type('Epic', 'epic', [...cmmiWork, s('Removed', 'Removed')]),
      type('Feature', 'feature', [...cmmiWork, s('Removed', 'Removed')]),
      type('Requirement', 'requirement', cmmiWork, { blockedField: CMMI_BLOCKED }),
      type('Task', 'task', cmmiWork, { blockedField: CMMI_BLOCKED }),
      type('Bug', 'task', [s('Proposed', 'Proposed'), s('Active', 'InProgress'), s('Resolved', 'Resolved'), s('Closed', 'Completed')], {
        isBug: true,
        blockedField: CMMI_BLOCKED,
      }),
    ],
  },
};

const norm = (s: string): string => s.trim().toLowerCase();

export function getTemplate(name: string): ProcessTemplate | undefined {
  const parsed = ProcessTemplateNameSchema.safeParse(Object.keys(PROCESS_TEMPLATES).find((k) => norm(k) === norm(name)));
  return parsed.success ? PROCESS_TEMPLATES[parsed.data] : undefined;
}

/** A type of the template by display name or reference name, case-insensitively. */
export function findType(template: ProcessTemplate, typeName: string): WorkItemTypeDef | undefined {
  const n = norm(typeName);
  return template.types.find((t) => norm(t.name) === n || norm(t.referenceName) === n);
}

export function findState(type: WorkItemTypeDef, stateName: string): WorkflowState | undefined {
  const n = norm(stateName);
  return type.states.find((st) => norm(st.name) === n);
}

/** The level a type sits on for a team with the given bug setting (undefined: bugs are off the backlogs). */
export function levelOf(type: WorkItemTypeDef, bugs: BugsBehavior): BacklogLevel | undefined {
  if (!type.isBug) return type.level;
  if (bugs === 'off') return undefined;
  return bugs === 'asRequirements' ? 'requirement' : 'task';
}

export const typeNames = (template: ProcessTemplate): string => template.types.map((t) => t.name).join(', ');
