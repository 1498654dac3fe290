import { type Settings } from '../../core/settings';
import { type CreateWorkItemRequest, type Resolution, type TrackerChoice, type WorkItemResolver } from '../../core/todo/workItemResolver';
import { type WorkItemReference } from '../../core/todo/references';
import { type Logger } from '../../core/host';
import { type TrackerKind } from '../../core/workItem';
import { SANDBOX_GITHUB, SANDBOX_ORGANIZATION, SANDBOX_PROJECT } from '../../sandbox/identity';
import { organizationOf } from '../../core/todo/referenceScope';
import { TrackerResolver } from './trackerResolver';
import { type TrackerSet } from './trackerSet';

/**
 * The TODO feature gets one resolver for the whole session, but which trackers exist (and which
 * project and repository they read) changes with the settings and the sandbox. Each call is
 * answered by a TrackerResolver over the trackers configured at that moment.
 */
export class CurrentTrackerResolver implements WorkItemResolver {
  constructor(
    private readonly set: TrackerSet,
    private readonly settings: () => Settings,
    private readonly log: Logger,
  ) {}

  private current(): TrackerResolver {
    const settings = this.settings();
    const sandbox = settings.backend === 'sandbox';
    const azure = this.set.azure();
    const github = this.set.github();
    return new TrackerResolver({
      log: this.log,
      ...(azure
        ? {
            azureBoards: {
              tracker: () => Promise.resolve(azure),
              organization: sandbox ? SANDBOX_ORGANIZATION : (organizationOf(settings.azureDevOps.organizationUrl) ?? ''),
              project: sandbox ? SANDBOX_PROJECT : settings.azureDevOps.project,
              newItemType: 'Task',
            },
          }
        : {}),
      ...(github
        ? { github: { tracker: () => Promise.resolve(github), repository: sandbox ? `${SANDBOX_GITHUB.owner}/${SANDBOX_GITHUB.repo}` : `${settings.github.owner}/${settings.github.repo}` } }
        : {}),
    });
  }

  resolve(references: readonly WorkItemReference[], signal?: AbortSignal): Promise<ReadonlyMap<string, Resolution>> {
    return this.current().resolve(references, signal);
  }

  create(request: CreateWorkItemRequest, signal?: AbortSignal): Promise<WorkItemReference> {
    return this.current().create(request, signal);
  }

  findOpenByTitle(tracker: TrackerKind, title: string, signal?: AbortSignal): Promise<WorkItemReference | undefined> {
    return this.current().findOpenByTitle(tracker, title, signal);
  }

  trackers(): Promise<readonly TrackerChoice[]> {
    return this.current().trackers();
  }

  /** Trackers made again, or their items changed: lenses and the view ask again. */
  onDidChange(listener: () => void): { dispose(): void } {
    return this.set.onDidChange(listener);
  }
}
