import { DevOpsError } from '../../core/errors';
import { type AgentContext, type AgentDefinition } from '../runtime/context';
import { type AgentPlan, emptyPlan } from '../runtime/plan';
import { BOOTSTRAP_OPTIONS, type BootstrapInput, BootstrapInputSchema } from './bootstrapInput';
import { decideBootstrap, nextMonday } from './bootstrapPlan';
import { decideGitHubBootstrap } from './githubBootstrapPlan';
import './orchestratorProviders';
import { repositoryFiles } from './repositoryFiles';

/**
 * The orchestrator's bootstrap (`ai-devops bootstrap`): sets an Azure DevOps project up for the team (bootstrap). It reads what the
 * project has, plans only what is missing (each step a remote change the runtime previews, asks
 * about, applies and audits) and says what it found, so running it again completes a half-done
 * project and changes nothing on a finished one.
 */
export const orchestratorAgent: AgentDefinition = {
  id: 'bootstrap',
  title: 'Bootstrap',
  description: 'Bootstrap an Azure DevOps project (process, repository, branch policies, wiki, areas, sprints, team) or the repository\'s GitHub Project (Status options for the lifecycle, iteration and estimate fields)',
  defaultAction: 'bootstrap',
  actions: [
    {
      name: 'bootstrap',
      description: 'Create what the connected Azure DevOps project, or the GitHub repository\'s Project, is missing (the project itself included) and say what was there.',
      input: BootstrapInputSchema,
      options: BOOTSTRAP_OPTIONS,
      plan: async (ctx, input: BootstrapInput) => {
        const github = ctx.providers.githubProjectSetup;
        const tracker = input.tracker ?? (github && (ctx.trackers.defaultTracker === 'github' || !ctx.providers.projectSetup) ? 'github' : 'azureBoards');
        if (tracker === 'github') return bootstrapGitHub(ctx, input);
        const reader = ctx.providers.projectSetup;
        if (!reader) throw new DevOpsError('notConfigured', 'Bootstrap needs Azure DevOps: set aiDevops.azureDevOps.organizationUrl and aiDevops.azureDevOps.project (the project to create or complete) and sign in.');
        const files = await repositoryFiles(ctx, '', input.description);
        ctx.step('Reading what the project has', {});
        const survey = await reader.survey(files.map((f) => f.path), ctx.signal, input.project);
        const named = await repositoryFiles(ctx, survey.project, input.description);
        const start = input.start ?? nextMonday(ctx.now());
        const d = decideBootstrap(survey, input, named, start);
        const title = d.steps.length ? `Bootstrap ${survey.project}` : `${survey.project} is set up`;
        return {
          ...emptyPlan('bootstrap', 'bootstrap', title),
          summary: d.steps.length ? `${d.steps.length} step${d.steps.length === 1 ? '' : 's'} missing${d.found.length ? `; ${d.found.length} already there` : ''}.` : `Nothing is missing (${d.found.length} checked).`,
          facts: [{ label: 'Organization', value: survey.organizationUrl }, ...d.found.map((f) => ({ label: 'Found', value: f }))],
          remote: [...d.steps],
          notes: [...d.notes],
          result: { project: survey.project, found: d.found, missing: d.steps.map((s) => s.summary) },
        };
      },
    },
  ],
};

/** GitHub: the repository's Project (the configured number, or the Project titled after the repository), completed for the lifecycle. */
async function bootstrapGitHub(ctx: AgentContext, input: BootstrapInput): Promise<AgentPlan> {
  const reader = ctx.providers.githubProjectSetup;
  if (!reader) throw new DevOpsError('notConfigured', 'Bootstrap on GitHub needs the repository: set aiDevops.github.owner and aiDevops.github.repo and sign in (AI DevOps: Sign In).');
  await ctx.step('Reading what the GitHub Project has', input.project ? { title: input.project } : {});
  const survey = await reader.survey(input.project, ctx.signal);
  const { title, number } = survey.target;
  const named = input.project && number !== undefined && survey.project && survey.project.title !== input.project ? [`aiDevops.github.projectNumber names Project ${number} ("${survey.project.title}"); that one is set up, not "${input.project}". Clear the setting to create a Project of that title.`] : [];
  const start = input.start ?? nextMonday(ctx.now());
  const d = decideGitHubBootstrap(survey, input, title, number, start);
  const name = survey.project ? `the Project "${survey.project.title}" (#${survey.project.number})` : `the Project "${title}"`;
  return {
    ...emptyPlan('bootstrap', 'bootstrap', d.steps.length ? `Bootstrap ${name} of ${survey.owner}` : `${name} is set up`),
    summary: d.steps.length ? `${d.steps.length} step${d.steps.length === 1 ? '' : 's'} missing${d.found.length ? `; ${d.found.length} already there` : ''}.` : `Nothing is missing (${d.found.length} checked).`,
    facts: [{ label: 'Repository', value: survey.repository }, ...(survey.project ? [{ label: 'Project', value: survey.project.url }] : []), ...d.found.map((f) => ({ label: 'Found', value: f }))],
    remote: [...d.steps],
    notes: [...named, ...d.notes],
    result: { tracker: 'github', repository: survey.repository, project: survey.project?.title ?? title, ...(survey.project ? { number: survey.project.number, url: survey.project.url } : {}), found: d.found, missing: d.steps.map((s) => s.summary) },
  };
}
