import { GITHUB_ESTIMATE_FIELD } from '../../core/bootstrap/githubProjectSetup';
import { type OutboxJson } from '../../core/boards/outbox';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type BacklogRow, type IterationInfo } from '../../core/planning/sprint/backlog';
import { dayOf, isoDay, type Weekday, workingDays } from '../../core/planning/sprint/calendar';
import { type IterationCapacity, type SprintBoards, type SprintMove, type SprintSnapshot } from '../../core/planning/sprint/sprintBoards';
import { type StateCategory } from '../../core/process/templates';
import { type GitHubCapacity } from '../../core/settings';
import { type GitHubClient } from '../boards/github/githubClient';
import { labelBlockedSince } from './githubBlockedSince';
import { isIssueContent, type OwnerKind, type ProjectFieldNode, type ProjectIteration, sprintProjectQuery, SprintProjectSchema } from './githubSprintQueries';

/**
 * GitHub Projects (v2) for sprint planning, velocity and the status report. The Project's
 * iteration field gives the iterations (its completed iterations are the past ones), a number
 * field named Estimate, Story Points, Points, Size or Effort the estimate, a single-select
 * Priority field the order (its first option first; then the Project's own order), Status and a
 * `blocked` label the progress, and `aiDevops.github.capacity` each person's estimate per
 * iteration. Only the connected repository's issues are planned (their numbers are the ids);
 * pull requests, draft issues and issues with sub-issues (epics and features: their work is
 * counted in their sub-issues) are left out.
 */
export const GITHUB_WORKING_DAYS: readonly Weekday[] = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
const ESTIMATE_NAMES = GITHUB_ESTIMATE_FIELD;
const ITERATION_NAMES = /^(iteration|iterations|sprint|sprints)$/i;
const DUE_NAMES = /^(target date|due date|due|end date|target)$/i;
const BLOCKED = /^(status:\s*)?blocked$/i;
const DAY = 86_400_000;

export interface GitHubSprintOptions {
  readonly projectNumber: number | null;
  readonly capacity: readonly GitHubCapacity[];
  readonly now?: () => Date;
}

/** The Project's fields planning reads, found once per snapshot. */
interface Layout {
  readonly projectId: string;
  readonly iterationField: { readonly id: string; readonly name: string };
  readonly estimateField?: { readonly id: string; readonly name: string };
  readonly priorityField?: { readonly id: string; readonly options: readonly string[] };
  readonly statusField?: { readonly id: string };
  readonly dueField?: { readonly id: string };
}

/** Where a Status option puts an open issue. */
function categoryOf(status: string | undefined): StateCategory {
  const s = (status ?? '').toLowerCase();
  if (/\b(done|closed|complete|completed|shipped|released)\b/.test(s)) return 'Resolved';
  if (/\b(progress|review|reviewing|doing|testing|active|blocked|qa)\b/.test(s)) return 'InProgress';
  return 'Proposed';
}

export class GitHubSprints implements SprintBoards {
  readonly tracker = 'github' as const;
  private ownerKind: OwnerKind | undefined;
  private layout: Layout | undefined;
  /** The Project item of each issue number and its iteration's title (a move's base: someone moving it meanwhile is a conflict). */
  private readonly items = new Map<number, { readonly itemId: string; readonly iteration: string | null }>();
  /** Issue numbers the last snapshot saw with a blocked label (a Status of Blocked leaves no history to date it by). */
  private readonly labelBlocked = new Set<number>();

  constructor(
    private readonly client: GitHubClient,
    private readonly options: GitHubSprintOptions,
  ) {}

  private get now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private get repository(): string {
    return `${this.client.endpoint.owner}/${this.client.endpoint.repo}`;
  }

  where(): string {
    return this.options.projectNumber ? `${this.repository} (Project ${this.options.projectNumber})` : this.repository;
  }

  reference(id: number): string {
    return `#${id}`;
  }

  private projectNumber(): number {
    if (!this.options.projectNumber) {
      throw new DevOpsError('notConfigured', `Sprint planning on GitHub reads a Project (v2) with an iteration field, and none is set: put its number in aiDevops.github.projectNumber (github.com/orgs/${this.client.endpoint.owner}/projects/NUMBER) and plan again.`);
    }
    return this.options.projectNumber;
  }

