import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Credential, type ServiceId } from '../core/host';

/**
 * What the editor reads from settings and sign-in sessions comes, on the command line, from a
 * settings file (--settings), environment variables, and the variables pipelines already set
 * (Azure Pipelines: SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT, SYSTEM_ACCESSTOKEN; GitHub Actions:
 * GITHUB_REPOSITORY, GITHUB_TOKEN). The table is in README ("Headless runner").
 */
export const SETTING_ENV: Readonly<Record<string, readonly string[]>> = {
  backend: ['AIDEVOPS_BACKEND'],
  'azureDevOps.organizationUrl': ['AIDEVOPS_ORGANIZATION_URL', 'SYSTEM_COLLECTIONURI'],
  'azureDevOps.project': ['AIDEVOPS_PROJECT', 'SYSTEM_TEAMPROJECT'],
  'azureDevOps.team': ['AIDEVOPS_TEAM'],
  'workItems.defaultTracker': ['AIDEVOPS_DEFAULT_TRACKER'],
  'ai.provider': ['AIDEVOPS_AI_PROVIDER'],
  'ai.model': ['AIDEVOPS_AI_MODEL'],
  'ai.endpoint': ['AIDEVOPS_AI_ENDPOINT'],
  'ai.watsonxProjectId': ['AIDEVOPS_WATSONX_PROJECT_ID'],
  // The registry npm itself uses (a pipeline's mirror) is where its advisories are asked for too.
  'security.npmRegistryUrl': ['AIDEVOPS_NPM_REGISTRY', 'npm_config_registry', 'NPM_CONFIG_REGISTRY'],
  'security.osvUrl': ['AIDEVOPS_OSV_URL'],
};

/** Tokens and keys, first variable set wins. Never read from a file in the workspace. */
export const CREDENTIAL_ENV: Readonly<Record<ServiceId, readonly { readonly name: string; readonly kind: Credential['kind'] }[]>> = {
  azureDevOps: [
    { name: 'AIDEVOPS_AZURE_DEVOPS_TOKEN', kind: 'pat' },
    { name: 'AZURE_DEVOPS_EXT_PAT', kind: 'pat' },
    { name: 'SYSTEM_ACCESSTOKEN', kind: 'bearer' },
  ],
  github: [
    { name: 'AIDEVOPS_GITHUB_TOKEN', kind: 'bearer' },
    { name: 'GITHUB_TOKEN', kind: 'bearer' },
    { name: 'GH_TOKEN', kind: 'bearer' },
  ],
  openai: [{ name: 'OPENAI_API_KEY', kind: 'apiKey' }],
  azureOpenai: [{ name: 'AZURE_OPENAI_API_KEY', kind: 'apiKey' }],
  gemini: [
    { name: 'GEMINI_API_KEY', kind: 'apiKey' },
    { name: 'GOOGLE_API_KEY', kind: 'apiKey' },
  ],
  watsonx: [{ name: 'WATSONX_APIKEY', kind: 'apiKey' }],
  ollama: [{ name: 'OLLAMA_API_KEY', kind: 'apiKey' }],
};

/** A settings value: the --settings file first, then the environment. */
export function settingFrom(key: string, file: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): unknown {
  if (key in file) return file[key];
  for (const name of SETTING_ENV[key] ?? []) {
    const v = env[name];
    if (v !== undefined && v !== '') return v;
  }
  if (key === 'github.owner' || key === 'github.repo') {
    const repo = env.AIDEVOPS_GITHUB_REPOSITORY ?? env.GITHUB_REPOSITORY;
    const m = repo ? /^([^/\s]+)\/([^/\s]+)$/.exec(repo) : null;
    if (m) return key === 'github.owner' ? m[1] : m[2];
  }
  return undefined;
}

export function credentialFrom(service: ServiceId, env: NodeJS.ProcessEnv): Credential | undefined {
  for (const { name, kind } of CREDENTIAL_ENV[service]) {
    const value = env[name];
    if (value) return { kind, value, source: 'secretStorage', account: `$${name}` };
  }
  return undefined;
}

/** Where the CLI keeps approvals and its outbox: never inside the workspace. */
export function defaultStateDir(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'ai-devops');
}

/**
 * The ripgrep the CLI's file searches run (the secret scan's candidates): AIDEVOPS_RIPGREP when
 * set (empty or `none`: use none, read every file), else `rg` on PATH (Debian's and Homebrew's
 * `ripgrep` package). Undefined when there is none: the scan reads the files itself and says so.
 */
export function ripgrepFor(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const chosen = env.AIDEVOPS_RIPGREP;
  if (chosen !== undefined) return chosen === '' || chosen === 'none' ? undefined : chosen;
  const binary = platform === 'win32' ? 'rg.exe' : 'rg';
  for (const dir of (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':')) {
    if (dir === '' || !path.isAbsolute(dir)) continue; // a relative PATH entry would run a workspace's own `rg`
    const candidate = path.join(dir, binary);
    try {
      accessSync(candidate, platform === 'win32' ? constants.F_OK : constants.X_OK);
      return candidate;
    } catch {
      // Not here: the next PATH entry.
    }
  }
  return undefined;
}
