import { z } from 'zod';
import { type AdoContext, list, ok } from '../http/context';
import { badRequest, notFound } from '../http/errors';
import { type AdoRouteDef } from '../http/routes';
import { identityRef } from '../render/identity';
import { findNodeByIdentifier, isUnder, timeFrameOf } from '../state/classification';
import { type Project, type Team } from '../state/model';
import { parentIdOf } from '../state/relations';

const work = (path: string, status?: number) => ({ file: 'work', path: `/{organization}/{project}/{team}/_apis/work/teamsettings${path}`, ...(status ? { status } : {}) });

function teamBase(ctx: AdoContext, project: Project, team: Team): string {
  return `${ctx.orgUrl}/${project.id}/${team.id}/_apis/work/teamsettings`;
}

function iterationJson(ctx: AdoContext, project: Project, team: Team, identifier: string): Record<string, unknown> {
  const hit = findNodeByIdentifier(project.iterations, identifier);
  if (!hit) throw notFound('IterationNotFoundException', `VS403033: The iteration ${identifier} does not exist in project ${project.name}.`);
  return {
    id: hit.node.identifier,
    name: hit.node.name,
    path: hit.path,
    attributes: {
      startDate: hit.node.startDate ?? null,
      finishDate: hit.node.finishDate ?? null,
      timeFrame: timeFrameOf(hit.node, ctx.state.now()),
    },
    url: `${teamBase(ctx, project, team)}/iterations/${hit.node.identifier}`,
    _links: {
      self: { href: `${teamBase(ctx, project, team)}/iterations/${hit.node.identifier}` },
      project: { href: `${ctx.orgUrl}/_apis/projects/${project.id}` },
      team: { href: `${ctx.orgUrl}/_apis/projects/${project.id}/teams/${team.id}` },
      teamSettings: { href: teamBase(ctx, project, team) },
      teamIterations: { href: `${teamBase(ctx, project, team)}/iterations` },
      capacity: { href: `${teamBase(ctx, project, team)}/iterations/${hit.node.identifier}/capacities` },
      workitems: { href: `${teamBase(ctx, project, team)}/iterations/${hit.node.identifier}/workitems` },
      classificationNode: { href: `${ctx.orgUrl}/${project.id}/_apis/wit/classificationNodes/Iterations/${encodeURIComponent(hit.node.name)}` },
    },
  };
}

function teamIteration(ctx: AdoContext, project: Project, team: Team, id: string | undefined): string {
  const hit = id ? findNodeByIdentifier(project.iterations, id) : undefined;
  if (!hit || !team.iterationIds.includes(hit.node.identifier)) {
    throw notFound('IterationNotFoundException', `VS403033: The iteration ${id} is not one of team ${team.name}'s iterations.`);
  }
  return hit.node.identifier;
}

function capacityJson(ctx: AdoContext, project: Project, team: Team, c: Team['capacities'][number]): Record<string, unknown> {
  return {
    teamMember: identityRef(ctx.orgUrl, ctx.state.identity(c.memberId)),
    activities: c.activities,
    daysOff: c.daysOff,
    url: `${teamBase(ctx, project, team)}/iterations/${c.iterationId}/capacities/${c.memberId}`,
  };
}

const days = (d: { start: string; end: string }) => Math.max(0, Math.round((Date.parse(d.end) - Date.parse(d.start)) / 86_400_000) + 1);

const CapacityBodySchema = z.array(
  z.object({
    teamMember: z.object({ id: z.string() }),
    activities: z.array(z.object({ name: z.string().nullish(), capacityPerDay: z.number().nonnegative() })).nullish(),
    daysOff: z.array(z.object({ start: z.string(), end: z.string() })).nullish(),
  }),
);

