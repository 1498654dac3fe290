import { type z } from 'zod';
import { type SandboxRequest, type SandboxResponse } from '../../http/types';
import { SANDBOX_ORGANIZATION } from '../../identity';
import { type Identity, type Project, type Team } from '../state/model';
import { type AzureDevOpsState } from '../state/state';
import { AdoHttpError, badRequest, notFound } from './errors';

export const AZURE_DEVOPS_PREFIX = '/ado';

/** What a handler gets: the request, the state, and lookups that refuse the way the service does. */
export class AdoContext {
  constructor(
    readonly req: SandboxRequest,
    readonly state: AzureDevOpsState,
  ) {}

  /** `http://127.0.0.1:PORT/ado/sandbox-org`, from the Host the client used, so links lead back here. */
  get orgUrl(): string {
    return `http://${this.req.headers.host ?? '127.0.0.1'}${AZURE_DEVOPS_PREFIX}/${SANDBOX_ORGANIZATION}`;
  }

  get user(): Identity {
    return this.state.identity(this.req.principal ?? '');
  }

  param(name: string): string | undefined {
    const v = this.req.params[name];
    return v === undefined || v === '' ? undefined : v;
  }

  /** Query parameters are matched case-insensitively, as the service does (`$top`, `$Top`). */
  query(name: string): string | undefined {
    const wanted = name.toLowerCase();
    for (const [k, v] of this.req.url.searchParams) if (k.toLowerCase() === wanted) return v;
    return undefined;
  }

  queryInt(name: string): number | undefined {
    const raw = this.query(name);
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw badRequest('InvalidArgumentValueException', `The value '${raw}' of the query parameter ${name} is not a non-negative integer.`);
    return n;
  }

  /** The project named in the route (by name or id), if the route has one. */
  project(): Project | undefined {
    const name = this.param('project') ?? this.param('projectId');
    if (name === undefined) return undefined;
    const project = this.state.findProject(name);
    if (!project) {
      throw notFound(
        'ProjectDoesNotExistWithNameException',
        `TF200016: The following project does not exist: ${name}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`,
      );
    }
    return project;
  }

  requireProject(): Project {
    const project = this.project();
    if (!project) throw badRequest('InvalidArgumentValueException', 'This resource needs a project: call it as {organization}/{project}/_apis/...');
    return project;
  }

  team(project: Project | undefined = this.project()): Team | undefined {
    const name = this.param('team') ?? this.param('teamId');
    if (!project) return undefined;
    if (name === undefined) return undefined;
    const team = this.state.findTeam(project, name);
    if (!team) throw notFound('TeamNotFoundException', `The team with id or name '${name}' does not exist in project ${project.name}.`);
    return team;
  }

  /** The team named in the route, or the project's default team (what the service uses for team-scoped calls without one). */
  teamOrDefault(project: Project): Team {
    const team = this.team(project) ?? this.state.defaultTeam(project);
    if (!team) throw notFound('TeamNotFoundException', `Project ${project.name} has no default team.`);
    return team;
  }

  /** The body as JSON checked by a schema; a malformed one is the service's 400. */
  json<T>(schema: z.ZodType<T>): T {
    const text = this.req.body.toString('utf8');
    if (text.trim() === '') throw badRequest('VssPropertyValidationException', 'The request body is empty; this operation needs a JSON body.');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw badRequest('VssRequestContentException', 'The request body is not valid JSON.');
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw badRequest('VssPropertyValidationException', `The request body is not valid: ${issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'unknown problem'}.`);
    }
    return parsed.data;
  }
}

export const ok = (body: unknown, headers?: Record<string, string>): SandboxResponse => ({ status: 200, body, ...(headers ? { headers } : {}) });
export const created = (body: unknown, headers?: Record<string, string>): SandboxResponse => ({ status: 201, body, ...(headers ? { headers } : {}) });
export const list = (value: readonly unknown[]): SandboxResponse => ok({ count: value.length, value });

export { AdoHttpError };
