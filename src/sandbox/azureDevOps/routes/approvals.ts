import { z } from 'zod';
import { type AdoContext, list, ok } from '../http/context';
import { AdoHttpError, badRequest, notFound } from '../http/errors';
import { ownLocation, type AdoRouteDef } from '../http/routes';
import { identityRef } from '../render/identity';
import { type Environment, type Pipeline, type PipelineRun } from '../state/model';
import { runSchedule, type StageGate } from '../state/runSchedule';
import { projectRef } from './core';

/*
 * Approvals and checks (pipelines/approvals, api-version 7.1) and Pipelines environments
 * (distributedtask/environments and their deployment records, 7.1), as Microsoft's REST
 * reference describes them (docs/sandbox-azure-approvals.md names the sources). Neither area is
 * in specs/azure-devops, so there is no contract entry; the shapes are those of the reference's
 * Approval, ApprovalStep, EnvironmentInstance and EnvironmentDeploymentExecutionRecord.
 */

const APPROVALS = ownLocation('pipelines', 'approvals', '{project}/_apis/{area}/{resource}/{approvalId}');
const ENVIRONMENTS = ownLocation('distributedtask', 'environments', '{project}/_apis/{area}/{resource}/{environmentId}');
const DEPLOYMENT_RECORDS = ownLocation('distributedtask', 'environmentdeploymentrecords', '{project}/_apis/{area}/environments/{environmentId}/{resource}');

interface Found {
  readonly pipeline: Pipeline;
  readonly run: PipelineRun;
  readonly gate: StageGate;
}

/** Every approval the project's runs have reached (or will reach), with its run. */
function approvalsOf(ctx: AdoContext): Found[] {
  const project = ctx.requireProject();
  const now = ctx.state.now();
  const out: Found[] = [];
  for (const pipeline of ctx.state.doc.pipelines.filter((p) => p.projectId === project.id)) {
    for (const run of pipeline.runs) {
      for (const slot of runSchedule(pipeline, run, ctx.state.doc.environments, now).stages) {
        if (slot.gate && slot.gate.status !== 'uninitiated') out.push({ pipeline, run, gate: slot.gate });
      }
    }
  }
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function approvalJson(ctx: AdoContext, f: Found, expandSteps: boolean): Record<string, unknown> {
  const { gate } = f;
  const person = (id: string) => identityRef(ctx.orgUrl, ctx.state.identity(id));
  const created = gate.reachedAt ?? Date.parse(f.run.createdDate);
  const lastAnswer = gate.answers.at(-1);
  const steps = gate.check.approverIds.map((approverId, i) => {
    const answer = gate.answers.find((a) => a.byId === approverId);
    const status = answer ? answer.status : gate.status === 'pending' ? 'pending' : gate.status === 'timedOut' ? 'timedOut' : 'skipped';
    return {
      assignedApprover: person(approverId),
      ...(answer ? { actualApprover: person(answer.byId), comment: answer.comment, lastModifiedOn: answer.on, lastModifiedBy: person(answer.byId) } : {}),
      status,
      order: i + 1,
      initiatedOn: iso(created),
      history: [],
    };
  });
  return {
    id: gate.approvalId,
    steps: expandSteps ? steps : [],
    status: gate.status,
    createdOn: iso(created),
    lastModifiedOn: gate.decidedAt !== undefined ? iso(gate.decidedAt) : lastAnswer ? lastAnswer.on : iso(created),
    executionOrder: 'anyOrder',
    minRequiredApprovers: gate.check.minRequiredApprovers,
    ...(gate.check.instructions ? { instructions: gate.check.instructions } : {}),
    blockedApprovers: gate.check.requesterCannotBeApprover ? [person(f.run.requestedById)] : [],
    _links: { self: { href: `${ctx.orgUrl}/${f.pipeline.projectId}/_apis/pipelines/approvals/${gate.approvalId}` } },
  };
}

const STATES = ['undefined', 'uninitiated', 'pending', 'approved', 'rejected', 'skipped', 'canceled', 'timedOut', 'failed', 'completed', 'all'] as const;
const COMPLETED = new Set(['approved', 'rejected', 'skipped', 'canceled', 'timedOut', 'failed']);

function expandsSteps(ctx: AdoContext): boolean {
  const expand = ctx.query('$expand');
  if (expand !== undefined && !['none', 'steps', 'permissions'].includes(expand.toLowerCase())) throw badRequest('InvalidArgumentValueException', `The value '${expand}' of $expand is not one of none, steps, permissions.`);
  return expand?.toLowerCase() === 'steps';
}

const UpdateSchema = z.array(
  z.object({
    approvalId: z.string().min(1),
    status: z.enum(STATES),
    comment: z.string().max(1024).nullish(),
    assignedApprover: z.unknown().optional(),
    reassignTo: z.unknown().optional(),
  }),
);

function environmentJson(ctx: AdoContext, e: Environment): Record<string, unknown> {
  const person = identityRef(ctx.orgUrl, ctx.state.identity(e.createdById));
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    createdBy: person,
    createdOn: e.createdOn,
    lastModifiedBy: person,
    lastModifiedOn: e.createdOn,
    project: projectRef(ctx, ctx.requireProject()),
  };
}

