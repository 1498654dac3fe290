import { type IWorkApi } from 'azure-devops-node-api/WorkApi';
import { z } from 'zod';
import { DevOpsError } from '../../core/errors';
import { azureLevelTypes, REMAINING_WORK } from '../../core/planning/levelTypes';
import { type BacklogRow, type IterationInfo } from '../../core/planning/sprint/backlog';
import { AZURE_BLOCKED_FIELD, azureBlockedSince, type FieldRevision } from '../../core/planning/sprint/blockedSince';
import { type DateRange, WEEKDAYS, type Weekday } from '../../core/planning/sprint/calendar';
import { type IterationCapacity, type PlannedMoment, type SprintBoards, type SprintMove, type SprintSnapshot } from '../../core/planning/sprint/sprintBoards';
import { BLOCKED_TAG, hasTag, parseTags } from '../../core/process';
import { type ProcessTemplate } from '../../core/process/templates';
import { badResponse } from '../boards/azureBoards/azureErrors';
import { type AzurePlanning } from './azurePlanning';
import { str, wiqlString } from './azureReads';

/**
 * Azure Boards for sprint planning: the team's iterations and working days (work/teamsettings),
 * each iteration's capacities and team days off, and the project's backlog items and tasks with
 * the fields planning reads, through the tracker's connection. The client turns dates into Date
 * objects and enums (days, time frames) into numbers; both forms are read.
 */
const DateLike = z.union([z.string(), z.date()]).transform((d) => (typeof d === 'string' ? d : d.toISOString()));
const TIME_FRAMES = ['past', 'current', 'future'] as const;
const IterationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    path: z.string(),
    attributes: z
      .object({ startDate: DateLike.nullish(), finishDate: DateLike.nullish(), timeFrame: z.union([z.enum(TIME_FRAMES), z.number().int().min(0).max(2)]).nullish() })
      .loose()
      .nullish(),
  })
  .loose();
const SettingsSchema = z.object({ workingDays: z.array(z.union([z.enum(WEEKDAYS), z.number().int().min(0).max(6)])).nullish() }).loose();
const RangeSchema = z.object({ start: DateLike, end: DateLike }).loose();
const CapacitySchema = z
  .object({
    teamMembers: z
      .array(
        z
          .object({
            teamMember: z.object({ displayName: z.string().nullish(), uniqueName: z.string().nullish(), id: z.string().nullish() }).loose(),
            activities: z.array(z.object({ name: z.string().nullish(), capacityPerDay: z.number().nullish() }).loose()).nullish(),
            daysOff: z.array(RangeSchema).nullish(),
          })
          .loose(),
      )
      .nullish(),
  })
  .loose();
const DaysOffSchema = z.object({ daysOff: z.array(RangeSchema).nullish() }).loose();

const BLOCKED_FIELD = AZURE_BLOCKED_FIELD;
const UPDATES_PAGE = 200;
const UpdatesSchema = z.array(
  z
    .object({
      revisedDate: DateLike.nullish(),
      fields: z.record(z.string(), z.object({ newValue: z.unknown().optional() }).loose()).nullish(),
    })
    .loose(),
);
/**
 * When an update was made: its System.ChangedDate (on the service an update's revisedDate is when
 * that revision was superseded, 9999-01-01 for the current one), else its revisedDate.
 */
