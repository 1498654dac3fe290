import { type ProjectSurvey, type SetupStep } from '../../core/bootstrap/projectSetup';
import { type RemoteChange } from '../runtime/plan';
import { type BootstrapInput } from './bootstrapInput';

export interface RepositoryFile {
  readonly path: string;
  readonly content: string;
}

export interface BootstrapDecision {
  readonly steps: readonly RemoteChange[];
  /** What exists already, one line each (the re-run's "found"). */
  readonly found: readonly string[];
  /** What cannot be done and why, or what was assumed. */
  readonly notes: readonly string[];
}

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The Monday after `now` (or `now` itself when it is a Monday), as YYYY-MM-DD. */
export function nextMonday(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const ahead = (8 - d.getUTCDay()) % 7;
  return addDays(d.toISOString().slice(0, 10), ahead);
}

/** The sprints the input asks for: Sprint 1..n, back to back from `start`, finishing on the last working day before the next. */
export function sprintsOf(input: BootstrapInput, start: string): { name: string; start: string; finish: string }[] {
  return Array.from({ length: input.sprints }, (_, i) => {
    const from = addDays(start, i * input.sprintDays);
    // A 14-day sprint from a Monday ends on the second Friday.
    const finish = addDays(from, input.sprintDays - (input.sprintDays % 7 === 0 ? 3 : 1));
    return { name: `Sprint ${i + 1}`, start: from, finish };
  });
}

/**
 * From what the project has (the survey) and what the user asked for, the steps still missing, in
 * the order they must run: the project first, the repository's files before the branch policies
 * (after them, main takes no direct push), iterations before the team takes them.
 */
