import { z } from 'zod';
import { type AdoContext, list, ok } from '../http/context';
import { AdoHttpError, badRequest, notFound } from '../http/errors';
import { ownLocation, type AdoRouteDef } from '../http/routes';
import { newGuid } from '../state/ids';
import { type Project, type Team } from '../state/model';
import { processById, PROCESSES, type ProcessDef } from '../state/processes';
import { addProject } from '../state/projectOps';

const core = (path: string, status?: number) => ({ file: 'core', path: `/{organization}/_apis/${path}`, ...(status ? { status } : {}) });

export function projectRef(ctx: AdoContext, p: Project): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    url: `${ctx.orgUrl}/_apis/projects/${p.id}`,
    state: p.state,
    revision: p.revision,
    visibility: p.visibility,
    lastUpdateTime: p.lastUpdateTime,
  };
}

export function teamRef(ctx: AdoContext, project: Project, t: Team): Record<string, unknown> {
  return {
    id: t.id,
    name: t.name,
    url: `${ctx.orgUrl}/_apis/projects/${project.id}/teams/${t.id}`,
    description: t.description,
    identityUrl: `${ctx.orgUrl}/_apis/Identities/${t.id}`,
    projectName: project.name,
    projectId: project.id,
  };
}

function processJson(ctx: AdoContext, p: ProcessDef): Record<string, unknown> {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    isDefault: p.isDefault,
    type: 'system',
    url: `${ctx.orgUrl}/_apis/process/processes/${p.id}`,
    _links: { self: { href: `${ctx.orgUrl}/_apis/process/processes/${p.id}` } },
  };
}

const CreateProjectSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  // A name or the client's enum (ProjectVisibility: Private=0, Public=2).
  visibility: z
    .union([z.enum(['private', 'public']), z.literal(0), z.literal(2)])
    .transform((v) => (v === 0 ? 'private' : v === 2 ? 'public' : v))
    .optional(),
  capabilities: z.object({
    versioncontrol: z.object({ sourceControlType: z.string() }).optional(),
    processTemplate: z.object({ templateTypeId: z.string() }),
  }),
});

