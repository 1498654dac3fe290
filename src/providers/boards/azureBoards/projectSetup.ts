import { TreeStructureGroup } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces';
import { WikiType } from 'azure-devops-node-api/interfaces/WikiInterfaces';
import { z } from 'zod';
import { type BranchPolicyName, type ProjectSetup, type ProjectSurvey, type SetupStep, type StepOutcome } from '../../../core/bootstrap/projectSetup';
import { DevOpsError, isDevOpsError } from '../../../core/errors';
import { type AzureConnection } from './azureConnection';

/** Branch policy type ids (the same in every organization). */
const POLICY_TYPE: Readonly<Record<BranchPolicyName, string>> = {
  minimumReviewers: 'fa4e907d-c16b-4a4c-9dfa-4906e5d171dd',
  workItemLinking: '40e92b44-2fe1-4dd6-b3d8-74a9c21d0c6e',
  buildValidation: '0609b952-1397-4640-95ec-e00a01b2c241',
};
const MAIN = 'refs/heads/main';
const ZERO = '0'.repeat(40);

/** OperationStatus: the client turns the name into its enum number; a raw read keeps the name. */
const OPERATION_STATUS = ['notSet', 'queued', 'inProgress', 'cancelled', 'succeeded', 'failed'];
const OperationSchema = z.object({ id: z.string(), status: z.union([z.string(), z.number()]).transform((v) => (typeof v === 'number' ? OPERATION_STATUS[v] ?? String(v) : v)), url: z.string().optional(), resultMessage: z.string().nullish(), detailedMessage: z.string().nullish() }).loose();
const ScopeSchema = z.array(z.object({ repositoryId: z.string().nullish(), refName: z.string().nullish() }).loose());

export interface ProjectSetupOptions {
  /** Between two reads of the project-create operation (2 s by default). */
  readonly pollMs?: number;
  /** How long a project create may take before the step gives up (5 minutes by default). */
  readonly timeoutMs?: number;
  /** How to wait between polls (tests move a clock instead of sleeping). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Another project of the connection's organization than the one the settings name (bootstrap of a new project). */
  readonly project?: string;
}

/**
 * The structure group as the route names it. The client puts the enum's number into the URL and
 * drops a 0 (Areas) altogether, so the group goes by name, which the service takes as well.
 */
const group = (g: TreeStructureGroup): TreeStructureGroup => (g === TreeStructureGroup.Areas ? 'Areas' : 'Iterations') as unknown as TreeStructureGroup;

const isStatus = (error: unknown, ...statuses: number[]): boolean => isDevOpsError(error) && statuses.includes(error.options.status ?? 0);

/**
 * Bootstrap of the connected Azure DevOps project (the organization and project the settings name),
 * through the tracker's connection (its credential, retries and rate limits). `survey` reads what is
 * there; `apply` does one step after checking again that it is missing, so a re-run, or a step that
 * met something made in between (409), reports "already there" instead of failing or doubling.
 */
export class AzureProjectSetup implements ProjectSetup {
  constructor(
    private readonly connection: AzureConnection,
    private readonly options: ProjectSetupOptions = {},
  ) {}

  private get project(): string {
    return this.options.project ?? this.connection.endpoint.project;
  }

  /** The same setup for another project of the organization (same connection, credential and limits). */
  private forProject(project: string | undefined): AzureProjectSetup {
    return project === undefined || project === this.project ? this : new AzureProjectSetup(this.connection, { ...this.options, project });
  }

