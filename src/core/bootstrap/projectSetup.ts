import { z } from 'zod';
import { DevOpsError } from '../errors';

/** The process templates a new Azure DevOps project can start from (the inherited system processes). */
export const PROCESS_TEMPLATES = ['Basic', 'Agile', 'Scrum', 'CMMI'] as const;
export type ProcessTemplateName = (typeof PROCESS_TEMPLATES)[number];

export const BRANCH_POLICIES = ['minimumReviewers', 'workItemLinking', 'buildValidation'] as const;
export type BranchPolicyName = (typeof BRANCH_POLICIES)[number];

/** A project, area or iteration name as Azure DevOps accepts it (one rule for the agent, its steps and the editor's prompts). */
export const AZURE_DEVOPS_NAME = /^[^\\/$?*:"&<>#%|+]{1,128}$/;
const AZURE_DEVOPS_NAME_RULE = 'a name without \\ / $ ? * : " & < > # % | +';
export const AzureDevOpsName = z.string().min(1).max(128).regex(AZURE_DEVOPS_NAME, AZURE_DEVOPS_NAME_RULE);
const Name = AzureDevOpsName;
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const RepoPath = z.string().min(2).max(260).regex(/^\/[\w .\-/]+$/, 'a repository path such as /README.md');

/** The project a step is for (absent: the connected project the settings name). */
const target = { project: Name.optional() };

/** One step of setting a project up: each is checked again when it runs, so a step already done is said to be, never done twice. */
export const SetupStepSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('project'), name: Name, process: z.enum(PROCESS_TEMPLATES), description: z.string().max(4000), ...target }).strict(),
  z.object({ step: z.literal('repository'), branch: z.literal('main'), files: z.array(z.object({ path: RepoPath, content: z.string().max(200_000) }).strict()).min(1).max(20), ...target }).strict(),
  z.object({ step: z.literal('policy'), policy: z.enum(BRANCH_POLICIES), minimumReviewers: z.number().int().min(1).max(10).optional(), pipelineId: z.number().int().positive().optional(), ...target }).strict(),
  z.object({ step: z.literal('wiki'), ...target }).strict(),
  z.object({ step: z.literal('area'), name: Name, ...target }).strict(),
  z.object({ step: z.literal('iteration'), name: Name, start: Day, finish: Day, ...target }).strict(),
  z.object({ step: z.literal('teamSettings'), bugsBehavior: z.enum(['off', 'asRequirements', 'asTasks']), workingDays: z.array(z.string()).min(1).max(7), iterations: z.array(Name).max(52), ...target }).strict(),
]);
export type SetupStep = z.infer<typeof SetupStepSchema>;

/** What a project has now, as far as bootstrap is concerned. */
export interface ProjectSurvey {
  readonly organizationUrl: string;
  readonly project: string;
  /** Undefined when there is no such project (yet). */
  readonly existing?: { readonly process?: string; readonly state: string };
  /** The project's repository of the same name (the one a new project gets); undefined when missing. */
  readonly repository?: { readonly id: string; readonly name: string; readonly mainExists: boolean; readonly files: readonly string[] };
  readonly policies: ReadonlySet<BranchPolicyName>;
  readonly pipelines: readonly { readonly id: number; readonly name: string; readonly path?: string }[];
  readonly wiki: boolean;
  readonly areas: readonly string[];
  readonly iterations: readonly { readonly name: string; readonly start?: string; readonly finish?: string }[];
  readonly team?: { readonly name: string; readonly bugsBehavior: string; readonly workingDays: readonly string[]; readonly iterations: readonly string[] };
}

/** Reads a project for bootstrap (Azure DevOps; implemented over the tracker's connection). */
export interface ProjectSetupReader {
  /** `files`: the repository paths whose presence on main to check; `project`: another project of the same organization than the connected one. */
  survey(files: readonly string[], signal?: AbortSignal, project?: string): Promise<ProjectSurvey>;
}

export interface StepOutcome {
  /** False when the step found it done already. */
  readonly made: boolean;
  readonly detail: string;
  readonly url?: string;
  /** GitHub's project step: the Project's number (found or created), for aiDevops.github.projectNumber. */
  readonly number?: number;
}

/** Applies one bootstrap step, checking first that it is still missing. */
export interface ProjectSetup extends ProjectSetupReader {
  apply(step: SetupStep, signal?: AbortSignal): Promise<StepOutcome>;
}

/** A reader whose implementation loads with the first survey (so a host can offer it without loading the Azure DevOps client). */
export function lazyProjectSetup(load: () => Promise<ProjectSetupReader | undefined>): ProjectSetupReader {
  return {
    survey: async (files, signal, project) => {
      const reader = await load();
      if (!reader) throw new DevOpsError('notConfigured', 'Bootstrap needs Azure DevOps: set the organization URL and the project, and sign in.');
      return reader.survey(files, signal, project);
    },
  };
}