export function decideBootstrap(survey: ProjectSurvey, input: BootstrapInput, files: readonly RepositoryFile[], start: string): BootstrapDecision {
  const steps: RemoteChange[] = [];
  const found: string[] = [];
  const notes: string[] = [];
  const project = survey.project;
  const add = (id: string, step: SetupStep, summary: string, dependsOn: readonly string[], approval: RemoteChange['approval'] = 'trackerWrite') => {
    const deps = dependsOn.filter((d) => steps.some((s) => s.id === d));
    steps.push({ id, kind: 'azureDevOps.setup', approval, target: `${project} (${survey.organizationUrl})`, summary, payload: { ...step, project }, ...(deps.length ? { dependsOn: deps } : {}) });
  };

  if (!survey.existing) add('project', { step: 'project', name: project, process: input.process, description: input.description ?? `${project}, set up by AI DevOps.` }, `Create the project ${project} with the ${input.process} process`, []);
  else {
    found.push(`the project ${project}${survey.existing.process ? ` (${survey.existing.process})` : ''}`);
    if (survey.existing.process && survey.existing.process.toLowerCase() !== input.process.toLowerCase()) notes.push(`The project uses the ${survey.existing.process} process, not ${input.process}; a project's process is not changed by bootstrap.`);
    if (survey.existing.state !== 'wellFormed') add('project', { step: 'project', name: project, process: input.process, description: input.description ?? '' }, `Wait for the project ${project} to finish being created`, []);
  }
  const fresh = !survey.existing || survey.existing.state !== 'wellFormed';

  const have = new Set(survey.repository?.files ?? []);
  const missingFiles = files.filter((f) => !have.has(f.path));
  if (missingFiles.length === 0) found.push(`the repository with ${files.map((f) => f.path.slice(1)).join(', ')} on main`);
  else add('repository', { step: 'repository', branch: 'main', files: missingFiles.map((f) => ({ path: f.path, content: f.content })) }, `${survey.repository?.mainExists ? 'Add' : 'Initialise main with'} ${missingFiles.map((f) => f.path.slice(1)).join(', ')}`, ['project'], 'pushPublish');

  const policy = (name: 'minimumReviewers' | 'workItemLinking', summary: string, extra: Partial<Extract<SetupStep, { step: 'policy' }>> = {}) => {
    if (survey.policies.has(name)) found.push(`the ${summary} policy on main`);
    else add(`policy-${name}`, { step: 'policy', policy: name, ...extra }, `Require ${summary} on main`, ['project', 'repository']);
  };
  policy('minimumReviewers', `${input.minimumReviewers} reviewer${input.minimumReviewers === 1 ? '' : 's'}`, { minimumReviewers: input.minimumReviewers });
  policy('workItemLinking', 'linked work items');
  if (survey.policies.has('buildValidation')) found.push('the build validation policy on main');
  else {
    const wanted = input.pipeline;
    const pipeline = wanted
      ? survey.pipelines.find((p) => String(p.id) === wanted || p.name.toLowerCase() === wanted.toLowerCase())
      : survey.pipelines.length === 1
        ? survey.pipelines[0]
        : undefined;
    if (pipeline) add('policy-buildValidation', { step: 'policy', policy: 'buildValidation', pipelineId: pipeline.id }, `Require a passing ${pipeline.name} build on main`, ['project', 'repository']);
    else if (wanted) notes.push(`No pipeline "${wanted}" in ${project}; build validation is left out. Its pipelines: ${survey.pipelines.map((p) => p.name).join(', ') || 'none'}.`);
    else if (survey.pipelines.length > 1) notes.push(`${project} has ${survey.pipelines.length} pipelines (${survey.pipelines.map((p) => p.name).join(', ')}); name the one build validation runs (--pipeline) and run bootstrap again.`);
    else notes.push(`Build validation needs a pipeline and ${project} has none yet${files.some((f) => f.path === '/azure-pipelines.yml') ? ': create it from azure-pipelines.yml (Pipelines > New pipeline > Existing YAML)' : ''}, then run bootstrap again to add it.`);
  }

  if (survey.wiki) found.push('the project wiki');
  else add('wiki', { step: 'wiki' }, 'Create the project wiki', ['project']);

  const areas = new Set(survey.areas.map((a) => a.toLowerCase()));
  for (const area of input.areas) {
    if (areas.has(area.toLowerCase())) found.push(`the area path ${area}`);
    else add(`area-${area}`, { step: 'area', name: area }, `Add the area path ${project}\\${area}`, ['project']);
  }

  const iterations = new Map(survey.iterations.map((i) => [i.name.toLowerCase(), i]));
  const sprints = sprintsOf(input, start);
  for (const sprint of sprints) {
    const there = iterations.get(sprint.name.toLowerCase());
    if (there) {
      found.push(`the iteration ${sprint.name}`);
      if (there.start !== sprint.start || there.finish !== sprint.finish) notes.push(`${sprint.name} exists with ${there.start ?? 'no start'} to ${there.finish ?? 'no finish'}; its dates are left as they are.`);
    } else add(`iteration-${sprint.name}`, { step: 'iteration', ...sprint }, `Add the iteration ${sprint.name} (${sprint.start} to ${sprint.finish})`, ['project']);
  }

  const teamIterations = new Set((survey.team?.iterations ?? []).map((i) => i.toLowerCase()));
  const toTake = sprints.map((s) => s.name).filter((n) => !teamIterations.has(n.toLowerCase()));
  const workingDays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
  const daysSet = !fresh && survey.team && survey.team.workingDays.length === 5 && workingDays.every((d) => survey.team!.workingDays.includes(d));
  const bugsSet = !fresh && survey.team?.bugsBehavior.toLowerCase() === 'asrequirements';
  if (toTake.length === 0 && daysSet && bugsSet) found.push(`the team ${survey.team?.name ?? ''} with its sprints`.replace('  ', ' '));
  else add('team', { step: 'teamSettings', bugsBehavior: 'asRequirements', workingDays, iterations: toTake }, `Team settings: working days Monday to Friday, bugs on the backlog${toTake.length ? `, sprints ${toTake.join(', ')}` : ''}`, ['project', ...sprints.map((s) => `iteration-${s.name}`)]);

  return { steps, found, notes };
}