const changedAt = (u: z.infer<typeof UpdatesSchema>[number]): string | undefined => {
  const changed = u.fields?.['System.ChangedDate']?.newValue;
  const at = dateText(changed) ?? u.revisedDate ?? undefined;
  return at && !at.startsWith('9999') ? at : undefined;
};
const FIELDS = [
  'System.Id',
  'System.WorkItemType',
  'System.Title',
  'System.State',
  'System.AssignedTo',
  'System.IterationPath',
  'System.Tags',
  'System.Parent',
  'System.ChangedDate',
  'Microsoft.VSTS.Common.Priority',
  'Microsoft.VSTS.Common.StackRank',
  'Microsoft.VSTS.Common.BacklogPriority',
  'Microsoft.VSTS.Common.ClosedDate',
  'Microsoft.VSTS.Scheduling.TargetDate',
  'Microsoft.VSTS.Scheduling.DueDate',
  REMAINING_WORK,
];

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const dateText = (v: unknown): string | undefined => (typeof v === 'string' ? v : v instanceof Date ? v.toISOString() : undefined);
/** An identity field as the batch read gives it: an IdentityRef, or a "Name <account>" string. */
const person = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v || undefined;
  if (v && typeof v === 'object') {
    const o = v as { displayName?: unknown; uniqueName?: unknown };
    if (typeof o.displayName === 'string' && typeof o.uniqueName === 'string') return `${o.displayName} <${o.uniqueName}>`;
    if (typeof o.displayName === 'string') return o.displayName;
  }
  return undefined;
};

/** The backlog-level types velocity and sprint planning count: requirements, and bugs when the team keeps them there. */
function backlogTypes(template: ProcessTemplate, bugsBehavior: string | undefined): ProcessTemplate['types'][number][] {
  const bugsOnBacklog = (bugsBehavior ?? template.defaultBugsBehavior) === 'asRequirements';
  return template.types.filter((t) => t.level === 'requirement' && (!t.isBug || bugsOnBacklog));
}

export class AzureSprints implements SprintBoards {
  readonly tracker = 'azureBoards' as const;

  constructor(private readonly planning: AzurePlanning) {}

  private get connection() {
    return this.planning.connection;
  }

  private get team() {
    const { project, team } = this.connection.endpoint;
    return { project, team };
  }

  where(): string {
    return this.planning.where();
  }

  reference(id: number): string {
    return `AB#${id}`;
  }

  move(id: number, iteration: IterationInfo): SprintMove {
    return { kind: 'workItem.iteration', payload: { tracker: 'azureBoards', id, iterationPath: iteration.path } };
  }

  private async read<T>(what: string, schema: z.ZodType<T>, call: (work: IWorkApi) => Promise<unknown>, signal?: AbortSignal): Promise<T> {
    const result = await this.connection.call(what, async (api) => call(await api.work()), { idempotent: true, signal });
    const parsed = schema.safeParse(result);
    if (!parsed.success || result === null || result === undefined) throw badResponse(what, parsed.success ? 'no answer' : (parsed.error.issues[0]?.message ?? 'unexpected shape'));
    return parsed.data;
  }

  private async template(signal?: AbortSignal): Promise<ProcessTemplate> {
    const target = await this.planning.target(signal);
    if (target.tracker !== 'azureBoards') throw new DevOpsError('notConfigured', 'Azure Boards is not connected.');
    return target.template;
  }

