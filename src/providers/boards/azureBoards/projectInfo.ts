import { BugsBehavior as WireBugsBehavior } from 'azure-devops-node-api/interfaces/WorkInterfaces';
import { z } from 'zod';
import { type BugsBehavior, getTemplate, type ProcessTemplate } from '../../../core/process';
import { badResponse } from './azureErrors';
import { type AzureConnection } from './azureConnection';

/** What the tracker needs to know about the project, asked once per session. */
export interface ProjectInfo {
  readonly projectId: string;
  readonly projectName: string;
  /** The project's process, when it is one of the four system processes (or inherits from one by name). */
  readonly template: ProcessTemplate | undefined;
  readonly processName: string | undefined;
  readonly bugsBehavior: BugsBehavior | undefined;
  /** Display name and account (email) of the signed-in user, for @Me and assign-to-me. */
  readonly me: { readonly displayName: string | undefined; readonly account: string | undefined };
}

const ProjectSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    capabilities: z.object({ processTemplate: z.object({ templateName: z.string().optional(), templateTypeId: z.string().optional() }).loose().optional() }).loose().optional(),
  })
  .loose();

const ConnectionSchema = z
  .object({
    authenticatedUser: z
      .object({
        providerDisplayName: z.string().optional(),
        properties: z.object({ Account: z.object({ $value: z.string() }).loose().optional() }).loose().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

const ProcessSchema = z.object({ name: z.string(), parentProcessTypeId: z.string().optional() }).loose();

/** The project and its process: all a list's query needs (which states count as closed). */
export type ProjectProcess = Pick<ProjectInfo, 'projectId' | 'projectName' | 'template' | 'processName'>;

/**
 * The project and its process, without the signed-in user or the team settings: a list asks for
 * only this before its first WIQL query, so reading a list costs the project's one request (and
 * its area's discovery), not three.
 */
export async function loadProjectProcess(connection: AzureConnection, signal?: AbortSignal): Promise<ProjectProcess> {
  const { project } = connection.endpoint;
  const read = { idempotent: true, signal } as const;
  const projectRaw = await connection.call('reading the project', async (api) => (await api.core()).getProject(project, true), read);
  if (projectRaw === null) throw badResponse('reading the project', `the project "${project}" was not found; check the aiDevops.azureDevOps.project setting`);
  const parsed = ProjectSchema.safeParse(projectRaw);
  if (!parsed.success) throw badResponse('reading the project', parsed.error.issues[0]?.message ?? 'unexpected shape');

  let processName = parsed.data.capabilities?.processTemplate?.templateName;
  let template = processName !== undefined ? getTemplate(processName) : undefined;
  const typeId = parsed.data.capabilities?.processTemplate?.templateTypeId;
  if (!template && typeId) {
    // An inherited process has its own name: ask for it, then its parent system process.
    const process = await connection
      .call('reading the process', async (api) => (await api.core()).getProcessById(typeId), read)
      .catch(() => undefined);
    const p = ProcessSchema.safeParse(process);
    if (p.success) {
      processName ??= p.data.name;
      template = getTemplate(p.data.name);
      if (!template && p.data.parentProcessTypeId) {
        const parent = ProcessSchema.safeParse(
          await connection.call('reading the process', async (api) => (await api.core()).getProcessById(p.data.parentProcessTypeId ?? ''), read).catch(() => undefined),
        );
        if (parent.success) template = getTemplate(parent.data.name);
      }
    }
  }
  return { projectId: parsed.data.id, projectName: parsed.data.name, template, processName };
}

/** The project, its process, the signed-in user and the team's bugs setting; `process` is the project's read already under way, if any. */
export async function loadProjectInfo(connection: AzureConnection, signal?: AbortSignal, process?: Promise<ProjectProcess>): Promise<ProjectInfo> {
  const { project, team } = connection.endpoint;
  const read = { idempotent: true, signal } as const;
  const [processInfo, connectionRaw, settingsRaw] = await Promise.all([
    process ?? loadProjectProcess(connection, signal),
    connection.call('reading the signed-in user', (api) => api.web.connect(), read),
    connection
      .call('reading the team settings', async (api) => (await api.work()).getTeamSettings({ project, team }), read)
      .catch(() => undefined),
  ]);
  const me = ConnectionSchema.safeParse(connectionRaw);
  const user = me.success ? me.data.authenticatedUser : undefined;
  const bugs = (settingsRaw as { bugsBehavior?: unknown } | undefined)?.bugsBehavior;
  return {
    ...processInfo,
    bugsBehavior: toBugsBehavior(bugs),
    me: { displayName: user?.providerDisplayName, account: user?.properties?.Account?.$value },
  };
}

function toBugsBehavior(value: unknown): BugsBehavior | undefined {
  if (value === WireBugsBehavior.Off || value === 'off') return 'off';
  if (value === WireBugsBehavior.AsRequirements || value === 'asRequirements') return 'asRequirements';
  if (value === WireBugsBehavior.AsTasks || value === 'asTasks') return 'asTasks';
  return undefined;
}