  /** One page of the Project, as organization first and as user when no organization has the login. */
  private async page(number: number, cursor: string | null, withFields: boolean, signal?: AbortSignal) {
    const login = this.client.endpoint.owner;
    const kinds: OwnerKind[] = this.ownerKind ? [this.ownerKind] : ['organization', 'user'];
    let last: unknown;
    for (const kind of kinds) {
      try {
        const data = await this.client.graphql(`reading Project ${number} of ${login}`, sprintProjectQuery(kind), { login, number, cursor, withFields }, SprintProjectSchema, signal ? { signal } : {});
        if (!data.owner) continue;
        this.ownerKind = kind;
        if (!data.owner.projectV2) throw new DevOpsError('notFound', `GitHub: ${login} has no Project number ${number} (or the token cannot see it; reading projects needs the \`read:project\` scope).`);
        return data.owner.projectV2;
      } catch (error) {
        if (!(isDevOpsError(error) && error.code === 'notFound' && /resolve to an? (Organization|User)\b/i.test(error.message))) throw error;
        last = error;
      }
    }
    throw last ?? new DevOpsError('notFound', `GitHub has no organization or user named ${login}.`);
  }

  private layoutOf(projectId: string, fields: readonly (ProjectFieldNode | null)[]): { layout: Layout; iterations: { all: ProjectIteration[]; completed: Set<string> } } {
    const list = fields.filter((f): f is ProjectFieldNode => f !== null && typeof f.id === 'string' && typeof f.name === 'string');
    const iterationFields = list.filter((f) => f.__typename === 'ProjectV2IterationField' && f.configuration);
    const iteration = iterationFields.find((f) => ITERATION_NAMES.test(f.name!)) ?? iterationFields[0];
    if (!iteration?.configuration) {
      throw new DevOpsError('notConfigured', `Project ${this.options.projectNumber} has no iteration field, so it has no sprints to plan: add one (the Project's settings > New field > Iteration) and plan again.`);
    }
    const estimate = list.find((f) => f.dataType === 'NUMBER' && ESTIMATE_NAMES.test(f.name!));
    const priority = list.find((f) => f.__typename === 'ProjectV2SingleSelectField' && /^priority$/i.test(f.name!));
    const status = list.find((f) => f.__typename === 'ProjectV2SingleSelectField' && /^status$/i.test(f.name!));
    const due = list.find((f) => f.dataType === 'DATE' && DUE_NAMES.test(f.name!));
    const config = iteration.configuration;
    return {
      layout: {
        projectId,
        iterationField: { id: iteration.id!, name: iteration.name! },
        ...(estimate ? { estimateField: { id: estimate.id!, name: estimate.name! } } : {}),
        ...(priority ? { priorityField: { id: priority.id!, options: (priority.options ?? []).map((o) => o.name) } } : {}),
        ...(status ? { statusField: { id: status.id! } } : {}),
        ...(due ? { dueField: { id: due.id! } } : {}),
      },
      iterations: { all: [...config.completedIterations, ...config.iterations], completed: new Set(config.completedIterations.map((i) => i.id)) },
    };
  }

