import { z } from 'zod';
import { endpointProblem } from './credentialScope';

/**
 * The `aiDevops.*` settings, validated. Users edit settings.json by hand, so nothing is trusted:
 * a bad value falls back to its default and is reported, instead of breaking a feature later.
 */
/** An http(s) URL, plain http only for this machine (see credentialScope.endpointProblem), or empty. */
const httpUrl = z.union([z.literal(''), z.url({ protocol: /^https?$/ }).refine((url) => endpointProblem(url) === undefined, 'use https (http is only for localhost), with no user name or password in the URL')]);

export const FaultSettingSchema = z.object({
  route: z.string().min(1),
  kind: z.enum(['latency', 'status', 'drop', 'truncate', 'malformed', 'stall']),
  status: z.number().int().min(400).max(599).optional(),
  retryAfterSeconds: z.number().min(0).optional(),
  latencyMs: z.number().min(0).optional(),
  times: z.number().int().min(1).optional(),
});

/** One person's capacity for GitHub sprint planning: estimate finished in a whole iteration, and days off. */
export const GitHubCapacitySchema = z
  .object({
    login: z.string().trim().min(1).max(100),
    perIteration: z.number().min(0).max(100_000),
    daysOff: z.array(z.object({ start: z.iso.date(), end: z.iso.date() }).strict()).max(366).default([]),
  })
  .strict();
export type GitHubCapacity = z.infer<typeof GitHubCapacitySchema>;

export const SettingsSchema = z.object({
  backend: z.enum(['live', 'sandbox']).catch('live'),
  azureDevOps: z.object({
    organizationUrl: httpUrl.catch(''),
    project: z.string().catch(''),
    team: z.string().catch(''),
  }),
  github: z.object({
    owner: z.string().catch(''),
    repo: z.string().catch(''),
    projectNumber: z.number().int().positive().nullable().catch(null),
    capacity: z.array(GitHubCapacitySchema).max(500).catch([]),
  }),
  workItems: z.object({
    defaultTracker: z.enum(['azureBoards', 'github']).catch('azureBoards'),
    referencePatterns: z.array(z.string()).catch([]),
  }),
  planning: z.object({
    blockedDays: z.number().int().min(0).max(365).catch(3),
    /** Notifications for items newly assigned to me or entering Ready after a refresh (Azure Boards and GitHub Projects). */
    changeNotices: z.boolean().catch(true),
  }),
  todos: z.object({ tags: z.array(z.string().min(1)).min(1).catch(['TODO', 'FIXME', 'HACK', 'XXX']) }),
  cache: z.object({ ttlSeconds: z.number().min(0).catch(300) }),
  ai: z.object({
    provider: z.enum(['vscode', 'openai', 'azureOpenai', 'ollama', 'gemini', 'watsonx', 'sandbox']).catch('vscode'),
    model: z.string().catch(''),
    endpoint: httpUrl.catch(''),
    watsonxProjectId: z.string().catch(''),
    concurrency: z.number().int().min(1).max(32).catch(3),
    cacheTtlSeconds: z.number().min(0).catch(3600),
    redactForLocalModels: z.boolean().catch(true),
  }),
  audit: z.object({ mirrorToAzureDevOps: z.boolean().catch(true) }),
  qa: z.object({ generateRounds: z.number().int().min(1).max(5).catch(3) }),
  /** What comes before the version in a release tag (`v`, `web@`, `release-`; empty for bare versions), for the palette's release commands. */
  release: z.object({ tagPrefix: z.string().max(100).regex(/^[A-Za-z0-9._@/-]*$/).catch('v') }),
  security: z.object({
    npmRegistryUrl: httpUrl.catch(''),
    osvUrl: httpUrl.catch(''),
  }),
  sandbox: z.object({
    latencyMs: z.number().min(0).max(10_000).catch(0),
    faults: z.array(FaultSettingSchema).catch([]),
  }),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type FaultSetting = z.infer<typeof FaultSettingSchema>;

/** Every leaf key, as VS Code names it under `aiDevops.` (e.g. `azureDevOps.project`). */
const leafKeys = (shape: z.ZodRawShape, prefix = ''): string[] =>
  Object.entries(shape).flatMap(([key, schema]) =>
    schema instanceof z.ZodObject ? leafKeys(schema.shape, `${prefix}${key}.`) : [`${prefix}${key}`],
  );

export const SETTING_KEYS: readonly string[] = leafKeys(SettingsSchema.shape);

/**
 * Builds Settings from a getter of raw values (Host.getConfig). Returns the settings and the keys
 * whose values were invalid and replaced by their defaults, so the caller can tell the user.
 */
export function readSettings(get: (key: string) => unknown): { settings: Settings; invalid: string[] } {
  const raw: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const parts = key.split('.');
    let node = raw;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]!] = get(key);
  }
  const settings = SettingsSchema.parse(raw);
  const invalid = SETTING_KEYS.filter((key) => {
    const value = get(key);
    if (value === undefined) return false;
    const parsed = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], settings);
    return JSON.stringify(parsed) !== JSON.stringify(value);
  });
  return { settings, invalid };
}
