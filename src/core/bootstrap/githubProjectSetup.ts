import { z } from 'zod';
import { DevOpsError } from '../errors';
import { statusOptionFor } from '../process/githubStatus';
import { type LifecycleState } from '../process/lifecycle';
import { type StepOutcome } from './projectSetup';

/**
 * Bootstrap on GitHub: the repository's Project (v2), linked to the repository, with a Status
 * field whose options stand for every lifecycle state, an iteration field for sprints and a
 * number field for estimates. The survey reads what the Project has; each step checks again when
 * it runs, so a re-run completes only what is missing.
 */

/** A Project's number field the planner reads (and writes) estimates in, by name. */
export const GITHUB_ESTIMATE_FIELD = /^(estimate|estimates|story points|points|size|effort)$/i;

export type OptionColor = 'GRAY' | 'BLUE' | 'GREEN' | 'YELLOW' | 'ORANGE' | 'RED' | 'PINK' | 'PURPLE';

/** The option bootstrap adds for a lifecycle state the Status field has no option for (in board order). */
export const LIFECYCLE_STATUS_OPTIONS: readonly { readonly state: LifecycleState; readonly name: string; readonly color: OptionColor; readonly description: string }[] = [
  { state: 'New', name: 'Backlog', color: 'GRAY', description: 'Not yet accepted for work' },
  { state: 'Ready', name: 'Ready', color: 'BLUE', description: 'Ready to be picked up' },
  { state: 'In Progress', name: 'In Progress', color: 'YELLOW', description: 'This is actively being worked on' },
  { state: 'Code Review', name: 'Code Review', color: 'PURPLE', description: 'A pull request is open for review' },
  { state: 'Testing', name: 'Testing', color: 'ORANGE', description: 'Being tested' },
  { state: 'Staging', name: 'Staging', color: 'PINK', description: 'Released to staging' },
  { state: 'Production', name: 'Production', color: 'GREEN', description: 'Released to production' },
  { state: 'Done', name: 'Done', color: 'GREEN', description: 'This has been completed' },
  { state: 'Blocked', name: 'Blocked', color: 'RED', description: 'Held up; see the comment that says why' },
];

/** The Status options GitHub gives a new Project. */
export const NEW_PROJECT_STATUS: readonly string[] = ['Todo', 'In Progress', 'Done'];

export interface StatusOptionFull {
  readonly id?: string;
  readonly name: string;
  readonly color: OptionColor;
  readonly description: string;
}

/** Lifecycle states the options do not name (a fallback to a neighbouring stage does not count). */
export function missingLifecycleStates(options: readonly StatusOptionFull[]): LifecycleState[] {
  const withIds = options.map((o, i) => ({ id: o.id ?? String(i), name: o.name }));
  return LIFECYCLE_STATUS_OPTIONS.map((o) => o.state).filter((state) => {
    const match = statusOptionFor(withIds, state);
    return !(match.ok && match.option && match.matchedBy === 'name');
  });
}

/**
 * The Status options after adding what is missing: each existing option at the place of the
 * lifecycle state it stands for, the new ones where their state goes, options that stand for no
 * state last. Existing options keep their name, colour and description (GitHub replaces the
 * whole list, so they are sent again).
 */
export function completedStatusOptions(options: readonly StatusOptionFull[]): StatusOptionFull[] {
  const withIds = options.map((o, i) => ({ id: String(i), name: o.name }));
  const placed = new Set<number>();
  const out: StatusOptionFull[] = [];
  for (const wanted of LIFECYCLE_STATUS_OPTIONS) {
    const match = statusOptionFor(withIds.filter((o) => !placed.has(Number(o.id))), wanted.state);
    if (match.ok && match.option && match.matchedBy === 'name') {
      const index = Number(match.option.id);
      placed.add(index);
      out.push(strip(options[index]!));
    } else out.push({ name: wanted.name, color: wanted.color, description: wanted.description });
  }
  options.forEach((o, i) => {
    if (!placed.has(i)) out.push(strip(o));
  });
  return out;
}

const strip = (o: StatusOptionFull): StatusOptionFull => ({ name: o.name, color: o.color, description: o.description });

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const Login = z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'a GitHub login');
const RepoName = z.string().min(1).max(100).regex(/^[\w.-]+$/, 'a repository name');
export const GitHubProjectTitle = z.string().trim().min(1).max(256);
const FieldName = z.string().trim().min(1).max(100);