/** Project names the service refuses: reserved words and characters (see "Naming restrictions"). */
function checkProjectName(name: string): void {
  if (!name.trim() || name.length > 64 || /[\\/:*?"<>|;#$*{},+=[\]]/.test(name) || /^[._]|\.$/.test(name) || /^(app_code|bin|aux|con|prn|nul|com\d|lpt\d)$/i.test(name)) {
    throw badRequest('ProjectNameNotValidException', `TF200020: The following project name is not valid: ${name}. Project names can be up to 64 characters, must not start with _ or ., end with ., or contain \\ / : * ? " < > | ; # $ { } , + = [ ].`);
  }
}

function operationJson(ctx: AdoContext, id: string, status: string): Record<string, unknown> {
  const url = `${ctx.orgUrl}/_apis/operations/${id}`;
  return { id, status, url, _links: { self: { href: url } } };
}

export const coreRoutes: readonly AdoRouteDef[] = [
  {
    name: 'core.projects.list',
    method: 'GET',
    location: '603fe2ac-9723-48b9-88ad-09305aa6c6e1',
    contract: core('projects'),
    without: ['projectId'],
    handler: (ctx) => {
      const stateFilter = (ctx.query('stateFilter') ?? 'wellFormed').toLowerCase();
      const skip = ctx.queryInt('$skip') ?? 0;
      const top = ctx.queryInt('$top') ?? 100;
      const projects = ctx.state.doc.projects.filter((p) => stateFilter === 'all' || p.state.toLowerCase() === stateFilter);
      return list(projects.slice(skip, skip + top).map((p) => projectRef(ctx, p)));
    },
  },
  {
    name: 'core.projects.get',
    method: 'GET',
    location: '603fe2ac-9723-48b9-88ad-09305aa6c6e1',
    contract: core('projects/{projectId}'),
    with: ['projectId'],
    handler: (ctx) => {
      const wanted = ctx.param('projectId') ?? '';
      const p = ctx.state.findProject(wanted);
      if (!p) throw notFound('ProjectDoesNotExistWithNameException', `TF200016: The following project does not exist: ${wanted}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`);
      const team = ctx.state.defaultTeam(p);
      const process = ctx.state.processOf(p);
      return ok({
        ...projectRef(ctx, p),
        capabilities: {
          versioncontrol: { sourceControlType: 'Git', gitEnabled: 'True', tfvcEnabled: 'False' },
          processTemplate: { templateName: process.name, templateTypeId: process.id },
        },
        _links: {
          self: { href: `${ctx.orgUrl}/_apis/projects/${p.id}` },
          collection: { href: `${ctx.orgUrl}/_apis/projectCollections/${p.id}` },
          web: { href: `${ctx.orgUrl}/${encodeURIComponent(p.name)}` },
        },
        ...(team ? { defaultTeam: { id: team.id, name: team.name, url: `${ctx.orgUrl}/_apis/projects/${p.id}/teams/${team.id}` } } : {}),
      });
    },
  },
  {
    name: 'core.projects.create',
    method: 'POST',
    location: '603fe2ac-9723-48b9-88ad-09305aa6c6e1',
    contract: core('projects', 202),
    without: ['projectId'],
    handler: (ctx) => {
      const body = ctx.json(CreateProjectSchema);
      checkProjectName(body.name);
      if (ctx.state.findProject(body.name)) {
        throw new AdoHttpError(409, 'ProjectAlreadyExistsException', `TF200019: The following project already exists on the Azure DevOps Server: ${body.name}. You cannot create a new project with the same name as an existing project. Provide a different name.`);
      }
      const process = processById(body.capabilities.processTemplate.templateTypeId);
      if (!process) throw badRequest('ProcessTemplateNotFoundException', `VS402371: The process template ${body.capabilities.processTemplate.templateTypeId} does not exist. Use one of the ids GET _apis/process/processes returns.`);
      if (body.capabilities.versioncontrol && body.capabilities.versioncontrol.sourceControlType.toLowerCase() !== 'git') {
        throw badRequest('InvalidArgumentValueException', 'The sandbox creates Git projects only; set capabilities.versioncontrol.sourceControlType to "Git".');
      }
      const { project } = addProject(ctx.state, { name: body.name, description: body.description ?? '', processId: process.id, visibility: body.visibility ?? 'private' }, true);
      const id = newGuid();
      const now = ctx.state.now();
      ctx.state.doc.operations.push({ id, kind: 'createProject', projectId: project.id, createdDate: now.toISOString(), completesAt: new Date(now.getTime() + 3_000).toISOString() });
      ctx.state.changed();
      return { status: 202, body: operationJson(ctx, id, 'queued') };
    },
  },
  {
    name: 'core.operations.get',
    method: 'GET',
    location: ownLocation('operations', 'operations', '_apis/{resource}/{operationId}'),
    contract: { file: 'operations', path: '/{organization}/_apis/operations/{operationId}' },
    handler: (ctx) => {
      const id = ctx.param('operationId') ?? '';
      const op = ctx.state.doc.operations.find((o) => o.id === id);
      if (!op) throw notFound('OperationNotFoundException', `The operation ${id} does not exist.`);
      const now = ctx.state.now().getTime();
      const status = Date.parse(op.completesAt) <= now ? 'succeeded' : now - Date.parse(op.createdDate) >= 1_000 ? 'inProgress' : 'queued';
      return ok({ ...operationJson(ctx, op.id, status), ...(status === 'succeeded' ? { resultMessage: 'The project was created.' } : {}) });
    },
  },
  {
    name: 'core.processes.list',
    method: 'GET',
    location: '93878975-88c5-4e6a-8abb-7ddd77a8a7d8',
    contract: core('process/processes'),
    without: ['processId'],
    handler: (ctx) => list(PROCESSES.map((p) => processJson(ctx, p))),
  },
  {
    name: 'core.processes.get',
    method: 'GET',
    location: '93878975-88c5-4e6a-8abb-7ddd77a8a7d8',
    contract: core('process/processes/{processId}'),
    with: ['processId'],
    handler: (ctx) => {
      const id = ctx.param('processId') ?? '';
      const p = processById(id);
      if (!p) throw notFound('ProcessNotFoundException', `The process ${id} does not exist.`);
      return ok(processJson(ctx, p));
    },
  },
  {
    name: 'core.teams.list',
    method: 'GET',
    location: 'd30a3dd1-f8ba-442a-b86a-bd0c0c383e59',
    contract: core('projects/{projectId}/teams'),
    without: ['teamId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      let teams = ctx.state.teamsOf(project);
      if (ctx.query('$mine') === 'true') teams = teams.filter((t) => t.memberIds.includes(ctx.user.id));
      const skip = ctx.queryInt('$skip') ?? 0;
      const top = ctx.queryInt('$top') ?? 100;
      return list(teams.slice(skip, skip + top).map((t) => teamRef(ctx, project, t)));
    },
  },
  {
    name: 'core.teams.get',
    method: 'GET',
    location: 'd30a3dd1-f8ba-442a-b86a-bd0c0c383e59',
    contract: core('projects/{projectId}/teams/{teamId}'),
    with: ['teamId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      return ok(teamRef(ctx, project, ctx.teamOrDefault(project)));
    },
  },
];
