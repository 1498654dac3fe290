import { originOf } from './credentialScope';

/**
 * Settings that name a host the extension sends credentials and workspace content to. A workspace
 * may set them (a repository pins its organization), but a host that comes only from workspace
 * settings is used after the user confirmed it once for that workspace; until then the user's own
 * value (or the default) applies, so a cloned repository cannot point the clients anywhere.
 */
export const HOST_SETTINGS: readonly string[] = ['azureDevOps.organizationUrl', 'ai.endpoint'];

export interface SettingLevels {
  /** The user's own value (user settings). */
  readonly user: unknown;
  /** The workspace's or folder's value (the folder's wins, as in VS Code). */
  readonly workspace: unknown;
  readonly fallback: unknown;
}

export interface PendingHost {
  readonly key: string;
  readonly url: string;
  readonly origin: string;
}

export type HostSettingValue = { readonly value: unknown; readonly pending?: PendingHost };

/** The value to use for a host setting, and the host waiting for the user's confirmation if any. */
export function resolveHostSetting(key: string, levels: SettingLevels, isConfirmed: (origin: string) => boolean): HostSettingValue {
  const own = levels.user ?? levels.fallback;
  const { workspace } = levels;
  if (workspace === undefined || workspace === levels.user) return { value: own };
  // An empty value or one that is not a URL names no host: it goes on to validation as it is.
  const origin = typeof workspace === 'string' && workspace !== '' ? originOf(workspace) : undefined;
  if (!origin) return { value: workspace };
  if (typeof levels.user === 'string' && originOf(levels.user) === origin) return { value: workspace };
  if (isConfirmed(origin)) return { value: workspace };
  return { value: own, pending: { key, url: workspace as string, origin } };
}
