import { z } from 'zod';
import { type AdoContext, list, ok } from '../http/context';
import { badRequest, notFound } from '../http/errors';
import { type AdoRouteDef } from '../http/routes';
import { identityRef } from '../render/identity';
import { type Project, type TestResult, type TestRun } from '../state/model';

const contract = (path: string) => ({ file: 'test', path: `/{organization}/{project}/_apis/test/${path}` });

const RUN_STATES = ['Unspecified', 'NotStarted', 'InProgress', 'Completed', 'Aborted', 'Waiting', 'NeedsInvestigation'] as const;
/** TestRunState as a name or the client's enum (Unspecified=0 ... NeedsInvestigation=6). */
function runStateOf(raw: string | number | null | undefined): TestRun['state'] | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const byNumber = /^\d+$/.test(String(raw)) ? RUN_STATES[Number(raw)] : undefined;
  const found = byNumber ?? RUN_STATES.find((s) => s.toLowerCase() === String(raw).toLowerCase());
  if (!found) throw badRequest('InvalidArgumentValueException', `The test run state '${raw}' is not valid. Use NotStarted, InProgress, Completed, Aborted or Waiting.`);
  return found;
}

const OUTCOMES = ['Unspecified', 'None', 'Passed', 'Failed', 'Inconclusive', 'Timeout', 'Aborted', 'Blocked', 'NotExecuted', 'Warning', 'Error', 'NotApplicable', 'Paused', 'InProgress', 'NotImpacted'];
function outcomeOf(raw: string | null | undefined): string {
  const found = OUTCOMES.find((o) => o.toLowerCase() === String(raw ?? 'None').toLowerCase());
  if (!found) throw badRequest('InvalidArgumentValueException', `The outcome '${raw}' is not valid. Use Passed, Failed, NotExecuted, Inconclusive, Timeout, Aborted, Blocked or Error.`);
  return found;
}

function runUrl(ctx: AdoContext, run: TestRun): string {
  return `${ctx.orgUrl}/${run.projectId}/_apis/test/Runs/${run.id}`;
}

function runJson(ctx: AdoContext, project: Project, run: TestRun): Record<string, unknown> {
  const count = (outcome: string) => run.results.filter((r) => r.outcome === outcome).length;
  const passed = count('Passed');
  const notApplicable = count('NotApplicable');
  const incomplete = run.results.filter((r) => r.state !== 'Completed').length;
  return {
    id: run.id,
    name: run.name,
    url: runUrl(ctx, run),
    isAutomated: run.isAutomated,
    owner: identityRef(ctx.orgUrl, ctx.state.identity(run.ownerId)),
    project: { id: project.id, name: project.name, url: `${ctx.orgUrl}/_apis/projects/${project.id}` },
    state: run.state,
    totalTests: run.results.length,
    passedTests: passed,
    incompleteTests: incomplete,
    unanalyzedTests: run.results.length - passed - notApplicable - incomplete,
    notApplicableTests: notApplicable,
    createdDate: run.createdDate,
    lastUpdatedDate: run.completedDate ?? run.startedDate ?? run.createdDate,
    ...(run.startedDate ? { startedDate: run.startedDate } : {}),
    ...(run.completedDate ? { completedDate: run.completedDate } : {}),
    comment: run.comment,
    revision: 1 + (run.startedDate ? 1 : 0) + (run.completedDate ? 1 : 0),
    ...(run.pipelineRunId !== undefined ? { pipelineReference: { pipelineId: run.pipelineRunId } } : {}),
    webAccessUrl: `${ctx.orgUrl}/${project.id}/_TestManagement/Runs?runId=${run.id}&_a=runCharts`,
  };
}

