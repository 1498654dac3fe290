import { z } from 'zod';
import { type AdoContext, list, ok } from '../http/context';
import { badRequest, notFound } from '../http/errors';
import { type AdoRouteDef } from '../http/routes';
import { identityRef } from '../render/identity';
import { branchRef, refOf } from '../state/gitOps';
import { JsonValueSchema, type Pipeline, type PipelineRun } from '../state/model';
import { NEW_RUN_TIMING, runPhase } from '../state/pipelineOps';
import { projectRef } from './core';

const contract = (path: string) => ({ file: 'pipelines', path: `/{organization}/{project}/_apis/pipelines${path}` });

function pipelineRef(ctx: AdoContext, p: Pipeline): Record<string, unknown> {
  return { id: p.id, revision: p.revision, name: p.name, folder: p.folder, url: `${ctx.orgUrl}/${p.projectId}/_apis/pipelines/${p.id}?revision=${p.revision}` };
}

function pipelineJson(ctx: AdoContext, p: Pipeline, withConfiguration: boolean): Record<string, unknown> {
  const web = `${ctx.orgUrl}/${p.projectId}/_build/definition?definitionId=${p.id}`;
  return {
    _links: { self: { href: `${ctx.orgUrl}/${p.projectId}/_apis/pipelines/${p.id}?revision=${p.revision}` }, web: { href: web } },
    ...(withConfiguration ? { configuration: { type: 'yaml', path: p.yamlPath, repository: { id: p.repositoryId, type: 'azureReposGit' } } } : {}),
    ...pipelineRef(ctx, p),
  };
}

function sourceVersion(_ctx: AdoContext, _p: Pipeline, run: PipelineRun): string | undefined {
  return run.sourceVersion;
}

function runJson(ctx: AdoContext, p: Pipeline, run: PipelineRun): Record<string, unknown> {
  const { phase, finishedAt } = runPhase(run, ctx.state.now());
  const url = `${ctx.orgUrl}/${p.projectId}/_apis/pipelines/${p.id}/runs/${run.id}`;
  const version = sourceVersion(ctx, p, run);
  return {
    _links: {
      self: { href: url },
      web: { href: `${ctx.orgUrl}/${p.projectId}/_build/results?buildId=${run.id}` },
      'pipeline.web': { href: `${ctx.orgUrl}/${p.projectId}/_build/definition?definitionId=${p.id}` },
      pipeline: { href: `${ctx.orgUrl}/${p.projectId}/_apis/pipelines/${p.id}?revision=${p.revision}` },
    },
    pipeline: pipelineRef(ctx, p),
    // The Pipelines API has no "queued" state: a run waiting for an agent already reads inProgress (the Build API tells them apart).
    state: phase === 'completed' ? 'completed' : 'inProgress',
    ...(phase === 'completed' ? { result: run.result, finishedDate: finishedAt } : {}),
    createdDate: run.createdDate,
    url,
    resources: { repositories: { self: { repository: { id: p.repositoryId, type: 'azureReposGit' }, refName: run.refName, ...(version ? { version } : {}) } } },
    ...(Object.keys(run.templateParameters).length ? { templateParameters: run.templateParameters } : {}),
    ...(Object.keys(run.variables).length
      ? { variables: Object.fromEntries(Object.entries(run.variables).map(([k, v]) => [k, v.isSecret ? { isSecret: true } : { value: v.value }])) }
      : {}),
    id: run.id,
    name: run.name,
  };
}

function pipelineOf(ctx: AdoContext): Pipeline {
  const project = ctx.requireProject();
  const id = Number(ctx.param('pipelineId'));
  const p = ctx.state.doc.pipelines.find((x) => x.id === id && x.projectId === project.id);
  if (!p) throw notFound('PipelineNotFoundException', `Pipeline with id ${ctx.param('pipelineId')} not found.`);
  return p;
}

const RunSchema = z.object({
  resources: z.object({ repositories: z.record(z.string(), z.object({ refName: z.string().nullish(), version: z.string().nullish() })).nullish() }).nullish(),
  templateParameters: z.record(z.string(), JsonValueSchema).nullish(),
  variables: z.record(z.string(), z.object({ value: z.string().nullish(), isSecret: z.boolean().nullish() })).nullish(),
  previewRun: z.boolean().nullish(),
});

/** The sandbox variable a run may carry to end as failed or canceled, so failure paths can be tried without a real build. */
export const SANDBOX_RESULT_VARIABLE = 'sandbox.result';