  async snapshot(signal?: AbortSignal): Promise<SprintSnapshot> {
    const template = await this.template(signal);
    const info = await this.planning.projectInfo(signal);
    const levels = azureLevelTypes(template);
    const unitField = levels.story.estimateFields[0];
    const requirementTypes = backlogTypes(template, info.bugsBehavior);
    const taskTypes = template.types.filter((t) => t.level === 'task' && !t.isBug);
    const typeOf = new Map([...requirementTypes, ...taskTypes].map((t) => [t.name.toLowerCase(), t]));

    const [iterationsRaw, settings] = await Promise.all([
      this.read('reading the team\'s iterations', z.array(IterationSchema), (work) => work.getTeamIterations(this.team), signal),
      this.read('reading the team settings', SettingsSchema, (work) => work.getTeamSettings(this.team), signal),
    ]);
    const iterations: IterationInfo[] = iterationsRaw.map((i) => {
      const tf = i.attributes?.timeFrame;
      return {
        id: i.id,
        name: i.name,
        // The iteration API writes `Project\Sprint 1`; System.IterationPath holds the same.
        path: i.path.replace(/^\\+/, ''),
        ...(i.attributes?.startDate ? { start: i.attributes.startDate } : {}),
        ...(i.attributes?.finishDate ? { finish: i.attributes.finishDate } : {}),
        timeFrame: typeof tf === 'number' ? TIME_FRAMES[tf]! : (tf ?? 'future'),
      };
    });
    const workingDays: Weekday[] = (settings.workingDays ?? ['monday', 'tuesday', 'wednesday', 'thursday', 'friday']).map((d) => (typeof d === 'number' ? WEEKDAYS[d]! : d));

    const types = [...typeOf.values()].map((t) => wiqlString(t.name)).join(', ');
    const ids = await this.planning.reads.ids(
      `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.WorkItemType] IN (${types}) AND [System.State] <> 'Removed'`,
      'reading the backlog',
      signal,
    );
    const fields = [...new Set([...FIELDS, ...(unitField ? [unitField] : []), ...(template.types.some((t) => t.blockedField) ? [BLOCKED_FIELD] : [])])];
    const raw = await this.planning.reads.fields(ids, fields, 'reading the backlog', signal);
    const rows: BacklogRow[] = [];
    for (const r of raw) {
      const f = r.fields;
      const type = typeOf.get((str(f['System.WorkItemType']) ?? '').toLowerCase());
      if (!type) continue;
      const state = str(f['System.State']) ?? '';
      const category = type.states.find((s) => s.name.toLowerCase() === state.toLowerCase())?.category ?? 'Proposed';
      if (category === 'Removed') continue;
      const level = type.level === 'task' ? 'task' : 'requirement';
      const estimate = level === 'requirement' && unitField ? num(f[unitField]) : undefined;
      const remainingWork = level === 'task' ? num(f[REMAINING_WORK]) : undefined;
      const priority = num(f['Microsoft.VSTS.Common.Priority']);
      const rank = num(f['Microsoft.VSTS.Common.StackRank']) ?? num(f['Microsoft.VSTS.Common.BacklogPriority']);
      const assignedTo = person(f['System.AssignedTo']);
      const iterationPath = str(f['System.IterationPath']);
      const parentId = num(f['System.Parent']);
      const changedAt = dateText(f['System.ChangedDate']);
      const closedAt = dateText(f['Microsoft.VSTS.Common.ClosedDate']);
      const dueAt = dateText(f['Microsoft.VSTS.Scheduling.TargetDate']) ?? dateText(f['Microsoft.VSTS.Scheduling.DueDate']);
      rows.push({
        id: r.id,
        type: type.name,
        title: str(f['System.Title']) ?? '',
        state,
        category,
        level,
        blocked: hasTag(parseTags(str(f['System.Tags'])), BLOCKED_TAG) || str(f[BLOCKED_FIELD]) === 'Yes',
        ...(estimate !== undefined ? { estimate } : {}),
        ...(remainingWork !== undefined ? { remainingWork } : {}),
        ...(priority !== undefined ? { priority } : {}),
        ...(rank !== undefined ? { rank } : {}),
        ...(assignedTo ? { assignedTo } : {}),
        ...(iterationPath ? { iterationPath } : {}),
        ...(parentId !== undefined ? { parentId } : {}),
        ...(changedAt ? { changedAt } : {}),
        ...(closedAt ? { closedAt } : {}),
        ...(dueAt ? { dueAt } : {}),
        url: `${this.connection.endpoint.organizationUrl.replace(/\/+$/, '')}/${encodeURIComponent(this.connection.endpoint.project)}/_workitems/edit/${r.id}`,
      });
    }
    return { where: this.where(), unit: levels.story.estimateName, iterations, workingDays, rows };
  }