  async snapshot(signal?: AbortSignal): Promise<SprintSnapshot> {
    const number = this.projectNumber();
    const first = await this.page(number, null, true, signal);
    const { layout, iterations } = this.layoutOf(first.id, first.fields?.nodes ?? []);
    this.layout = layout;
    const today = dayOf(this.now.toISOString());
    const infos: IterationInfo[] = iterations.all
      .map((i): IterationInfo => {
        const start = dayOf(i.startDate);
        const finish = start + (i.duration - 1) * DAY;
        const timeFrame = iterations.completed.has(i.id) ? 'past' : start <= today && today <= finish ? 'current' : today > finish ? 'past' : 'future';
        return { id: i.id, name: i.title, path: i.id, start: isoDay(start), finish: isoDay(finish), timeFrame };
      })
      .sort((a, b) => dayOf(a.start!) - dayOf(b.start!));

    const rows: BacklogRow[] = [];
    this.items.clear();
    let rank = 0;
    let ignored = 0;
    for (let page = first; ; ) {
      for (const node of page.items.nodes ?? []) {
        rank++;
        if (!node || node.isArchived || !isIssueContent(node.content)) continue;
        const issue = node.content;
        if (issue.repository.nameWithOwner.toLowerCase() !== this.repository.toLowerCase()) {
          ignored++;
          continue;
        }
        const values = new Map((node.fieldValues?.nodes ?? []).flatMap((v) => (v?.field?.id ? [[v.field.id, v] as const] : [])));
        const iterationValue = values.get(layout.iterationField.id);
        const iterationId = iterationValue?.iterationId;
        this.items.set(issue.number, { itemId: node.id, iteration: iterationValue?.title ?? null });
        // Epics and features: their sub-issues carry the work (and the estimates).
        if ((issue.subIssuesSummary?.total ?? 0) > 0) continue;
        const reason = (issue.stateReason ?? '').toUpperCase();
        if (issue.state === 'CLOSED' && (reason === 'NOT_PLANNED' || reason === 'DUPLICATE')) continue;
        const status = layout.statusField ? (values.get(layout.statusField.id)?.name ?? undefined) : undefined;
        const labels = (issue.labels?.nodes ?? []).flatMap((l) => (l ? [l.name] : []));
        const estimate = layout.estimateField ? values.get(layout.estimateField.id)?.number : undefined;
        const priorityName = layout.priorityField ? values.get(layout.priorityField.id)?.name : undefined;
        const priority = priorityName ? layout.priorityField!.options.indexOf(priorityName) + 1 : 0;
        const due = layout.dueField ? values.get(layout.dueField.id)?.date : undefined;
        const assignee = (issue.assignees?.nodes ?? []).find((a) => a !== null)?.login;
        const category: StateCategory = issue.state === 'CLOSED' ? 'Completed' : categoryOf(status);
        const blockedLabel = labels.some((l) => BLOCKED.test(l));
        if (blockedLabel) this.labelBlocked.add(issue.number);
        else this.labelBlocked.delete(issue.number);
        rows.push({
          id: issue.number,
          type: 'Issue',
          title: issue.title,
          state: status ?? (issue.state === 'CLOSED' ? 'Closed' : 'Open'),
          category,
          level: 'requirement',
          blocked: blockedLabel || /^blocked$/i.test(status ?? ''),
          rank,
          ...(typeof estimate === 'number' ? { estimate } : {}),
          ...(priority > 0 ? { priority } : {}),
          ...(assignee ? { assignedTo: assignee } : {}),
          ...(iterationId ? { iterationPath: iterationId } : {}),
          ...(issue.parent ? { parentId: issue.parent.number } : {}),
          changedAt: issue.updatedAt,
          ...(issue.closedAt ? { closedAt: issue.closedAt } : {}),
          ...(due ? { dueAt: due } : {}),
          url: issue.url,
        });
      }
      if (!page.items.pageInfo.hasNextPage) break;
      const cursor = page.items.pageInfo.endCursor ?? null;
      if (!cursor) throw new DevOpsError('badResponse', `GitHub said Project ${number} has more items but gave no cursor.`);
      page = await this.page(number, cursor, false, signal);
    }
    return {
      where: this.where(),
      unit: layout.estimateField?.name ?? 'Estimate',
      iterations: infos,
      workingDays: GITHUB_WORKING_DAYS,
      rows,
      ...(ignored ? { notes: [`${ignored} item${ignored === 1 ? '' : 's'} of other repositories in Project ${number} ${ignored === 1 ? 'is' : 'are'} left out: planning reads ${this.repository}'s issues.`] } : {}),
    };
  }

  /**
   * When each blocked issue got its blocked label, from the issue's events (see
   * githubBlockedSince.ts). Issues blocked only by the Project's Status are left out: GitHub keeps
   * no history of Project field values, so the report says it cannot tell.
   */
  async blockedSince(rows: readonly BacklogRow[], signal?: AbortSignal): Promise<Map<number, string>> {
    const numbers = rows.filter((r) => r.blocked && this.labelBlocked.has(r.id)).map((r) => r.id);
    if (numbers.length === 0) return new Map();
    return labelBlockedSince(this.client, numbers, (name) => BLOCKED.test(name), signal);
  }

  /**
   * Each person of aiDevops.github.capacity: their estimate per whole iteration, spread over its
   * working days, so a person's days off take their share of it away.
   */
  async capacity(iteration: IterationInfo): Promise<IterationCapacity> {
    const days = iteration.start && iteration.finish ? workingDays(iteration.start, iteration.finish, GITHUB_WORKING_DAYS).length : 0;
    return {
      measure: 'estimate',
      teamDaysOff: [],
      members: this.options.capacity.map((c) => ({
        member: c.login,
        displayName: c.login,
        activities: [{ name: 'Estimate', perDay: days > 0 ? c.perIteration / days : 0 }],
        daysOff: c.daysOff.map((d) => ({ start: d.start, end: d.end })),
      })),
    };
  }

  /** Setting the issue's Project item's iteration field (updateProjectV2ItemFieldValue with the iteration's id). */
  move(id: number, iteration: IterationInfo): SprintMove {
    const item = this.items.get(id);
    const layout = this.layout;
    if (!item || !layout) throw new DevOpsError('notFound', `#${id} is not an item of Project ${this.options.projectNumber} (read the Project again).`);
    const payload: Record<string, OutboxJson> = {
      projectNumber: this.projectNumber(),
      projectId: layout.projectId,
      itemId: item.itemId,
      fieldId: layout.iterationField.id,
      fieldName: layout.iterationField.name,
      iterationId: iteration.id,
      iteration: iteration.name,
      from: item.iteration,
      number: id,
    };
    return { kind: 'project.iteration', payload };
  }
}