function resultJson(ctx: AdoContext, project: Project, run: TestRun, r: TestResult): Record<string, unknown> {
  return {
    id: r.id,
    project: { id: project.id, name: project.name, url: `${ctx.orgUrl}/_apis/projects/${project.id}` },
    startedDate: r.startedDate,
    completedDate: r.completedDate,
    durationInMs: r.durationInMs,
    outcome: r.outcome,
    revision: 1,
    state: r.state,
    testCase: { name: r.testCaseTitle },
    testRun: { id: String(run.id), name: run.name, url: runUrl(ctx, run) },
    lastUpdatedDate: r.completedDate,
    priority: r.priority,
    computerName: 'sandbox-agent',
    ...(r.errorMessage ? { errorMessage: r.errorMessage } : {}),
    ...(r.stackTrace ? { stackTrace: r.stackTrace } : {}),
    createdDate: r.startedDate,
    url: `${runUrl(ctx, run)}/Results/${r.id}`,
    testCaseTitle: r.testCaseTitle,
    automatedTestName: r.automatedTestName,
    automatedTestStorage: r.automatedTestStorage,
    ...(r.workItemIds.length ? { associatedBugs: r.workItemIds.map((id) => ({ id: String(id), url: `${ctx.orgUrl}/_apis/wit/workItems/${id}` })) } : {}),
  };
}

function runOf(ctx: AdoContext, project: Project): TestRun {
  const run = ctx.state.doc.testRuns.find((r) => r.projectId === project.id && r.id === Number(ctx.param('runId')));
  if (!run) throw notFound('TestObjectNotFoundException', `Test run ${ctx.param('runId')} not found.`);
  return run;
}

const CreateRunSchema = z.object({
  name: z.string(),
  automated: z.boolean().nullish(),
  state: z.union([z.string(), z.number()]).nullish(),
  plan: z.object({ id: z.union([z.string(), z.number()]).nullish() }).nullish(),
  comment: z.string().nullish(),
  startedDate: z.string().nullish(),
  pipelineReference: z.object({ pipelineId: z.number().int() }).nullish(),
});

const ResultSchema = z.object({
  id: z.number().int().nullish(),
  testCaseTitle: z.string().nullish(),
  automatedTestName: z.string().nullish(),
  automatedTestStorage: z.string().nullish(),
  outcome: z.string().nullish(),
  state: z.string().nullish(),
  durationInMs: z.number().nullish(),
  errorMessage: z.string().nullish(),
  stackTrace: z.string().nullish(),
  priority: z.number().int().nullish(),
  startedDate: z.string().nullish(),
  completedDate: z.string().nullish(),
  associatedBugs: z.array(z.object({ id: z.union([z.string(), z.number()]) })).nullish(),
});