/** Which Project a step is for: the configured number, or the title (a Project created earlier in the same run). */
const where = { owner: Login, repo: RepoName, title: GitHubProjectTitle, number: z.number().int().positive().optional() };

export const GitHubSetupStepSchema = z.discriminatedUnion('step', [
  z.object({ step: z.literal('project'), ...where }).strict(),
  z.object({ step: z.literal('link'), ...where }).strict(),
  /** The Status field's options completed for the lifecycle (`add`: the names expected to be added). */
  z.object({ step: z.literal('status'), add: z.array(FieldName).min(1).max(20), ...where }).strict(),
  z.object({ step: z.literal('iteration'), name: FieldName, startDate: Day, duration: z.number().int().min(1).max(100), iterations: z.array(z.object({ title: FieldName, startDate: Day, duration: z.number().int().min(1).max(100) }).strict()).max(26), ...where }).strict(),
  z.object({ step: z.literal('estimate'), name: FieldName, ...where }).strict(),
]);
export type GitHubSetupStep = z.infer<typeof GitHubSetupStepSchema>;

export interface GitHubProjectFacts {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly url: string;
  readonly closed: boolean;
  /** Whether the repository is linked to the Project. */
  readonly linked: boolean;
  readonly status?: { readonly id: string; readonly name: string; readonly options: readonly StatusOptionFull[]; readonly itemsWithStatus: number; readonly itemsUnread: number };
  readonly iteration?: { readonly id: string; readonly name: string; readonly iterations: readonly string[] };
  readonly estimate?: { readonly id: string; readonly name: string };
}

/**
 * Why the Status options cannot be completed through the API, or undefined: GitHub replaces the
 * whole option list and clears every item's Status when it does, so it is done only on a Project
 * whose items (all of them read) have no Status yet.
 */
export function statusReplaceRisk(project: GitHubProjectFacts): string | undefined {
  const status = project.status;
  if (!status || (status.itemsWithStatus === 0 && status.itemsUnread === 0)) return undefined;
  const missing = missingLifecycleStates(status.options).map((s) => LIFECYCLE_STATUS_OPTIONS.find((o) => o.state === s)!.name);
  const held = status.itemsUnread > 0 ? `more items than bootstrap reads (${status.itemsWithStatus} of the first 100 with a Status)` : `${status.itemsWithStatus} item${status.itemsWithStatus === 1 ? '' : 's'} with a Status`;
  return `The Project "${project.title}" (#${project.number}) has ${held}; GitHub's API replaces the options and clears every item's Status, so bootstrap does not. Add ${missing.join(', ')} to the Status field in the Project's settings (${project.url}/settings), then run bootstrap again.`;
}

/** What the owner and the Project have now, as far as bootstrap is concerned. */
export interface GitHubProjectSurvey {
  readonly owner: string;
  readonly ownerType: 'User' | 'Organization';
  readonly repository: string;
  /** The Project looked for: the configured number, else the title asked for or the repository's name. */
  readonly target: GitHubProjectTarget;
  /** The Project: by the configured number, or the owner's Project of that title; undefined when there is none. */
  readonly project?: GitHubProjectFacts;
}

export interface GitHubProjectTarget {
  /** The Project's title when none is configured (the one to find or create). */
  readonly title: string;
  /** aiDevops.github.projectNumber, when set: that Project and no other. */
  readonly number?: number;
}

export interface GitHubProjectSetupReader {
  /** `title`: the Project to find or create when aiDevops.github.projectNumber names none (default: the repository's name). */
  survey(title: string | undefined, signal?: AbortSignal): Promise<GitHubProjectSurvey>;
}

/** A reader whose implementation loads with the first survey (so a host can offer it without loading the GitHub client). */
export function lazyGitHubProjectSetup(load: () => Promise<GitHubProjectSetupReader | undefined>): GitHubProjectSetupReader {
  return {
    survey: async (title, signal) => {
      const reader = await load();
      if (!reader) throw new DevOpsError('notConfigured', 'Bootstrap on GitHub needs the repository: set aiDevops.github.owner and aiDevops.github.repo and sign in (AI DevOps: Sign In).');
      return reader.survey(title, signal);
    },
  };
}

export interface GitHubProjectSetup extends GitHubProjectSetupReader {
  apply(step: GitHubSetupStep, signal?: AbortSignal): Promise<StepOutcome>;
}
