import { type FieldRecord, type OptionRecord, type ProjectRecord } from '../state/model';
import { optionIdFor, parseNodeId } from '../state/nodeIds';
import { forbiddenError, notFoundError, unprocessableError } from './errors';
import { GField, GProject, GRepo, type GqlContext } from './objects';

/**
 * The Projects (v2) setup mutations: createProjectV2 (with GitHub's default fields, linked to a
 * repository when one is named), linkProjectV2ToRepository, createProjectV2Field and
 * updateProjectV2Field. updateProjectV2Field's singleSelectOptions replace the field's options
 * ("they will overwrite the existing options"): every option gets a new id and every item's value
 * of that field is cleared, as GitHub's API does (community discussion 198803).
 */

type Color = OptionRecord['color'];
interface OptionInput {
  readonly name: string;
  readonly color: Color;
  readonly description: string;
}
interface IterationInput {
  readonly startDate: string;
  readonly duration: number;
  readonly iterations: readonly { readonly title: string; readonly startDate: string; readonly duration: number }[];
}

/** The fields a new project starts with on GitHub that the stand-in serves, Status with its three options. */
const DEFAULT_STATUS: readonly OptionInput[] = [
  { name: 'Todo', color: 'GREEN', description: 'This item hasn\'t been started' },
  { name: 'In Progress', color: 'YELLOW', description: 'This is actively being worked on' },
  { name: 'Done', color: 'PURPLE', description: 'This has been completed' },
];

function nodeOf<T>(ctx: GqlContext, id: string, resolve: (kind: string, n: number) => T | undefined, what: string): T {
  const parsed = parseNodeId(id);
  const found = parsed ? resolve(parsed.kind, Number(parsed.id)) : undefined;
  if (!found) throw notFoundError(`Could not resolve to ${what} node with the global id of '${id}'`);
  return found;
}

const projectOf = (ctx: GqlContext, id: string): ProjectRecord => nodeOf(ctx, id, (kind, n) => (kind === 'ProjectV2' ? ctx.state.projectById(n) : undefined), 'ProjectV2');

function options(ctx: GqlContext, project: ProjectRecord, fieldName: string, list: readonly OptionInput[]): OptionRecord[] {
  const names = new Set<string>();
  return list.map((o) => {
    if (o.name.trim() === '') throw unprocessableError('Single select options must have a name');
    if (names.has(o.name)) throw unprocessableError(`Single select options must be unique: ${o.name} is repeated`);
    names.add(o.name);
    // A new id each time options are (re)made: GitHub does not keep option ids across a replacement.
    return { id: optionIdFor(project.id, `${fieldName}:${o.name}:${ctx.state.nextId()}`), name: o.name, color: o.color, description: o.description };
  });
}

const DAY_MS = 86_400_000;
const isDay = (d: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));

function iterationConfig(ctx: GqlContext, project: ProjectRecord, input: IterationInput | null | undefined, now: string): NonNullable<FieldRecord['iteration']> {
  // Without a configuration GitHub starts three two-week iterations from today.
  const start = input?.startDate ?? now.slice(0, 10);
  const duration = input?.duration ?? 14;
  if (!isDay(start)) throw unprocessableError('Start date is not a valid date');
  if (duration < 1 || duration > 100) throw unprocessableError('Duration must be between 1 and 100 days');
  const wanted = input
    ? input.iterations
    : [0, 1, 2].map((i) => ({ title: `Iteration ${i + 1}`, startDate: new Date(Date.parse(`${start}T00:00:00Z`) + i * duration * DAY_MS).toISOString().slice(0, 10), duration }));
  const iterations = wanted.map((i) => {
    if (i.title.trim() === '') throw unprocessableError('Iteration title can\'t be blank');
    if (!isDay(i.startDate)) throw unprocessableError(`Iteration ${i.title} has no valid start date`);
    if (i.duration < 1 || i.duration > 100) throw unprocessableError(`Iteration ${i.title}: duration must be between 1 and 100 days`);
    return { id: optionIdFor(project.id, `iteration:${i.title}:${ctx.state.nextId()}`), title: i.title, startDate: i.startDate, duration: i.duration };
  });
  return { startDay: new Date(`${start}T00:00:00Z`).getUTCDay(), duration, iterations: iterations.sort((a, b) => a.startDate.localeCompare(b.startDate)) };
}