/** Team days off of one iteration, as GET/PATCH teamdaysoff answer them (the recorded examples' shape). */
function daysOffJson(ctx: AdoContext, project: Project, team: Team, identifier: string): Record<string, unknown> {
  const base = teamBase(ctx, project, team);
  const self = `${base}/iterations/${identifier}/teamdaysoff`;
  return {
    daysOff: team.daysOff.filter((d) => d.iterationId === identifier).map((d) => ({ start: d.start, end: d.end })),
    url: self,
    _links: {
      self: { href: self },
      project: { href: `${ctx.orgUrl}/_apis/projects/${project.id}` },
      team: { href: `${ctx.orgUrl}/_apis/projects/${project.id}/teams/${team.id}` },
      teamSettings: { href: base },
      teamIterations: { href: `${base}/iterations` },
      teamIteration: { href: `${base}/iterations/${identifier}` },
    },
  };
}

const isoDay = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date');
const DaysOffPatchSchema = z.object({ daysOff: z.array(z.object({ start: isoDay, end: isoDay })).nullish() });

function teamSettingsJson(ctx: AdoContext, project: Project, team: Team): ReturnType<typeof ok> {
  const base = teamBase(ctx, project, team);
  const current = ctx.state.teamIterationPaths(project, team).find((i) => i.timeFrame === 'current');
  const root = project.iterations;
  const rootUrl = `${ctx.orgUrl}/${project.id}/_apis/wit/classificationNodes/Iterations`;
  return ok({
    backlogIteration: { id: root.identifier, name: root.name, path: '', url: rootUrl },
    bugsBehavior: team.bugsBehavior,
    workingDays: team.workingDays,
    backlogVisibilities: { 'Microsoft.EpicCategory': true, 'Microsoft.FeatureCategory': true, 'Microsoft.RequirementCategory': true },
    ...(current ? { defaultIteration: { id: current.identifier, name: current.path.split('\\').pop(), path: `\\${current.path.split('\\').slice(1).join('\\')}`, url: `${rootUrl}/${encodeURIComponent(current.path.split('\\').slice(1).join('/'))}` } } : {}),
    defaultIterationMacro: '@currentIteration',
    url: base,
    _links: {
      self: { href: base },
      project: { href: `${ctx.orgUrl}/_apis/projects/${project.id}` },
      team: { href: `${ctx.orgUrl}/_apis/projects/${project.id}/teams/${team.id}` },
      teamIterations: { href: `${base}/iterations` },
      teamFieldValues: { href: `${base}/teamfieldvalues` },
      classificationNode: [{ href: rootUrl }],
    },
  });
}

const BUGS_BEHAVIORS = ['off', 'asRequirements', 'asTasks'] as const;
const WEEK_DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
// azure-devops-node-api sends the enums as numbers (BugsBehavior, DayOfWeek); the REST page shows names. Both are taken.
const TeamSettingsPatchSchema = z
  .object({
    bugsBehavior: z.union([z.string(), z.number().int()]).nullish().transform((v) => (typeof v === 'number' ? BUGS_BEHAVIORS[v] ?? String(v) : v)),
    workingDays: z.array(z.union([z.string(), z.number().int()]).transform((v) => (typeof v === 'number' ? WEEK_DAYS[v] ?? String(v) : v))).nullish(),
  })
  .loose();