  async survey(files: readonly string[], signal?: AbortSignal, target?: string): Promise<ProjectSurvey> {
    const other = this.forProject(target);
    if (other !== this) return other.survey(files, signal);
    const base = { organizationUrl: this.connection.endpoint.organizationUrl, project: this.project };
    const project = await this.readProject(signal);
    if (!project) return { ...base, policies: new Set(), pipelines: [], wiki: false, areas: [], iterations: [] };
    const existing = { state: project.state, ...(project.process ? { process: project.process } : {}) };
    if (project.state !== 'wellFormed') return { ...base, existing, policies: new Set(), pipelines: [], wiki: false, areas: [], iterations: [] };
    const [repository, pipelines, wiki, areas, iterations, team] = await Promise.all([
      this.readRepository(files, signal),
      this.read('listing the pipelines', async (api) => (await api.pipelines()).listPipelines(this.project), signal),
      this.read('listing the wikis', async (api) => (await api.wiki()).getAllWikis(this.project), signal),
      this.read('reading the area paths', async (api) => (await api.wit()).getClassificationNode(this.project, group(TreeStructureGroup.Areas), undefined, 1), signal),
      this.read('reading the iterations', async (api) => (await api.wit()).getClassificationNode(this.project, group(TreeStructureGroup.Iterations), undefined, 1), signal),
      this.readTeam(project.team, signal),
    ]);
    const policies = repository ? await this.readPolicies(repository.id, signal) : new Set<BranchPolicyName>();
    return {
      ...base,
      existing,
      ...(repository ? { repository } : {}),
      policies,
      pipelines: (pipelines ?? []).flatMap((p) => (p.id !== undefined && p.name ? [{ id: p.id, name: p.name, ...(p.folder ? { path: p.folder } : {}) }] : [])),
      wiki: (wiki ?? []).some((w) => w.type === WikiType.ProjectWiki || String(w.type) === 'projectWiki'),
      areas: (areas?.children ?? []).flatMap((c) => (c.name ? [c.name] : [])),
      iterations: (iterations?.children ?? []).flatMap((c) => {
        if (!c.name) return [];
        const attrs = (c.attributes ?? {}) as Record<string, unknown>;
        const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : typeof v === 'string' ? v.slice(0, 10) : undefined);
        const start = day(attrs.startDate);
        const finish = day(attrs.finishDate);
        return [{ name: c.name, ...(start ? { start } : {}), ...(finish ? { finish } : {}) }];
      }),
      ...(team ? { team } : {}),
    };
  }

  async apply(step: SetupStep, signal?: AbortSignal): Promise<StepOutcome> {
    const other = this.forProject(step.project);
    if (other !== this) return other.apply(step, signal);
    switch (step.step) {
      case 'project':
        return this.createProject(step, signal);
      case 'repository':
        return this.initRepository(step.files, signal);
      case 'policy':
        return this.createPolicy(step.policy, step, signal);
      case 'wiki':
        return this.createWiki(signal);
      case 'area':
        return this.createNode(TreeStructureGroup.Areas, step.name, undefined, signal);
      case 'iteration':
        return this.createNode(TreeStructureGroup.Iterations, step.name, { startDate: new Date(`${step.start}T00:00:00Z`), finishDate: new Date(`${step.finish}T00:00:00Z`) }, signal);
      case 'teamSettings':
        return this.updateTeam(step, signal);
    }
  }

  /** A read whose 404 means "not there". */
  private async read<T>(what: string, fn: (api: Awaited<ReturnType<AzureConnection['api']>>) => Promise<T | null>, signal?: AbortSignal): Promise<T | undefined> {
    try {
      return (await this.connection.call(what, fn, { idempotent: true, signal })) ?? undefined;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw error;
    }
  }

  private async readProject(signal?: AbortSignal): Promise<{ id: string; state: string; process?: string; team?: string } | undefined> {
    const p = await this.read(`reading the project ${this.project}`, async (api) => (await api.core()).getProject(this.project, true), signal);
    if (!p?.id) return undefined;
    const caps = (p.capabilities ?? {}) as Record<string, Record<string, string> | undefined>;
    const process = caps.processTemplate?.templateName;
    return { id: p.id, state: String(p.state ?? 'wellFormed'), ...(process ? { process } : {}), ...(p.defaultTeam?.name ? { team: p.defaultTeam.name } : {}) };
  }

  private async readRepository(files: readonly string[], signal?: AbortSignal): Promise<ProjectSurvey['repository']> {
    const repo = await this.read('reading the repository', async (api) => (await api.git()).getRepository(this.project, this.project), signal);
    if (!repo?.id) return undefined;
    const refs = await this.read('reading the branches', async (api) => (await api.git()).getRefs(repo.id!, this.project, 'heads/main'), signal);
    const mainExists = (refs ?? []).some((r) => r.name === MAIN);
    const present = mainExists ? await Promise.all(files.map(async (path) => ((await this.fileExists(repo.id!, path, signal)) ? [path] : []))) : [];
    return { id: repo.id, name: repo.name ?? this.project, mainExists, files: present.flat() };
  }

  private async fileExists(repositoryId: string, path: string, signal?: AbortSignal): Promise<boolean> {
    const item = await this.read(`reading ${path}`, async (api) => (await api.git()).getItem(repositoryId, path, this.project, undefined, undefined, false, false, false, { version: 'main', versionType: 0 }), signal);
    return item !== undefined && item !== null;
  }

  private async readPolicies(repositoryId: string, signal?: AbortSignal): Promise<Set<BranchPolicyName>> {
    const list = await this.read('reading the branch policies', async (api) => (await api.policy()).getPolicyConfigurations(this.project), signal);
    const found = new Set<BranchPolicyName>();
    for (const p of list ?? []) {
      if (p.isDeleted || !p.isEnabled) continue;
      const name = (Object.keys(POLICY_TYPE) as BranchPolicyName[]).find((k) => POLICY_TYPE[k] === p.type?.id?.toLowerCase());
      const scope = ScopeSchema.safeParse((p.settings as Record<string, unknown> | undefined)?.scope);
      if (name && scope.success && scope.data.some((s) => s.repositoryId === repositoryId && s.refName === MAIN)) found.add(name);
    }
    return found;
  }

  private async readTeam(team: string | undefined, signal?: AbortSignal): Promise<ProjectSurvey['team']> {
    if (!team) return undefined;
    const context = { project: this.project, team };
    const [settings, iterations] = await Promise.all([
      this.read('reading the team settings', async (api) => (await api.work()).getTeamSettings(context), signal),
      this.read("reading the team's iterations", async (api) => (await api.work()).getTeamIterations(context), signal),
    ]);
    const behavior = settings?.bugsBehavior;
    return {
      name: team,
      bugsBehavior: behavior === 0 ? 'off' : behavior === 2 ? 'asTasks' : typeof behavior === 'string' ? behavior : 'asRequirements',
      workingDays: (settings?.workingDays ?? []).map((d) => (typeof d === 'number' ? DAYS[d] ?? String(d) : String(d))),
      iterations: (iterations ?? []).flatMap((i) => (i.name ? [i.name] : [])),
    };
  }

  private async createProject(step: Extract<SetupStep, { step: 'project' }>, signal?: AbortSignal): Promise<StepOutcome> {
    const existing = await this.readProject(signal);
    if (existing?.state === 'wellFormed') return { made: false, detail: `the project ${this.project} exists already${existing.process ? ` (${existing.process})` : ''}` };
    if (!existing) {
      const processes = await this.connection.call('listing the process templates', async (api) => (await api.core()).getProcesses(), { idempotent: true, signal });
      const process = processes.find((p) => p.name?.toLowerCase() === step.process.toLowerCase());
      if (!process?.id) throw new DevOpsError('notFound', `The organization has no "${step.process}" process; its processes are ${processes.map((p) => p.name).join(', ')}.`);
      try {
        const op = await this.connection.call(
          `creating the project ${this.project}`,
          async (api) =>
            (await api.core()).queueCreateProject({
              name: this.project,
              description: step.description,
              visibility: 0,
              capabilities: { versioncontrol: { sourceControlType: 'Git' }, processTemplate: { templateTypeId: process.id! } },
            }),
          { idempotent: false, signal },
        );
        const parsed = OperationSchema.safeParse(op);
        if (!parsed.success) throw new DevOpsError('badResponse', 'Azure DevOps answered the project create without an operation to follow.');
        await this.followOperation(parsed.data, signal);
      } catch (error) {
        // Created meanwhile (another run, or a lost answer retried): wait for it like our own.
        if (!isStatus(error, 409)) throw error;
      }
    }
    await this.waitForProject(signal);
    return { made: existing === undefined, detail: existing ? `the project ${this.project} finished being created` : `created the project ${this.project} (${step.process})` };
  }

  private async followOperation(op: z.infer<typeof OperationSchema>, signal?: AbortSignal): Promise<void> {
    const url = op.url ?? `${this.connection.endpoint.organizationUrl.replace(/\/+$/, '')}/_apis/operations/${op.id}`;
    const deadline = Date.now() + (this.options.timeoutMs ?? 300_000);
    let status = op.status;
    let last = op;
    while (!['succeeded', 'failed', 'cancelled'].includes(status)) {
      if (Date.now() > deadline) throw new DevOpsError('timeout', `The project ${this.project} was still being created after ${Math.round((this.options.timeoutMs ?? 300_000) / 1000)} s (operation ${op.id}); run bootstrap again later and it goes on from there.`);
      await this.sleep(signal);
      const res = await this.connection.call('reading the project-create operation', async (api) => api.web.rest.get<unknown>(url, { acceptHeader: 'application/json;api-version=7.1' }), { idempotent: true, signal });
      const parsed = OperationSchema.safeParse(res.result);
      if (!parsed.success) throw new DevOpsError('badResponse', `Azure DevOps sent an operation status that could not be read (operation ${op.id}).`);
      last = parsed.data;
      status = last.status;
    }
    if (status !== 'succeeded') throw new DevOpsError('refused', `Azure DevOps could not create the project ${this.project}: ${last.detailedMessage ?? last.resultMessage ?? status}.`);
  }

  private async waitForProject(signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 300_000);
    for (;;) {
      const p = await this.readProject(signal);
      if (p?.state === 'wellFormed') return;
      if (Date.now() > deadline) throw new DevOpsError('timeout', `The project ${this.project} is not ready yet (${p?.state ?? 'not found'}); run bootstrap again later.`);
      await this.sleep(signal);
    }
  }

  private sleep(signal?: AbortSignal): Promise<void> {
    const ms = this.options.pollMs ?? 2_000;
    if (this.options.sleep) return this.options.sleep(ms, signal);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new DevOpsError('cancelled', 'Cancelled while the project was being created; run bootstrap again to go on.'));
      }, { once: true });
    });
  }

  private async repositoryId(signal?: AbortSignal): Promise<string> {
    const repo = await this.read('reading the repository', async (api) => (await api.git()).getRepository(this.project, this.project), signal);
    if (repo?.id) return repo.id;
    const made = await this.connection.call('creating the repository', async (api) => (await api.git()).createRepository({ name: this.project }, this.project), { idempotent: false, signal });
    if (!made.id) throw new DevOpsError('badResponse', 'Azure DevOps created the repository without saying its id.');
    return made.id;
  }

  private async initRepository(files: readonly { path: string; content: string }[], signal?: AbortSignal): Promise<StepOutcome> {
    const id = await this.repositoryId(signal);
    const refs = await this.read('reading the branches', async (api) => (await api.git()).getRefs(id, this.project, 'heads/main'), signal);
    const main = (refs ?? []).find((r) => r.name === MAIN);
    const missing = main ? (await Promise.all(files.map(async (f) => ((await this.fileExists(id, f.path, signal)) ? [] : [f])))).flat() : [...files];
    if (missing.length === 0) return { made: false, detail: `main already has ${files.map((f) => f.path.slice(1)).join(', ')}` };
    const push = {
      refUpdates: [{ name: MAIN, oldObjectId: main?.objectId ?? ZERO }],
      commits: [{ comment: main ? `Add ${missing.map((f) => f.path.slice(1)).join(', ')} (AI DevOps bootstrap)` : 'Initial commit (AI DevOps bootstrap)', changes: missing.map((f) => ({ changeType: 1, item: { path: f.path }, newContent: { content: f.content, contentType: 0 } })) }],
    };
    try {
      await this.connection.call('pushing the first files to main', async (api) => (await api.git()).createPush(push, id, this.project), { idempotent: false, signal });
    } catch (error) {
      if (isStatus(error, 409)) throw new DevOpsError('conflict', 'main moved while the files were being added; run bootstrap again and it adds what is still missing.');
      throw error;
    }
    return { made: true, detail: `${main ? 'added' : 'initialised main with'} ${missing.map((f) => f.path.slice(1)).join(', ')}` };
  }

  private async createPolicy(name: BranchPolicyName, step: Extract<SetupStep, { step: 'policy' }>, signal?: AbortSignal): Promise<StepOutcome> {
    const id = await this.repositoryId(signal);
    if ((await this.readPolicies(id, signal)).has(name)) return { made: false, detail: `main already has the ${LABEL[name]} policy` };
    const scope = [{ repositoryId: id, refName: MAIN, matchKind: 'exact' }];
    const settings: Record<string, unknown> =
      name === 'minimumReviewers'
        ? { minimumApproverCount: step.minimumReviewers ?? 2, creatorVoteCounts: false, allowDownvotes: false, resetOnSourcePush: true, scope }
        : name === 'workItemLinking'
          ? { scope }
          : { buildDefinitionId: step.pipelineId, queueOnSourceUpdateOnly: true, manualQueueOnly: false, displayName: 'Build validation', validDuration: 720, scope };
    if (name === 'buildValidation' && step.pipelineId === undefined) throw new DevOpsError('invalidInput', 'Build validation needs the pipeline to run.');
    await this.connection.call(`adding the ${LABEL[name]} policy`, async (api) => (await api.policy()).createPolicyConfiguration({ isEnabled: true, isBlocking: true, type: { id: POLICY_TYPE[name] }, settings }, this.project), { idempotent: false, signal });
    return { made: true, detail: `main now requires ${LABEL[name]}` };
  }

  private async createWiki(signal?: AbortSignal): Promise<StepOutcome> {
    const wikis = await this.read('listing the wikis', async (api) => (await api.wiki()).getAllWikis(this.project), signal);
    if ((wikis ?? []).some((w) => w.type === WikiType.ProjectWiki || String(w.type) === 'projectWiki')) return { made: false, detail: 'the project wiki exists already' };
    const project = await this.readProject(signal);
    if (!project) throw new DevOpsError('notFound', `The project ${this.project} does not exist.`);
    try {
      const w = await this.connection.call('creating the project wiki', async (api) => (await api.wiki()).createWiki({ name: `${this.project}.wiki`, projectId: project.id, type: WikiType.ProjectWiki }, this.project), { idempotent: false, signal });
      return { made: true, detail: 'created the project wiki', ...(w.remoteUrl ? { url: w.remoteUrl } : {}) };
    } catch (error) {
      if (isStatus(error, 409)) return { made: false, detail: 'the project wiki exists already' };
      throw error;
    }
  }

  private async createNode(structure: TreeStructureGroup, name: string, attributes: Record<string, unknown> | undefined, signal?: AbortSignal): Promise<StepOutcome> {
    const what = structure === TreeStructureGroup.Areas ? 'area path' : 'iteration';
    try {
      await this.connection.call(`adding the ${what} ${name}`, async (api) => (await api.wit()).createOrUpdateClassificationNode({ name, ...(attributes ? { attributes } : {}) }, this.project, group(structure)), { idempotent: false, signal });
      return { made: true, detail: `added the ${what} ${name}` };
    } catch (error) {
      if (isStatus(error, 409)) return { made: false, detail: `the ${what} ${name} exists already` };
      throw error;
    }
  }

  private async updateTeam(step: Extract<SetupStep, { step: 'teamSettings' }>, signal?: AbortSignal): Promise<StepOutcome> {
    const project = await this.readProject(signal);
    if (!project?.team) throw new DevOpsError('notFound', `The project ${this.project} has no default team.`);
    const team = await this.readTeam(project.team, signal);
    const context = { project: this.project, team: project.team };
    const done: string[] = [];
    const sameDays = team && team.workingDays.length === step.workingDays.length && step.workingDays.every((d) => team.workingDays.includes(d));
    if (team?.bugsBehavior.toLowerCase() !== step.bugsBehavior.toLowerCase() || !sameDays) {
      await this.connection.call('updating the team settings', async (api) => (await api.work()).updateTeamSettings({ bugsBehavior: BEHAVIOR[step.bugsBehavior], workingDays: step.workingDays.map((d) => DAYS.indexOf(d)) }, context), { idempotent: true, signal });
      done.push(`bugs ${step.bugsBehavior}, working days ${step.workingDays.join(', ')}`);
    }
    const subscribed = new Set(team?.iterations ?? []);
    for (const name of step.iterations.filter((n) => !subscribed.has(n))) {
      const node = await this.read(`reading the iteration ${name}`, async (api) => (await api.wit()).getClassificationNode(this.project, group(TreeStructureGroup.Iterations), name), signal);
      if (!node?.identifier) throw new DevOpsError('notFound', `The iteration ${name} does not exist, so the team cannot take it.`);
      await this.connection.call(`giving the team the iteration ${name}`, async (api) => (await api.work()).postTeamIteration({ id: node.identifier! }, context), { idempotent: true, signal });
      done.push(name);
    }
    return done.length ? { made: true, detail: `team ${project.team}: ${done.join('; ')}` } : { made: false, detail: `the team ${project.team} is set up already` };
  }
}

const LABEL: Readonly<Record<BranchPolicyName, string>> = { minimumReviewers: 'minimum reviewers', workItemLinking: 'linked work items', buildValidation: 'build validation' };
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const BEHAVIOR = { off: 0, asRequirements: 1, asTasks: 2 } as const;
