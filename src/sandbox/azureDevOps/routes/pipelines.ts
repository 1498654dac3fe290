import { z } from 'zod';
import { type AdoContext, list, ok } from '../http/context';
import { badRequest, notFound } from '../http/errors';
import { type AdoRouteDef } from '../http/routes';
import { identityRef } from '../render/identity';
import { branchRef, refOf } from '../state/gitOps';
import { JsonValueSchema, type Pipeline, type PipelineRun } from '../state/model';
import { NEW_RUN_TIMING, runPhase } from '../state/pipelineOps';
import { runTimeline, type TimelineRecord } from '../state/pipelineTimeline';
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
  const { phase, finishedAt, result } = runPhase(p, run, ctx.state.doc.environments, ctx.state.now());
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
    ...(phase === 'completed' ? { result, finishedDate: finishedAt } : {}),
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

/** The timeline's own id: one timeline per run here (the service also has one per attempt). */
const recordId0 = (runId: number): string => `6d1c0000-0000-4000-8000-${runId.toString(16).padStart(12, '0')}`;

/** The pipeline and run behind a build id (a run is a build), or the service's 404. */
function buildOf(ctx: AdoContext): { p: Pipeline; run: PipelineRun } {
  const project = ctx.requireProject();
  const id = Number(ctx.param('buildId'));
  const p = ctx.state.doc.pipelines.find((x) => x.projectId === project.id && x.runs.some((r) => r.id === id));
  const run = p?.runs.find((r) => r.id === id);
  if (!p || !run) throw notFound('BuildNotFoundException', `TF215027: The build ${id} does not exist or you do not have permission to view it.`);
  return { p, run };
}

function recordJson(ctx: AdoContext, p: Pipeline, run: PipelineRun, r: TimelineRecord): Record<string, unknown> {
  const logUrl = (id: number) => `${ctx.orgUrl}/${p.projectId}/_apis/build/builds/${run.id}/logs/${id}`;
  return {
    previousAttempts: [],
    id: r.id,
    parentId: r.parentId,
    type: r.type,
    name: r.name,
    startTime: r.startTime,
    finishTime: r.finishTime,
    currentOperation: null,
    percentComplete: r.state === 'completed' ? 100 : null,
    state: r.state,
    result: r.result,
    resultCode: null,
    changeId: 1,
    lastModified: r.finishTime ?? r.startTime ?? run.createdDate,
    workerName: r.type === 'Job' && r.state !== 'pending' ? 'Hosted Agent' : null,
    order: r.order,
    details: null,
    errorCount: r.errorCount,
    warningCount: 0,
    url: null,
    log: r.logId !== undefined ? { id: r.logId, type: 'Container', url: logUrl(r.logId) } : null,
    task: r.type === 'Task' ? { id: '00000000-0000-0000-0000-000000000000', name: r.name, version: '1.0.0' } : null,
    attempt: 1,
    identifier: r.identifier,
    issues: r.issues.map((i) => ({ type: i.type, category: i.category, message: i.message, data: { type: 'error', logFileLineNumber: '3' } })),
  };
}

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
      const { phase, startedAt, finishedAt, result } = runPhase(p, run, ctx.state.doc.environments, ctx.state.now());
      const url = `${ctx.orgUrl}/${p.projectId}/_apis/build/Builds/${run.id}`;
      return ok({
        _links: { self: { href: url }, web: { href: `${ctx.orgUrl}/${p.projectId}/_build/results?buildId=${run.id}` } },
        id: run.id,
        buildNumber: run.name,
        status: phase === 'queued' ? 'notStarted' : phase,
        ...(phase === 'completed' ? { result, finishTime: finishedAt } : {}),
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
  {
    name: 'build.timeline.get',
    method: 'GET',
    location: '8baac422-4c6e-4de5-8532-db96d92acffa',
    contract: { file: 'build', path: '/{organization}/{project}/_apis/build/builds/{buildId}/timeline/{timelineId}' },
    with: ['buildId'],
    handler: (ctx) => {
      const { p, run } = buildOf(ctx);
      const { records } = runTimeline(p, run, ctx.state.doc.environments, ctx.state.now());
      const url = `${ctx.orgUrl}/${p.projectId}/_apis/build/builds/${run.id}/Timeline/${recordId0(run.id)}`;
      return ok({ records: records.map((r) => recordJson(ctx, p, run, r)), lastChangedBy: run.requestedById, lastChangedOn: ctx.state.now().toISOString(), id: recordId0(run.id), changeId: records.length, url });
    },
  },
  {
    name: 'build.logs.list',
    method: 'GET',
    location: '35a80daf-7f30-45fc-86e8-6b813d9c90df',
    contract: { file: 'build', path: '/{organization}/{project}/_apis/build/builds/{buildId}/logs' },
    with: ['buildId'],
    without: ['logId'],
    handler: (ctx) => {
      const { p, run } = buildOf(ctx);
      const { logs } = runTimeline(p, run, ctx.state.doc.environments, ctx.state.now());
      return list([...logs].map(([id, lines]) => ({ lineCount: lines.length, createdOn: run.createdDate, lastChangedOn: ctx.state.now().toISOString(), id, type: 'Container', url: `${ctx.orgUrl}/${p.projectId}/_apis/build/builds/${run.id}/logs/${id}` })));
    },
  },
  {
    name: 'build.logs.get',
    method: 'GET',
    location: '35a80daf-7f30-45fc-86e8-6b813d9c90df',
    // No contract entry: the description gives the text answer (a Stream), which the JSON contract
    // check cannot read; both answers are checked through azure-devops-node-api in client.delivery.test.ts.
    with: ['buildId', 'logId'],
    handler: (ctx) => {
      const { p, run } = buildOf(ctx);
      const lines = runTimeline(p, run, ctx.state.doc.environments, ctx.state.now()).logs.get(Number(ctx.param('logId')));
      if (!lines) throw notFound('BuildLogNotFoundException', `Build log ${ctx.param('logId')} for build ${run.id} was not found.`);
      // startLine and endLine are 1-based and inclusive.
      const start = Math.max(1, Number(ctx.query('startLine') ?? 1) || 1);
      const end = Math.min(lines.length, Number(ctx.query('endLine') ?? lines.length) || lines.length);
      const picked = lines.slice(start - 1, end);
      // JSON lines for a client that asks for JSON (getBuildLogLines), the text otherwise (getBuildLog, a browser).
      if (/application\/json/.test(String(ctx.req.headers.accept ?? ''))) return list(picked);
      return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: picked.join('\n') };
    },
  },
];
