import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type ServiceEndpoints } from '../core/backend';
import { type Logger } from '../core/host';
import { type FaultSetting } from '../core/settings';
import { AdvisoryDatabase, npmRegistryStandIn, osvStandIn } from './advisories';
import { AzureDevOpsState, createAzureDevOpsMount } from './azureDevOps';
import { createGitHubMount, GitHubState } from './github';
import { SandboxServer } from './http/server';
import { randomSandboxCredentials, SANDBOX_GITHUB, SANDBOX_ORGANIZATION, SANDBOX_PROJECT, type SandboxCredentials } from './identity';
import { mountModelStandIns, type ModelStandIns, type ModelStandInUrls } from './models';
import { startOnRememberedPort } from './sandboxPort';
import { SandboxStateFile } from './sandboxStateFile';

export interface SandboxOptions {
  /** Where the stand-ins' state is kept between sessions (`<workspace>/.devops/sandbox`); in memory when undefined. */
  readonly stateDir: string | undefined;
  readonly log: Logger;
  readonly latencyMs?: number;
  readonly faults?: readonly FaultSetting[];
  /** Fixed port (npm start, tests); any free port when 0 or undefined. */
  readonly port?: number;
}

/** The team the sandbox's Azure DevOps project is planned with (the stand-in's default team). */
const SANDBOX_TEAM = `${SANDBOX_PROJECT} Team`;

/**
 * The no-account sandbox: one loopback server with the Azure DevOps, GitHub and model stand-ins,
 * demo data that survives reloads, and the user's latency and fault settings applied. The same
 * code serves the tests, so what the user tries is what is tested.
 */
export class Sandbox {
  private constructor(
    readonly server: SandboxServer,
    readonly azureDevOps: AzureDevOpsState,
    readonly github: GitHubState,
    readonly models: ModelStandIns,
    readonly advisories: AdvisoryDatabase,
    private readonly files: readonly SandboxStateFile[],
    private readonly subscriptions: readonly { dispose(): void }[],
  ) {}

  static async start(options: SandboxOptions): Promise<Sandbox> {
    const { log, stateDir } = options;
    const adoFile = stateDir ? new SandboxStateFile(path.join(stateDir, 'azure-devops.json'), log) : undefined;
    let azureDevOps: AzureDevOpsState | undefined;
    if (adoFile) await adoFile.load((json) => (azureDevOps = AzureDevOpsState.fromJSON(json)));
    azureDevOps ??= AzureDevOpsState.demo();
    const ghFile = stateDir ? new SandboxStateFile(path.join(stateDir, 'github.json'), log) : undefined;
    let github: GitHubState | undefined;
    if (ghFile) await ghFile.load((json) => (github = GitHubState.fromJSON(json)));
    github ??= GitHubState.demo();

    // Fresh credentials each session: nothing outside this window can know them.
    const server = new SandboxServer(randomSandboxCredentials());
    server.mount(createAzureDevOpsMount(azureDevOps));
    server.mount(createGitHubMount(github));
    const models = mountModelStandIns(server);
    const advisories = new AdvisoryDatabase();
    server.mount(npmRegistryStandIn(advisories));
    server.mount(osvStandIn(advisories));
    server.latencyMs = options.latencyMs ?? 0;
    server.faults.set(options.faults ?? []);
    if (options.port) await server.start(options.port);
    else {
      if (stateDir) await ignoreStateDir(stateDir);
      await startOnRememberedPort(server, stateDir, log);
    }

    const subscriptions: { dispose(): void }[] = [];
    const files: SandboxStateFile[] = [];
    if (stateDir && adoFile && ghFile) {
      await ignoreStateDir(stateDir);
      const ado = azureDevOps;
      const gh = github;
      subscriptions.push(ado.onDidChange(() => adoFile.schedule(() => ado.toJSON())));
      subscriptions.push(gh.onDidChange(() => ghFile.schedule(() => gh.toJSON())));
      files.push(adoFile, ghFile);
    }
    log.info(`Sandbox started at ${server.url}${stateDir ? ` (state in ${stateDir})` : ' (state in memory)'}.`);
    return new Sandbox(server, azureDevOps, github, models, advisories, files, subscriptions);
  }

  get url(): string {
    return this.server.url;
  }

  /** What the stand-ins accept in this session (the extension's clients use them; they are logged nowhere). */
  get credentials(): SandboxCredentials {
    return this.server.credentials;
  }

  endpoints(): ServiceEndpoints {
    const models = this.modelUrls();
    return {
      kind: 'sandbox',
      azureDevOps: { organizationUrl: `${this.server.urlOf('azureDevOps')}/${SANDBOX_ORGANIZATION}`, project: SANDBOX_PROJECT, team: SANDBOX_TEAM },
      github: { baseUrl: this.server.urlOf('github'), owner: SANDBOX_GITHUB.owner, repo: SANDBOX_GITHUB.repo, projectNumber: SANDBOX_GITHUB.projectNumber },
      models: {
        openaiBaseUrl: models.openaiBaseUrl,
        ollamaHost: models.ollamaHost,
        geminiBaseUrl: models.geminiBaseUrl,
        watsonxUrl: models.watsonxUrl,
        watsonxIamUrl: models.watsonxIamUrl,
      },
      advisories: { npmRegistryUrl: this.server.urlOf('npmRegistry'), osvUrl: this.server.urlOf('osv') },
    };
  }

  modelUrls(): ModelStandInUrls {
    return this.models.urls();
  }

  /** Applies the aiDevops.sandbox.* settings while running. */
  configure(settings: { readonly latencyMs: number; readonly faults: readonly FaultSetting[] }): void {
    this.server.latencyMs = settings.latencyMs;
    this.server.faults.set(settings.faults);
  }

  /** Saves pending state and stops the server. */
  async stop(): Promise<void> {
    this.subscriptions.forEach((s) => s.dispose());
    await Promise.all(this.files.map((f) => f.flush()));
    await this.server.stop();
  }
}

/** The sandbox's files are demo data of this machine: keep them out of the user's commits. */
async function ignoreStateDir(stateDir: string): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  await writeFile(path.join(stateDir, '.gitignore'), '# Written by AI DevOps: the sandbox\'s demo data stays on this machine.\n*\n', 'utf8');
}
