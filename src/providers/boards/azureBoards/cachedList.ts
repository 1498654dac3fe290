import { azureBoardsCacheKey, sandboxBoardsCacheKey } from '../../../core/boards/boardsCacheKey';
import { type CachedList, type WorkItemFilter } from '../../../core/boards/workTracker';
import { type Logger } from '../../../core/host';
import { liveEndpoints } from '../../../core/liveEndpoints';
import { type Settings } from '../../../core/settings';
import { startupTimeline } from '../../../core/startupTimeline';
import { SANDBOX_ORGANIZATION, SANDBOX_PROJECT } from '../../../sandbox/identity';
import { BoardsCache } from './boardsCache';

/**
 * Which Azure Boards cache the current settings read and write, known from settings alone (no
 * request, no sandbox started): the sandbox's names its workspace, organization and project (not
 * its port); a live connection's its organization URL, project and team. Undefined while Azure
 * DevOps is not configured.
 */
export function currentAzureCacheKey(settings: Settings, workspaceRoot: string | undefined): string | undefined {
  if (settings.backend === 'sandbox') return sandboxBoardsCacheKey(SANDBOX_ORGANIZATION, SANDBOX_PROJECT, workspaceRoot);
  const endpoint = liveEndpoints(settings).azureDevOps;
  return endpoint ? azureBoardsCacheKey(endpoint) : undefined;
}

export interface CachedListRequest {
  readonly storageDir: string;
  readonly settings: Settings;
  readonly workspaceRoot: string | undefined;
  readonly log: Logger;
  readonly filter: WorkItemFilter;
  /** Past this many ids only the ids are read (the tree shows them by id range). */
  readonly maxItems: number;
  readonly now?: Date;
}

/**
 * The list the Azure Boards cache files hold for the current connection and filter, read without
 * the tracker's code or the service: the tree's first rows on start-up (BoardsCache.peek: every
 * file zod-checked and keyed to the connection). Undefined when nothing usable is cached (absent,
 * unreadable, another organization or project, an earlier layout, an empty list): the tree then
 * says "Loading…" until the tracker answers.
 */
export async function readCachedList(request: CachedListRequest): Promise<CachedList | undefined> {
  const key = currentAzureCacheKey(request.settings, request.workspaceRoot);
  if (key === undefined) return undefined;
  const options = { maxItems: request.maxItems, ttlSeconds: request.settings.cache.ttlSeconds, now: request.now ?? new Date() };
  const list = await startupTimeline().span('Azure Boards: reading the disk cache', () => BoardsCache.peek(request.storageDir, key, request.log, request.filter, options));
  return list && list.ids.length > 0 ? list : undefined;
}