function environmentOf(ctx: AdoContext): Environment {
  const project = ctx.requireProject();
  const id = Number(ctx.param('environmentId'));
  const e = ctx.state.doc.environments.find((x) => x.id === id && x.projectId === project.id);
  if (!e) throw notFound('EnvironmentNotFoundException', `Environment with id ${ctx.param('environmentId')} does not exist or you do not have access to it.`);
  return e;
}

export const approvalRoutes: readonly AdoRouteDef[] = [
  {
    name: 'approvals.query',
    method: 'GET',
    location: APPROVALS,
    without: ['approvalId'],
    handler: (ctx) => {
      const expand = expandsSteps(ctx);
      const ids = (ctx.query('approvalIds') ?? '')
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      const state = ctx.query('state');
      if (state !== undefined && !(STATES as readonly string[]).includes(state)) throw badRequest('InvalidArgumentValueException', `The value '${state}' of state is not an approval status.`);
      const users = (ctx.query('userIds') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      const top = ctx.queryInt('top');
      let found = approvalsOf(ctx);
      if (ids.length) found = found.filter((f) => ids.includes(f.gate.approvalId));
      if (state && state !== 'all') found = found.filter((f) => (state === 'completed' ? COMPLETED.has(f.gate.status) : f.gate.status === state));
      if (users.length) found = found.filter((f) => f.gate.check.approverIds.some((a) => users.includes(a.toLowerCase())));
      found.sort((a, b) => (b.gate.reachedAt ?? 0) - (a.gate.reachedAt ?? 0));
      return list(found.slice(0, top ?? found.length).map((f) => approvalJson(ctx, f, expand)));
    },
  },
  {
    name: 'approvals.get',
    method: 'GET',
    location: APPROVALS,
    with: ['approvalId'],
    handler: (ctx) => {
      const expand = expandsSteps(ctx);
      const id = (ctx.param('approvalId') ?? '').toLowerCase();
      const found = approvalsOf(ctx).find((f) => f.gate.approvalId === id);
      if (!found) throw notFound('ApprovalNotFoundException', `Approval with id ${id} does not exist.`);
      return ok(approvalJson(ctx, found, expand));
    },
  },
  {
    name: 'approvals.update',
    method: 'PATCH',
    location: APPROVALS,
    without: ['approvalId'],
    handler: (ctx) => {
      const updates = ctx.json(UpdateSchema);
      const all = approvalsOf(ctx);
      // Every update is checked before any is applied: one refusal leaves them all unanswered.
      const targets = updates.map((u) => {
        const found = all.find((f) => f.gate.approvalId === u.approvalId.toLowerCase());
        if (!found) throw notFound('ApprovalNotFoundException', `Approval with id ${u.approvalId} does not exist.`);
        if (u.status !== 'approved' && u.status !== 'rejected') throw badRequest('InvalidArgumentValueException', `An approval can be answered approved or rejected, not ${u.status}.`);
        if (found.gate.status !== 'pending') throw new AdoHttpError(409, 'ApprovalAlreadyCompletedException', `Approval ${found.gate.approvalId} is already ${found.gate.status}; it can no longer be updated.`);
        const me = ctx.user.id;
        if (!found.gate.check.approverIds.includes(me)) throw new AdoHttpError(403, 'AccessDeniedException', `${ctx.user.displayName} is not an approver of ${found.gate.environment.name}; its approvers are ${found.gate.check.approverIds.map((a) => ctx.state.identity(a).displayName).join(', ')}.`);
        if (found.gate.check.requesterCannotBeApprover && found.run.requestedById === me) throw new AdoHttpError(403, 'AccessDeniedException', `${ctx.user.displayName} queued run ${found.run.name} and the approval check of ${found.gate.environment.name} does not let the one who queued a run approve it.`);
        if (found.gate.answers.some((a) => a.byId === me)) throw new AdoHttpError(409, 'ApprovalAlreadyCompletedException', `${ctx.user.displayName} already answered approval ${found.gate.approvalId}.`);
        return { found, status: u.status, comment: u.comment ?? '' };
      });
      const on = ctx.state.now().toISOString();
      for (const t of targets) {
        t.found.run.approvals = [...(t.found.run.approvals ?? []), { stage: t.found.gate.stage, byId: ctx.user.id, status: t.status, comment: t.comment, on }];
      }
      ctx.state.changed();
      const after = approvalsOf(ctx);
      return list(targets.map((t) => approvalJson(ctx, after.find((f) => f.gate.approvalId === t.found.gate.approvalId)!, true)));
    },
  },
  {
    name: 'environments.list',
    method: 'GET',
    location: ENVIRONMENTS,
    without: ['environmentId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const name = ctx.query('name')?.toLowerCase();
      const top = ctx.queryInt('$top');
      const found = ctx.state.doc.environments.filter((e) => e.projectId === project.id && (name === undefined || e.name.toLowerCase() === name));
      return list(found.slice(0, top ?? found.length).map((e) => environmentJson(ctx, e)));
    },
  },
  {
    name: 'environments.get',
    method: 'GET',
    location: ENVIRONMENTS,
    with: ['environmentId'],
    handler: (ctx) => ok(environmentJson(ctx, environmentOf(ctx))),
  },
  {
    name: 'environments.deploymentRecords',
    method: 'GET',
    location: DEPLOYMENT_RECORDS,
    handler: (ctx) => {
      const e = environmentOf(ctx);
      const now = ctx.state.now();
      const records: Record<string, unknown>[] = [];
      for (const pipeline of ctx.state.doc.pipelines.filter((p) => p.projectId === e.projectId)) {
        const stages = pipeline.stages ?? [];
        for (const run of pipeline.runs) {
          const schedule = runSchedule(pipeline, run, ctx.state.doc.environments, now);
          stages.forEach((stage, i) => {
            const slot = schedule.stages[i];
            // A deployment record exists once the deployment job was queued: after the checks passed.
            if (!slot || slot.outcome !== 'ran' || stage.environment?.toLowerCase() !== e.name.toLowerCase() || now.getTime() < slot.from) return;
            const done = now.getTime() >= slot.to;
            const failed = done && run.result !== 'succeeded' && i === stages.length - 1;
            records.push({
              id: run.id * 100 + i,
              environmentId: e.id,
              serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7',
              requestIdentifier: `${stage.name.replace(/\W+/g, '_')}.${stage.job.replace(/\W+/g, '_')}`,
              planId: run.id,
              planType: 'Build',
              scopeId: pipeline.projectId,
              stageName: stage.name.replace(/\W+/g, '_'),
              jobName: stage.job.replace(/\W+/g, '_'),
              stageAttempt: 1,
              jobAttempt: 1,
              definition: { id: pipeline.id, name: pipeline.name, _links: { web: { href: `${ctx.orgUrl}/${pipeline.projectId}/_build/definition?definitionId=${pipeline.id}` } } },
              owner: { id: run.id, name: run.name, _links: { web: { href: `${ctx.orgUrl}/${pipeline.projectId}/_build/results?buildId=${run.id}` } } },
              queueTime: new Date(slot.from).toISOString(),
              startTime: new Date(slot.from).toISOString(),
              ...(done ? { finishTime: new Date(slot.to).toISOString(), result: failed ? run.result : 'succeeded' } : {}),
            });
          });
        }
      }
      records.sort((a, b) => Number(b['id']) - Number(a['id']));
      const top = ctx.queryInt('top');
      return list(records.slice(0, top ?? records.length));
    },
  },
];
