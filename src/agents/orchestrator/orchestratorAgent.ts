import { DevOpsError } from '../../core/errors';
import { type AgentDefinition } from '../runtime/context';
import { emptyPlan } from '../runtime/plan';
import { BOOTSTRAP_OPTIONS, type BootstrapInput, BootstrapInputSchema } from './bootstrapInput';
import { decideBootstrap, nextMonday } from './bootstrapPlan';
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
  description: 'Bootstrap an Azure DevOps project: process, repository, branch policies, wiki, areas, sprints, team',
  defaultAction: 'bootstrap',
  actions: [
    {
      name: 'bootstrap',
      description: 'Create what the connected Azure DevOps project is missing (the project itself included) and say what was there.',
      input: BootstrapInputSchema,
      options: BOOTSTRAP_OPTIONS,
      plan: async (ctx, input: BootstrapInput) => {
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