export const pipelineRoutes: readonly AdoRouteDef[] = [
  {
    name: 'pipelines.list',
    method: 'GET',
    location: '28e1305e-2afe-47bf-abaf-cbb0e6a91988',
    contract: contract(''),
    without: ['pipelineId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      return list(ctx.state.doc.pipelines.filter((p) => p.projectId === project.id).map((p) => pipelineJson(ctx, p, false)));
    },
  },
  {
    name: 'pipelines.get',
    method: 'GET',
    location: '28e1305e-2afe-47bf-abaf-cbb0e6a91988',
    contract: contract('/{pipelineId}'),
    with: ['pipelineId'],
    handler: (ctx) => ok(pipelineJson(ctx, pipelineOf(ctx), true)),
  },
  {
    name: 'pipelines.runs.list',
    method: 'GET',
    location: '7859261e-d2e9-4a68-b820-a5d84cc5bb3d',
    contract: contract('/{pipelineId}/runs'),
    without: ['runId'],
    handler: (ctx) => {
      const p = pipelineOf(ctx);
      return list([...p.runs].reverse().map((r) => runJson(ctx, p, r)));
    },
  },
  {
    name: 'pipelines.runs.get',
    method: 'GET',
    location: '7859261e-d2e9-4a68-b820-a5d84cc5bb3d',
    contract: contract('/{pipelineId}/runs/{runId}'),
    with: ['runId'],
    handler: (ctx) => {
      const p = pipelineOf(ctx);
      const run = p.runs.find((r) => r.id === Number(ctx.param('runId')));
      if (!run) throw notFound('PipelineRunNotFoundException', `Pipeline run with id ${ctx.param('runId')} not found in pipeline ${p.id}.`);
      return ok(runJson(ctx, p, run));
    },
  },
  {
    name: 'pipelines.runs.create',
    method: 'POST',
    location: '7859261e-d2e9-4a68-b820-a5d84cc5bb3d',
    contract: contract('/{pipelineId}/runs'),
    without: ['runId'],
    handler: (ctx) => {
      const p = pipelineOf(ctx);
      const body = ctx.json(RunSchema);
      if (body.previewRun) throw badRequest('InvalidArgumentValueException', 'The sandbox does not expand YAML, so previewRun is not available.');
      const repo = ctx.state.doc.repositories.find((r) => r.id === p.repositoryId);
      const refName = branchRef(body.resources?.repositories?.self?.refName ?? repo?.defaultBranch ?? 'refs/heads/main');
      if (!repo || !refOf(repo, refName)) {
        throw badRequest('PipelineValidationException', `Could not find a branch named '${refName}' in repository ${repo?.name ?? p.repositoryId}; the run was not queued.`);
      }
      const unexpected = p.parameters ? Object.keys(body.templateParameters ?? {}).find((k) => !p.parameters!.includes(k)) : undefined;
      if (unexpected !== undefined) throw badRequest('PipelineValidationException', `Unexpected parameter '${unexpected}'`);
      const variables = Object.fromEntries(Object.entries(body.variables ?? {}).map(([k, v]) => [k, { value: v.value ?? '', ...(v.isSecret ? { isSecret: true } : {}) }]));
      const wanted = variables[SANDBOX_RESULT_VARIABLE]?.value.toLowerCase();
      const result = wanted === 'failed' || wanted === 'canceled' ? wanted : 'succeeded';
      const now = ctx.state.now();
      const day = now.toISOString().slice(0, 10).replace(/-/g, '');
      const run: PipelineRun = {
        id: ctx.state.next('pipelineRun'),
        name: `${day}.${p.runs.filter((r) => r.name.startsWith(day)).length + 1}`,
        createdDate: now.toISOString(),
        ...NEW_RUN_TIMING,
        result,
        refName,
        sourceVersion: refOf(repo, refName)?.objectId,
        requestedById: ctx.user.id,
        templateParameters: body.templateParameters ?? {},
        variables,
      };
      p.runs.push(run);
      ctx.state.changed();
      return ok(runJson(ctx, p, run));
    },
  },
  {
    name: 'build.builds.get',
    method: 'GET',
    location: '0cd358e1-9217-4d94-8269-1c1ee6f93dcf',
    contract: { file: 'build', path: '/{organization}/{project}/_apis/build/builds/{buildId}' },
    with: ['buildId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const id = Number(ctx.param('buildId'));
      const p = ctx.state.doc.pipelines.find((x) => x.projectId === project.id && x.runs.some((r) => r.id === id));
      const run = p?.runs.find((r) => r.id === id);
      if (!p || !run) throw notFound('BuildNotFoundException', `TF215027: The build ${id} does not exist or you do not have permission to view it.`);
      const { phase, startedAt, finishedAt } = runPhase(run, ctx.state.now());
      const url = `${ctx.orgUrl}/${p.projectId}/_apis/build/Builds/${run.id}`;
      return ok({
        _links: { self: { href: url }, web: { href: `${ctx.orgUrl}/${p.projectId}/_build/results?buildId=${run.id}` } },
        id: run.id,
        buildNumber: run.name,
        status: phase === 'queued' ? 'notStarted' : phase,
        ...(phase === 'completed' ? { result: run.result, finishTime: finishedAt } : {}),
        queueTime: run.createdDate,
        ...(startedAt ? { startTime: startedAt } : {}),
        url,
        definition: { id: p.id, name: p.name, path: `\\${p.folder.replace(/^\\+/, '')}`, type: 'build', queueStatus: 'enabled', revision: p.revision, project: projectRef(ctx, project) },
        project: projectRef(ctx, project),
        sourceBranch: run.refName,
        ...(sourceVersion(ctx, p, run) ? { sourceVersion: sourceVersion(ctx, p, run) } : {}),
        priority: 'normal',
        reason: 'manual',
        requestedFor: identityRef(ctx.orgUrl, ctx.state.identity(run.requestedById)),
        requestedBy: identityRef(ctx.orgUrl, ctx.state.identity(run.requestedById)),
        repository: { id: p.repositoryId, type: 'TfsGit' },
      });
    },
  },
];
