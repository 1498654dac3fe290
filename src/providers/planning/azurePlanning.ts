import { DevOpsError } from '../../core/errors';
import { htmlToMarkdown } from '../../core/planning/htmlMarkdown';
import { type ExistingItem, PLAN_REFERENCE } from '../../core/planning/existing';
import { type PlanTarget } from '../../core/planning/planChanges';
import { type EpicSourceItem, type PlanningBoards } from '../../core/planning/planningBoards';
import { type AzureConnection } from '../boards/azureBoards/azureConnection';
import { loadProjectInfo, type ProjectInfo } from '../boards/azureBoards/projectInfo';
import { AzureReads, str, wiqlString } from './azureReads';
import { AzureSprints } from './azureSprint';

const TREE_FIELDS = ['System.Id', 'System.WorkItemType', 'System.Title', 'System.State', 'System.Description'];

/** Azure Boards for the planner: the project's process, an epic and its tree, what a plan made. */
export class AzurePlanning implements PlanningBoards {
  readonly tracker = 'azureBoards' as const;
  readonly reads: AzureReads;
  private info: Promise<ProjectInfo> | undefined;

  constructor(
    readonly connection: AzureConnection,
    /** aiDevops.planning.blockedDays. */
    readonly blockedDays?: number,
  ) {
    this.reads = new AzureReads(connection);
  }

  where(): string {
    return this.connection.endpoint.project;
  }

  projectInfo(signal?: AbortSignal): Promise<ProjectInfo> {
    const current = (this.info ??= loadProjectInfo(this.connection, signal));
    current.catch(() => {
      if (this.info === current) this.info = undefined;
    });
    return current;
  }

  private sprintReads: AzureSprints | undefined;

  sprints(): AzureSprints {
    return (this.sprintReads ??= new AzureSprints(this));
  }

  async target(signal?: AbortSignal): Promise<PlanTarget> {
    const info = await this.projectInfo(signal);
    if (!info.template) {
      throw new DevOpsError(
        'refused',
        `The project's process${info.processName ? ` "${info.processName}"` : ''} is neither Basic, Agile, Scrum nor CMMI, nor inherits from one, so the planner cannot tell which work item types to create.`,
      );
    }
    return { tracker: 'azureBoards', where: info.projectName, template: info.template };
  }

  private urlOf(id: number): string {
    const { organizationUrl, project } = this.connection.endpoint;
    return `${organizationUrl.replace(/\/+$/, '')}/${encodeURIComponent(project)}/_workitems/edit/${id}`;
  }

  async item(id: number, signal?: AbortSignal): Promise<EpicSourceItem> {
    const [row] = await this.reads.fields([id], TREE_FIELDS, 'reading the epic', signal);
    if (!row) throw new DevOpsError('notFound', `AB#${id} was not found in ${this.where()} (deleted, or in another project).`);
    return {
      id,
      type: str(row.fields['System.WorkItemType']) ?? '',
      title: str(row.fields['System.Title']) ?? '',
      description: htmlToMarkdown(str(row.fields['System.Description']) ?? ''),
      state: str(row.fields['System.State']) ?? '',
      url: this.urlOf(id),
    };
  }

  async tree(id: number, signal?: AbortSignal): Promise<ExistingItem> {
    const { links } = await this.reads.links(
      `SELECT [System.Id] FROM WorkItemLinks WHERE ([Source].[System.Id] = ${id}) AND ([System.Links.LinkType] = 'System.LinkTypes.Hierarchy-Forward') MODE (Recursive)`,
      'reading the epic\'s children',
      signal,
    );
    const rows = await this.reads.fields([id, ...links.map(([, child]) => child)], TREE_FIELDS, 'reading the epic\'s children', signal);
    const byId = new Map(rows.map((r) => [r.id, r]));
    if (!byId.has(id)) throw new DevOpsError('notFound', `AB#${id} was not found in ${this.where()} (deleted, or in another project).`);
    const childrenOf = new Map<number, number[]>();
    for (const [parent, child] of links) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), child]);
    const build = (itemId: number, seen: ReadonlySet<number>): ExistingItem | undefined => {
      const row = byId.get(itemId);
      if (!row || seen.has(itemId)) return undefined;
      const next = new Set(seen).add(itemId);
      const reference = PLAN_REFERENCE.exec(str(row.fields['System.Description']) ?? '')?.[1];
      return {
        id: itemId,
        type: str(row.fields['System.WorkItemType']) ?? '',
        title: str(row.fields['System.Title']) ?? '',
        state: str(row.fields['System.State']) ?? '',
        children: (childrenOf.get(itemId) ?? []).flatMap((c) => build(c, next) ?? []),
        ...(reference ? { clientId: reference } : {}),
      };
    };
    return build(id, new Set())!;
  }

  async madeBy(key: string, signal?: AbortSignal): Promise<ReadonlyMap<string, number>> {
    const ids = await this.reads.ids(
      `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.Description] CONTAINS ${wiqlString(`ref ${key}-`)}`,
      'looking for items this plan created before',
      signal,
    );
    if (ids.length === 0) return new Map();
    const rows = await this.reads.fields(ids, ['System.Id', 'System.Description'], 'looking for items this plan created before', signal);
    const made = new Map<string, number>();
    for (const row of rows) {
      const reference = PLAN_REFERENCE.exec(str(row.fields['System.Description']) ?? '')?.[1];
      if (reference?.startsWith(`${key}-`) && !made.has(reference)) made.set(reference, row.id);
    }
    return made;
  }
}