  /**
   * Each iteration's planned work: one WIQL query ASOF the moment for the backlog-level items then
   * in the iteration, and their type, state and estimate as they stood then (workitemsbatch asOf),
   * so an item re-estimated or moved out later counts as it was planned.
   */
  async planned(moments: readonly PlannedMoment[], signal?: AbortSignal): Promise<Map<string, number>> {
    const template = await this.template(signal);
    const info = await this.planning.projectInfo(signal);
    const unitField = azureLevelTypes(template).story.estimateFields[0];
    const typeOf = new Map(backlogTypes(template, info.bugsBehavior).map((t) => [t.name.toLowerCase(), t]));
    const types = [...typeOf.values()].map((t) => wiqlString(t.name)).join(', ');
    // The iterations are read side by side; the connection's bulkhead keeps the service's limits.
    const planned = await Promise.all(
      moments.map(async ({ iteration, at }): Promise<[string, number]> => {
        const what = `reading what ${iteration.name} planned at its start`;
        const ids = await this.planning.reads.ids(
          `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.WorkItemType] IN (${types}) AND [System.IterationPath] = ${wiqlString(iteration.path)} ASOF ${wiqlString(at.toISOString())}`,
          what,
          signal,
        );
        if (ids.length === 0) return [iteration.id, 0];
        const rows = await this.planning.reads.fields(ids, ['System.WorkItemType', 'System.State', ...(unitField ? [unitField] : [])], what, signal, at);
        let sum = 0;
        for (const r of rows) {
          const type = typeOf.get((str(r.fields['System.WorkItemType']) ?? '').toLowerCase());
          const state = str(r.fields['System.State']) ?? '';
          if (!type || type.states.find((s) => s.name.toLowerCase() === state.toLowerCase())?.category === 'Removed') continue;
          if (unitField) sum += num(r.fields[unitField]) ?? 0;
        }
        return [iteration.id, sum];
      }),
    );
    return new Map(planned);
  }

  /**
   * When each blocked item became blocked: its updates (200 a page, the service's page) walked
   * oldest first for the revision that set the Blocked tag or field after it last was clear.
   */
  async blockedSince(rows: readonly BacklogRow[], signal?: AbortSignal): Promise<Map<number, string>> {
    const { project } = this.connection.endpoint;
    const found = await Promise.all(
      rows.map(async (row): Promise<[number, string | undefined]> => {
        const what = `reading when ${this.reference(row.id)} was blocked`;
        const revisions: FieldRevision[] = [];
        for (let skip = 0; ; skip += UPDATES_PAGE) {
          const page = await this.connection.call(what, async (api) => (await api.wit()).getUpdates(row.id, UPDATES_PAGE, skip, project), { idempotent: true, signal });
          const parsed = UpdatesSchema.safeParse(page);
          if (!parsed.success) throw badResponse(what, parsed.error.issues[0]?.message ?? 'unexpected shape');
          for (const u of parsed.data) {
            const at = changedAt(u);
            if (at && u.fields) revisions.push({ at, fields: u.fields });
          }
          if (parsed.data.length < UPDATES_PAGE) break;
        }
        return [row.id, azureBlockedSince(revisions)];
      }),
    );
    return new Map(found.flatMap(([id, at]) => (at ? [[id, at] as [number, string]] : [])));
  }

  async capacity(iteration: IterationInfo, signal?: AbortSignal): Promise<IterationCapacity> {
    const [capacities, daysOff] = await Promise.all([
      this.read(`reading the capacity of ${iteration.name}`, CapacitySchema, (work) => work.getCapacitiesWithIdentityRefAndTotals(this.team, iteration.id), signal),
      this.read(`reading the team days off of ${iteration.name}`, DaysOffSchema, (work) => work.getTeamDaysOff(this.team, iteration.id), signal),
    ]);
    const range = (d: { start: string; end: string }): DateRange => ({ start: d.start, end: d.end });
    return {
      teamDaysOff: (daysOff.daysOff ?? []).map(range),
      members: (capacities.teamMembers ?? []).map((m) => ({
        member: m.teamMember.uniqueName ?? m.teamMember.displayName ?? m.teamMember.id ?? '',
        displayName: m.teamMember.displayName ?? m.teamMember.uniqueName ?? '',
        activities: (m.activities ?? []).map((a) => ({ name: a.name ?? '', perDay: a.capacityPerDay ?? 0 })),
        daysOff: (m.daysOff ?? []).map(range),
      })),
    };
  }
}