export function projectSetupMutations(ctx: GqlContext) {
  const { state } = ctx;
  const touch = (project: ProjectRecord): void => {
    project.updatedAt = state.nowIso();
    state.changed();
  };
  const repoOf = (id: string) => nodeOf(ctx, id, (kind, n) => (kind === 'Repository' ? state.repoById(n) : undefined), 'Repository');

  return {
    createProjectV2: (args: { input: { ownerId: string; title: string; repositoryId?: string | null; teamId?: string | null; clientMutationId?: string | null } }) => {
      const { input } = args;
      const owner = nodeOf(ctx, input.ownerId, (kind, n) => (kind === 'User' || kind === 'Organization' ? state.userById(n) : undefined), 'ProjectV2Owner');
      if (owner.type === 'User' && owner.login !== ctx.login) throw forbiddenError(`${ctx.login} cannot create projects for ${owner.login}.`);
      if (input.title.trim() === '') throw unprocessableError("Title can't be blank");
      const repo = input.repositoryId ? repoOf(input.repositoryId) : undefined;
      if (repo && repo.owner.toLowerCase() !== owner.login.toLowerCase()) throw unprocessableError('A project can only be linked to a repository of the same owner');
      const now = state.nowIso();
      const number = state.doc.projects.filter((p) => p.owner.toLowerCase() === owner.login.toLowerCase()).reduce((max, p) => Math.max(max, p.number), 0) + 1;
      const project: ProjectRecord = { id: state.nextId(), number, owner: owner.login, title: input.title, shortDescription: null, public: false, closed: false, creator: ctx.login, createdAt: now, updatedAt: now, fields: [], items: [], repositories: repo ? [repo.id] : [] };
      const field = (name: string, dataType: FieldRecord['dataType'], opts: readonly OptionInput[] = []): FieldRecord => ({ id: state.nextId(), name, dataType, options: options(ctx, project, name, opts), createdAt: now });
      project.fields = [field('Title', 'TITLE'), field('Assignees', 'ASSIGNEES'), field('Status', 'SINGLE_SELECT', DEFAULT_STATUS), field('Labels', 'LABELS'), field('Repository', 'REPOSITORY')];
      state.doc.projects.push(project);
      state.changed();
      return { clientMutationId: input.clientMutationId ?? null, projectV2: new GProject(ctx, project) };
    },
    linkProjectV2ToRepository: (args: { input: { projectId: string; repositoryId: string; clientMutationId?: string | null } }) => {
      const { input } = args;
      const project = projectOf(ctx, input.projectId);
      const repo = repoOf(input.repositoryId);
      if (repo.owner.toLowerCase() !== project.owner.toLowerCase()) throw unprocessableError('A project can only be linked to a repository of the same owner');
      const linked = (project.repositories ??= []);
      if (!linked.includes(repo.id)) {
        linked.push(repo.id);
        touch(project);
      }
      return { clientMutationId: input.clientMutationId ?? null, repository: new GRepo(ctx, repo) };
    },
    createProjectV2Field: (args: { input: { projectId: string; dataType: string; name: string; singleSelectOptions?: readonly OptionInput[] | null; iterationConfiguration?: IterationInput | null; clientMutationId?: string | null } }) => {
      const { input } = args;
      const project = projectOf(ctx, input.projectId);
      const name = input.name.trim();
      if (name === '') throw unprocessableError("Name can't be blank");
      if (project.fields.some((f) => f.name.toLowerCase() === name.toLowerCase())) throw unprocessableError('Name has already been taken');
      const dataType = input.dataType as FieldRecord['dataType'];
      if (dataType === 'SINGLE_SELECT' && !input.singleSelectOptions?.length) throw unprocessableError('Single select fields must have at least one option');
      const field: FieldRecord = {
        id: state.nextId(),
        name,
        dataType,
        options: dataType === 'SINGLE_SELECT' ? options(ctx, project, name, input.singleSelectOptions ?? []) : [],
        ...(dataType === 'ITERATION' ? { iteration: iterationConfig(ctx, project, input.iterationConfiguration, state.nowIso()) } : {}),
        createdAt: state.nowIso(),
      };
      project.fields.push(field);
      touch(project);
      return { clientMutationId: input.clientMutationId ?? null, projectV2Field: new GField(ctx, project, field) };
    },
    updateProjectV2Field: (args: { input: { fieldId: string; name?: string | null; singleSelectOptions?: readonly OptionInput[] | null; iterationConfiguration?: IterationInput | null; clientMutationId?: string | null } }) => {
      const { input } = args;
      const found = nodeOf(ctx, input.fieldId, (kind, n) => (kind.startsWith('ProjectV2') && kind.endsWith('Field') ? state.doc.projects.flatMap((p) => p.fields.map((f) => ({ p, f }))).find((x) => x.f.id === n) : undefined), 'ProjectV2Field');
      const { p: project, f: field } = found;
      if (['TITLE', 'ASSIGNEES', 'LABELS', 'REPOSITORY'].includes(field.dataType) && input.name) throw unprocessableError(`The ${field.name} field cannot be renamed`);
      if (input.name) {
        const name = input.name.trim();
        if (project.fields.some((f) => f !== field && f.name.toLowerCase() === name.toLowerCase())) throw unprocessableError('Name has already been taken');
        field.name = name;
      }
      if (input.singleSelectOptions) {
        if (field.dataType !== 'SINGLE_SELECT') throw unprocessableError('Options can only be set on a single select field');
        if (input.singleSelectOptions.length === 0) throw unprocessableError('Single select fields must have at least one option');
        field.options = options(ctx, project, field.name, input.singleSelectOptions);
        for (const item of project.items) delete item.values[String(field.id)];
      }
      if (input.iterationConfiguration) {
        if (field.dataType !== 'ITERATION') throw unprocessableError('An iteration configuration can only be set on an iteration field');
        field.iteration = iterationConfig(ctx, project, input.iterationConfiguration, state.nowIso());
        const kept = new Set(field.iteration.iterations.map((i) => i.id));
        for (const item of project.items) {
          const v = item.values[String(field.id)];
          if (v && 'iterationId' in v && !kept.has(v.iterationId)) delete item.values[String(field.id)];
        }
      }
      touch(project);
      return { clientMutationId: input.clientMutationId ?? null, projectV2Field: new GField(ctx, project, field) };
    },
  };
}