export const workRoutes: readonly AdoRouteDef[] = [
  {
    name: 'work.teamSettings.get',
    method: 'GET',
    location: 'c3c1012b-bea7-49d7-b45e-1664e566f84c',
    contract: work(''),
    handler: (ctx) => {
      const project = ctx.requireProject();
      return teamSettingsJson(ctx, project, ctx.teamOrDefault(project));
    },
  },
  {
    name: 'work.teamSettings.update',
    method: 'PATCH',
    location: 'c3c1012b-bea7-49d7-b45e-1664e566f84c',
    contract: work(''),
    handler: (ctx) => {
      const project = ctx.requireProject();
      const team = ctx.teamOrDefault(project);
      const body = ctx.json(TeamSettingsPatchSchema);
      if (body.bugsBehavior) {
        const behavior = BUGS_BEHAVIORS.find((b) => b.toLowerCase() === body.bugsBehavior!.toLowerCase());
        if (!behavior) throw badRequest('InvalidArgumentValueException', `VS403061: The bugs behavior '${body.bugsBehavior}' is not one of Off, AsRequirements, AsTasks.`);
        team.bugsBehavior = behavior;
      }
      if (body.workingDays) {
        const days = body.workingDays.map((d) => d.toLowerCase());
        const known = WEEK_DAYS as readonly string[];
        const bad = days.find((d) => !known.includes(d));
        if (bad) throw badRequest('InvalidArgumentValueException', `VS403062: '${bad}' is not a day of the week.`);
        team.workingDays = WEEK_DAYS.filter((d) => days.includes(d));
      }
      ctx.state.changed();
      return teamSettingsJson(ctx, project, team);
    },
  },
  {
    name: 'work.iterations.list',
    method: 'GET',
    location: 'c9175577-28a1-4b06-9197-8636af9f64ad',
    contract: work('/iterations'),
    without: ['id'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const team = ctx.teamOrDefault(project);
      const timeframe = ctx.query('$timeframe')?.toLowerCase();
      if (timeframe && timeframe !== 'current') throw badRequest('InvalidArgumentValueException', `VS403045: The timeframe '${timeframe}' is not supported; only 'current' is.`);
      const iterations = ctx.state.teamIterationPaths(project, team).filter((i) => !timeframe || i.timeFrame === 'current');
      return list(iterations.map((i) => iterationJson(ctx, project, team, i.identifier)));
    },
  },
  {
    name: 'work.iterations.get',
    method: 'GET',
    location: 'c9175577-28a1-4b06-9197-8636af9f64ad',
    contract: work('/iterations/{id}'),
    with: ['id'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const team = ctx.teamOrDefault(project);
      return ok(iterationJson(ctx, project, team, teamIteration(ctx, project, team, ctx.param('id'))));
    },
  },
  {
    name: 'work.iterations.add',
    method: 'POST',
    location: 'c9175577-28a1-4b06-9197-8636af9f64ad',
    contract: work('/iterations'),
    without: ['id'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const team = ctx.teamOrDefault(project);
      const { id } = ctx.json(z.object({ id: z.string() }));
      const hit = findNodeByIdentifier(project.iterations, id);
      if (!hit || hit.parent === undefined) throw notFound('IterationNotFoundException', `VS403033: The iteration ${id} does not exist in project ${project.name}.`);
      if (!team.iterationIds.includes(hit.node.identifier)) {
        team.iterationIds.push(hit.node.identifier);
        ctx.state.changed();
      }
      return ok(iterationJson(ctx, project, team, hit.node.identifier));
    },
  },
  {
    name: 'work.iterationWorkItems',
    method: 'GET',
    location: '5b3ef1a6-d3ab-44cd-bafd-c7f45db850fa',
    contract: work('/iterations/{iterationId}/workitems'),
    handler: (ctx) => {
      const project = ctx.requireProject();
      const team = ctx.teamOrDefault(project);
      const identifier = teamIteration(ctx, project, team, ctx.param('iterationId'));
      const path = findNodeByIdentifier(project.iterations, identifier)?.path ?? '';
      const items = ctx.state.doc.workItems.filter((w) => w.projectId === project.id && typeof w.fields['System.IterationPath'] === 'string' && isUnder(w.fields['System.IterationPath'], path));
      const ids = new Set(items.map((w) => w.id));
      const ref = (id: number) => ({ id, url: `${ctx.orgUrl}/_apis/wit/workItems/${id}` });
      const base = teamBase(ctx, project, team);
      return ok({
        workItemRelations: items.map((w) => {
          const parent = parentIdOf(w);
          return parent !== undefined && ids.has(parent) ? { rel: 'System.LinkTypes.Hierarchy-Forward', source: ref(parent), target: ref(w.id) } : { rel: null, source: null, target: ref(w.id) };
        }),
        url: `${base}/iterations/${identifier}/workitems`,
        _links: { self: { href: `${base}/iterations/${identifier}/workitems` }, owner: { href: `${base}/iterations/${identifier}` } },
      });
    },
  },
  {
    name: 'work.capacities.get',
    method: 'GET',
    location: '74412d15-8c1a-4352-a48d-ef1ed5587d57',
    contract: work('/iterations/{iterationId}/capacities'),
    without: ['teamMemberId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const team = ctx.teamOrDefault(project);
      const identifier = teamIteration(ctx, project, team, ctx.param('iterationId'));
      const rows = team.capacities.filter((c) => c.iterationId === identifier);
      return ok({
        teamMembers: rows.map((c) => capacityJson(ctx, project, team, c)),
        totalCapacityPerDay: rows.reduce((sum, c) => sum + c.activities.reduce((s, a) => s + a.capacityPerDay, 0), 0),
        totalDaysOff: rows.reduce((sum, c) => sum + c.daysOff.reduce((s, d) => s + days(d), 0), 0),
      });
    },
  },
  {
    name: 'work.capacities.replace',
    method: 'PUT',
    location: '74412d15-8c1a-4352-a48d-ef1ed5587d57',
    contract: work('/iterations/{iterationId}/capacities'),
    without: ['teamMemberId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const team = ctx.teamOrDefault(project);
      const identifier = teamIteration(ctx, project, team, ctx.param('iterationId'));
      const body = ctx.json(CapacityBodySchema);
      for (const row of body) {
        if (!team.memberIds.includes(row.teamMember.id)) throw badRequest('InvalidArgumentValueException', `VS403106: ${row.teamMember.id} is not a member of team ${team.name}.`);
      }
      team.capacities = [
        ...team.capacities.filter((c) => c.iterationId !== identifier),
        ...body.map((row) => ({
          iterationId: identifier,
          memberId: row.teamMember.id,
          activities: (row.activities ?? []).map((a) => ({ name: a.name ?? '', capacityPerDay: a.capacityPerDay })),
          daysOff: row.daysOff ?? [],
        })),
      ];
      ctx.state.changed();
      return list(team.capacities.filter((c) => c.iterationId === identifier).map((c) => capacityJson(ctx, project, team, c)));
    },
  },
  {
    name: 'work.teamDaysOff.get',
    method: 'GET',
    location: '2d4faa2e-9150-4cbf-a47a-932b1b4a0773',
    contract: work('/iterations/{iterationId}/teamdaysoff'),
    handler: (ctx) => {
      const project = ctx.requireProject();
      const team = ctx.teamOrDefault(project);
      return ok(daysOffJson(ctx, project, team, teamIteration(ctx, project, team, ctx.param('iterationId'))));
    },
  },
  {
    name: 'work.teamDaysOff.update',
    method: 'PATCH',
    location: '2d4faa2e-9150-4cbf-a47a-932b1b4a0773',
    contract: work('/iterations/{iterationId}/teamdaysoff'),
    handler: (ctx) => {
      const project = ctx.requireProject();
      const team = ctx.teamOrDefault(project);
      const identifier = teamIteration(ctx, project, team, ctx.param('iterationId'));
      const body = ctx.json(DaysOffPatchSchema);
      for (const d of body.daysOff ?? []) {
        if (Date.parse(d.end) < Date.parse(d.start)) throw badRequest('InvalidArgumentValueException', `VS403112: A day off ends (${d.end}) before it starts (${d.start}).`);
      }
      // The patch replaces the iteration's team days off as a whole, as the service does.
      team.daysOff = [...team.daysOff.filter((d) => d.iterationId !== identifier), ...(body.daysOff ?? []).map((d) => ({ iterationId: identifier, start: d.start, end: d.end }))];
      ctx.state.changed();
      return ok(daysOffJson(ctx, project, team, identifier));
    },
  },
];
