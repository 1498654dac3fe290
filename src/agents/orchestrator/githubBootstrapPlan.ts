import { completedStatusOptions, type GitHubProjectSurvey, type GitHubSetupStep, LIFECYCLE_STATUS_OPTIONS, missingLifecycleStates, NEW_PROJECT_STATUS, statusReplaceRisk } from '../../core/bootstrap/githubProjectSetup';
import { type RemoteChange } from '../runtime/plan';
import { type BootstrapInput } from './bootstrapInput';
import { type BootstrapDecision, sprintsOf } from './bootstrapPlan';

export const GITHUB_SETUP_KIND = 'github.projectSetup';

const DAY_MS = 86_400_000;

/**
 * From what the owner's Project has (the survey) and what the user asked for, the GitHub steps
 * still missing, in order: the Project (created linked to the repository), the link, the Status
 * options for every lifecycle state, the iteration field with the sprints, the Estimate field.
 */
export function decideGitHubBootstrap(survey: GitHubProjectSurvey, input: BootstrapInput, title: string, number: number | undefined, start: string): BootstrapDecision {
  const steps: RemoteChange[] = [];
  const found: string[] = [];
  const notes: string[] = [];
  const [owner = survey.owner, repo = ''] = survey.repository.split('/');
  const where = { owner, repo, title: survey.project?.title ?? title, ...(number !== undefined ? { number } : {}) };
  const target = survey.project ? `${survey.project.url}` : `${survey.owner}'s Projects`;
  const add = (id: string, step: GitHubSetupStep, summary: string, dependsOn: readonly string[]) => {
    const deps = dependsOn.filter((d) => steps.some((s) => s.id === d));
    steps.push({ id, kind: GITHUB_SETUP_KIND, approval: 'trackerWrite', target, summary, payload: { ...step }, ...(deps.length ? { dependsOn: deps } : {}) });
  };
  const p = survey.project;
  const name = p ? `the Project "${p.title}" (#${p.number})` : `the Project "${title}"`;

  if (input.process !== 'Agile' || input.areas.length || input.pipeline) notes.push('On GitHub bootstrap sets up the Project only: the process, area paths and build validation are Azure DevOps choices and are not used.');
  if (!p) add('project', { step: 'project', ...where }, `Create ${name} for ${survey.owner}, linked to ${survey.repository}`, []);
  else {
    found.push(`${name}${p.closed ? ' (closed)' : ''}`);
    if (p.closed) notes.push(`${name} is closed; reopen it in its settings (${p.url}/settings) to work in it.`);
    if (p.linked) found.push(`${name} linked to ${survey.repository}`);
    else add('link', { step: 'link', ...where }, `Link ${name} to ${survey.repository}`, []);
  }

  const lifecycle = LIFECYCLE_STATUS_OPTIONS.map((o) => o.name);
  const addedToNew = completedStatusOptions(NEW_PROJECT_STATUS.map((name) => ({ name, color: 'GRAY', description: '' }))).filter((o) => !NEW_PROJECT_STATUS.includes(o.name));
  if (!p) add('status', { step: 'status', add: addedToNew.map((o) => o.name), ...where }, `Add ${addedToNew.map((o) => o.name).join(', ')} to the new Project's Status (Todo, In Progress, Done), one option for each lifecycle state`, ['project']);
  else if (!p.status) add('status', { step: 'status', add: lifecycle, ...where }, `Add a Status field with ${lifecycle.join(', ')}`, ['link']);
  else {
    const missing = missingLifecycleStates(p.status.options).map((s) => LIFECYCLE_STATUS_OPTIONS.find((o) => o.state === s)!.name);
    if (missing.length === 0) found.push(`the Status options for every lifecycle state (${p.status.options.map((o) => o.name).join(', ')})`);
    else {
      const risk = statusReplaceRisk(p);
      if (risk) notes.push(risk);
      else add('status', { step: 'status', add: missing, ...where }, `Add ${missing.join(', ')} to the Status field (it has ${p.status.options.map((o) => o.name).join(', ')})`, ['link']);
    }
  }

  if (p?.iteration) {
    found.push(`the iteration field ${p.iteration.name}${p.iteration.iterations.length ? ` (${p.iteration.iterations.join(', ')})` : ''}`);
  } else if (input.sprints === 0) notes.push(`No sprints were asked for, so ${name} gets no iteration field; run bootstrap with sprints to add one.`);
  else {
    const sprints = sprintsOf(input, start).map((s) => ({ title: s.name, startDate: s.start, duration: input.sprintDays }));
    const first = sprints[0]!;
    const last = sprints.at(-1)!;
    add(
      'iteration',
      { step: 'iteration', name: 'Iteration', startDate: first.startDate, duration: input.sprintDays, iterations: sprints, ...where },
      `Add the iteration field Iteration: ${sprints.length} sprint${sprints.length === 1 ? '' : 's'} of ${input.sprintDays} days, ${first.startDate} to ${new Date(Date.parse(`${last.startDate}T00:00:00Z`) + (last.duration - 1) * DAY_MS).toISOString().slice(0, 10)}`,
      ['project'],
    );
  }

  if (p?.estimate) found.push(`the number field ${p.estimate.name} for estimates`);
  else add('estimate', { step: 'estimate', name: 'Estimate', ...where }, 'Add the number field Estimate (what sprint planning and epic plans read and write)', ['project']);

  if (!number && !p) notes.push(`Once created, set aiDevops.github.projectNumber to the new Project's number so the board, sprint planning and the lifecycle use it.`);
  return { steps, found, notes };
}