export const testRoutes: readonly AdoRouteDef[] = [
  {
    name: 'test.runs.create',
    method: 'POST',
    location: 'cadb3810-d47d-4a3c-a234-fe5f3be50138',
    contract: contract('runs'),
    without: ['runId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const body = ctx.json(CreateRunSchema);
      if (!body.name.trim()) throw badRequest('InvalidArgumentValueException', 'A test run needs a name.');
      // The client's typings make `plan` required; an empty one means none.
      const plan = body.plan?.id ? body.plan : undefined;
      if (!body.automated && !plan) throw badRequest('InvalidPropertyException', 'The test plan is required for a manual test run; create an automated run (automated: true) instead.');
      if (plan) throw badRequest('InvalidPropertyException', `Test plan ${plan.id} does not exist; the sandbox has no test plans, so create automated runs.`);
      const now = ctx.state.nowIso();
      const state = runStateOf(body.state) ?? 'NotStarted';
      const run: TestRun = {
        id: ctx.state.next('testRun'),
        projectId: project.id,
        name: body.name,
        state,
        isAutomated: true,
        ownerId: ctx.user.id,
        comment: body.comment ?? '',
        createdDate: now,
        ...(state === 'InProgress' || body.startedDate ? { startedDate: body.startedDate ?? now } : {}),
        ...(body.pipelineReference ? { pipelineRunId: body.pipelineReference.pipelineId } : {}),
        results: [],
      };
      ctx.state.doc.testRuns.push(run);
      ctx.state.changed();
      return ok(runJson(ctx, project, run));
    },
  },
  {
    name: 'test.runs.list',
    method: 'GET',
    location: 'cadb3810-d47d-4a3c-a234-fe5f3be50138',
    contract: contract('runs'),
    without: ['runId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const skip = ctx.queryInt('$skip') ?? 0;
      const top = ctx.queryInt('$top') ?? 100;
      const runs = [...ctx.state.doc.testRuns].filter((r) => r.projectId === project.id).reverse();
      return list(runs.slice(skip, skip + top).map((r) => runJson(ctx, project, r)));
    },
  },
  {
    name: 'test.runs.get',
    method: 'GET',
    location: 'cadb3810-d47d-4a3c-a234-fe5f3be50138',
    contract: contract('runs/{runId}'),
    with: ['runId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      return ok(runJson(ctx, project, runOf(ctx, project)));
    },
  },
  {
    name: 'test.runs.update',
    method: 'PATCH',
    location: 'cadb3810-d47d-4a3c-a234-fe5f3be50138',
    contract: contract('runs/{runId}'),
    with: ['runId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const run = runOf(ctx, project);
      const body = ctx.json(z.object({ state: z.union([z.string(), z.number()]).nullish(), comment: z.string().nullish(), name: z.string().nullish(), completedDate: z.string().nullish() }));
      const state = runStateOf(body.state);
      const now = ctx.state.nowIso();
      if (state) {
        run.state = state;
        if (state === 'InProgress') run.startedDate ??= now;
        if (state === 'Completed' || state === 'Aborted') {
          run.startedDate ??= now;
          run.completedDate = body.completedDate ?? now;
        }
      }
      if (body.comment !== undefined && body.comment !== null) run.comment = body.comment;
      if (body.name) run.name = body.name;
      ctx.state.changed();
      return ok(runJson(ctx, project, run));
    },
  },
  {
    name: 'test.results.add',
    method: 'POST',
    location: '4637d869-3a76-4468-8057-0bb02aa385cf',
    contract: contract('Runs/{runId}/results'),
    without: ['testCaseResultId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const run = runOf(ctx, project);
      if (run.state === 'Completed' || run.state === 'Aborted') throw badRequest('InvalidPropertyException', `Test run ${run.id} is ${run.state}; results can only be added to a run that has not finished.`);
      const body = ctx.json(z.array(ResultSchema).min(1));
      const now = ctx.state.nowIso();
      const added = body.map((r) => {
        if (!r.testCaseTitle && !r.automatedTestName) throw badRequest('InvalidPropertyException', 'Each test result needs testCaseTitle or automatedTestName.');
        const result: TestResult = {
          id: 100_000 + ctx.state.next('testResult'),
          testCaseTitle: r.testCaseTitle ?? r.automatedTestName ?? '',
          automatedTestName: r.automatedTestName ?? r.testCaseTitle ?? '',
          automatedTestStorage: r.automatedTestStorage ?? '',
          outcome: outcomeOf(r.outcome),
          state: r.state ?? 'Completed',
          durationInMs: r.durationInMs ?? 0,
          ...(r.errorMessage ? { errorMessage: r.errorMessage } : {}),
          ...(r.stackTrace ? { stackTrace: r.stackTrace } : {}),
          priority: r.priority ?? 2,
          startedDate: r.startedDate ?? now,
          completedDate: r.completedDate ?? now,
          workItemIds: (r.associatedBugs ?? []).map((b) => Number(b.id)),
        };
        run.results.push(result);
        return result;
      });
      if (run.state === 'NotStarted') {
        run.state = 'InProgress';
        run.startedDate ??= now;
      }
      ctx.state.changed();
      return list(added.map((r) => resultJson(ctx, project, run, r)));
    },
  },
  {
    name: 'test.results.list',
    method: 'GET',
    location: '4637d869-3a76-4468-8057-0bb02aa385cf',
    contract: contract('Runs/{runId}/results'),
    without: ['testCaseResultId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const run = runOf(ctx, project);
      // Names, or the client's TestOutcome enum numbers (the order of OUTCOMES).
      const outcomes = ctx.query('outcomes')?.split(',').map((o) => (/^\d+$/.test(o.trim()) ? (OUTCOMES[Number(o)] ?? o) : o).trim().toLowerCase());
      const skip = ctx.queryInt('$skip') ?? 0;
      const top = ctx.queryInt('$top') ?? 1000;
      const results = run.results.filter((r) => !outcomes || outcomes.includes(r.outcome.toLowerCase()));
      return list(results.slice(skip, skip + top).map((r) => resultJson(ctx, project, run, r)));
    },
  },
];
