import { type ItemRecord, type ProjectRecord } from '../state/model';
import { parseNodeId } from '../state/nodeIds';
import { notFoundError, unprocessableError } from './errors';
import { projectSetupMutations } from './projectSetup';
import { actor, GDraft, GField, GIssue, GItem, GLabel, GProject, GRepo, GUser, type GqlContext } from './objects';

export interface RateInfo {
  readonly cost: number;
  readonly nodeCount: number;
}

/** The object a node id stands for, or undefined (the caller says NOT_FOUND as GitHub does). */
export function resolveNode(ctx: GqlContext, id: string): object | undefined {
  const parsed = parseNodeId(id);
  if (!parsed) return undefined;
  const n = Number(parsed.id);
  const { state } = ctx;
  switch (parsed.kind) {
    case 'User':
    case 'Organization': {
      const u = state.userById(n);
      return u && u.type === parsed.kind ? new GUser(ctx, u) : undefined;
    }
    case 'Repository': {
      const r = state.repoById(n);
      return r ? new GRepo(ctx, r) : undefined;
    }
    case 'Issue':
    case 'PullRequest': {
      const found = state.issueById(n);
      return found && !!found.issue.pull === (parsed.kind === 'PullRequest') ? new GIssue(ctx, found.repo, found.issue) : undefined;
    }
    case 'ProjectV2': {
      const p = state.projectById(n);
      return p ? new GProject(ctx, p) : undefined;
    }
    case 'ProjectV2Item': {
      for (const p of state.doc.projects) {
        const it = p.items.find((i) => i.id === n);
        if (it) return new GItem(ctx, p, it);
      }
      return undefined;
    }
    case 'ProjectV2Field':
    case 'ProjectV2SingleSelectField':
    case 'ProjectV2IterationField': {
      for (const p of state.doc.projects) {
        const f = p.fields.find((x) => x.id === n);
        if (f) return new GField(ctx, p, f);
      }
      return undefined;
    }
    case 'DraftIssue': {
      for (const p of state.doc.projects) {
        const it = p.items.find((i) => i.draft?.id === n);
        if (it) return new GDraft(ctx, it);
      }
      return undefined;
    }
    case 'Label': {
      for (const r of state.doc.repos) {
        const l = r.labels.find((x) => x.id === n);
        if (l) return new GLabel(ctx, r, l);
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function nodeOf<T>(ctx: GqlContext, id: string, type: new (...args: never[]) => T, typeName: string): T {
  const node = resolveNode(ctx, id);
  if (!node) throw notFoundError(`Could not resolve to a node with the global id of '${id}'`);
  if (!(node instanceof type)) throw notFoundError(`Could not resolve to ${typeName} node with the global id of '${id}'`);
  return node;
}

function itemIn(ctx: GqlContext, project: ProjectRecord, itemId: string): ItemRecord {
  const item = nodeOf(ctx, itemId, GItem, 'ProjectV2Item');
  if (item.proj !== project) throw notFoundError(`Could not resolve to a node with the global id of '${itemId}'`);
  return item.record;
}

/** An archived item keeps its values until it is restored, as on GitHub. */
function editable(item: ItemRecord): ItemRecord {
  if (item.archived) throw unprocessableError('The item is archived and cannot be updated');
  return item;
}

function touch(ctx: GqlContext, project: ProjectRecord, item?: ItemRecord): void {
  const now = ctx.state.nowIso();
  project.updatedAt = now;
  if (item) item.updatedAt = now;
  ctx.state.changed();
}

interface FieldValueInput {
  readonly text?: string | null;
  readonly number?: number | null;
  readonly date?: string | null;
  readonly singleSelectOptionId?: string | null;
  readonly iterationId?: string | null;
}

/** Query fields GitHub's Query type has that the stand-in answers. */
export function queryRoot(ctx: GqlContext, rate: () => RateInfo & { limit: number; remaining: number; used: number; resetAt: string }) {
  return {
    viewer: () => actor(ctx, ctx.login),
    user: (args: { login: string }) => {
      const u = ctx.state.user(args.login);
      if (!u || u.type !== 'User') throw notFoundError(`Could not resolve to a User with the login of '${args.login}'.`);
      return new GUser(ctx, u);
    },
    organization: (args: { login: string }) => {
      const u = ctx.state.user(args.login);
      if (!u || u.type !== 'Organization') throw notFoundError(`Could not resolve to an Organization with the login of '${args.login}'.`);
      return new GUser(ctx, u);
    },
    repositoryOwner: (args: { login: string }) => {
      const u = ctx.state.user(args.login);
      return u ? new GUser(ctx, u) : null;
    },
    repository: (args: { owner: string; name: string }) => {
      const r = ctx.state.repo(args.owner, args.name);
      if (!r) throw notFoundError(`Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
      return new GRepo(ctx, r);
    },
    node: (args: { id: string }) => {
      const n = resolveNode(ctx, args.id);
      if (!n) throw notFoundError(`Could not resolve to a node with the global id of '${args.id}'`);
      return n;
    },
    nodes: (args: { ids: readonly string[] }) => args.ids.map((id) => resolveNode(ctx, id) ?? null),
    rateLimit: () => ({ __typename: 'RateLimit', ...rate() }),
  };
}

/** The Projects (v2) mutations the stand-in serves. */
export function mutationRoot(ctx: GqlContext) {
  return {
    ...projectSetupMutations(ctx),
    addProjectV2ItemById: (args: { input: { projectId: string; contentId: string; clientMutationId?: string | null } }) => {
      const { input } = args;
      const project = nodeOf(ctx, input.projectId, GProject, 'ProjectV2').record;
      const content = nodeOf(ctx, input.contentId, GIssue, 'Issue or PullRequest');
      // Adding content that is already on the board answers the existing item, as GitHub does.
      let item = project.items.find((i) => i.repoId === content.repo.id && i.number === content.record.number);
      if (!item) {
        const now = ctx.state.nowIso();
        item = { id: ctx.state.nextId(), contentType: content.record.pull ? 'PULL_REQUEST' : 'ISSUE', repoId: content.repo.id, number: content.record.number, draft: null, values: {}, archived: false, creator: ctx.login, createdAt: now, updatedAt: now };
        project.items.push(item);
        touch(ctx, project);
      }
      return { clientMutationId: input.clientMutationId ?? null, item: new GItem(ctx, project, item) };
    },
    addProjectV2DraftIssue: (args: { input: { projectId: string; title: string; body?: string | null; assigneeIds?: readonly string[] | null; clientMutationId?: string | null } }) => {
      const { input } = args;
      const project = nodeOf(ctx, input.projectId, GProject, 'ProjectV2').record;
      if (input.title.trim() === '') throw unprocessableError("Title can't be blank");
      const assignees = (input.assigneeIds ?? []).map((id) => nodeOf(ctx, id, GUser, 'User').login);
      const now = ctx.state.nowIso();
      const item: ItemRecord = {
        id: ctx.state.nextId(),
        contentType: 'DRAFT_ISSUE',
        repoId: null,
        number: null,
        draft: { id: ctx.state.nextId(), title: input.title, body: input.body ?? '', assignees, creator: ctx.login },
        values: {},
        archived: false,
        creator: ctx.login,
        createdAt: now,
        updatedAt: now,
      };
      project.items.push(item);
      touch(ctx, project);
      return { clientMutationId: input.clientMutationId ?? null, projectItem: new GItem(ctx, project, item) };
    },
    updateProjectV2DraftIssue: (args: { input: { draftIssueId: string; title?: string | null; body?: string | null; assigneeIds?: readonly string[] | null; clientMutationId?: string | null } }) => {
      const { input } = args;
      const draft = nodeOf(ctx, input.draftIssueId, GDraft, 'DraftIssue');
      const record = draft.item.draft!;
      if (input.title !== undefined && input.title !== null) {
        if (input.title.trim() === '') throw unprocessableError("Title can't be blank");
        record.title = input.title;
      }
      if (input.body !== undefined && input.body !== null) record.body = input.body;
      if (input.assigneeIds) record.assignees = input.assigneeIds.map((id) => nodeOf(ctx, id, GUser, 'User').login);
      const project = ctx.state.doc.projects.find((p) => p.items.includes(draft.item))!;
      touch(ctx, project, draft.item);
      return { clientMutationId: input.clientMutationId ?? null, draftIssue: draft };
    },
    updateProjectV2ItemFieldValue: (args: { input: { projectId: string; itemId: string; fieldId: string; value: FieldValueInput; clientMutationId?: string | null } }) => {
      const { input } = args;
      const project = nodeOf(ctx, input.projectId, GProject, 'ProjectV2').record;
      const item = editable(itemIn(ctx, project, input.itemId));
      const field = nodeOf(ctx, input.fieldId, GField, 'ProjectV2Field').record;
      if (!project.fields.includes(field)) throw notFoundError(`Could not resolve to a node with the global id of '${input.fieldId}'`);
      const v = input.value;
      const kind = field.dataType.toLowerCase();
      const need = (what: string) => unprocessableError(`Did not receive ${what} to update a field of type ${kind}`);
      const key = String(field.id);
      switch (field.dataType) {
        case 'SINGLE_SELECT': {
          if (typeof v.singleSelectOptionId !== 'string') throw need('a single select option Id');
          if (!field.options.some((o) => o.id === v.singleSelectOptionId)) throw unprocessableError('The single select option Id does not belong to the field');
          item.values[key] = { optionId: v.singleSelectOptionId };
          break;
        }
        case 'NUMBER':
          if (typeof v.number !== 'number') throw need('a number value');
          item.values[key] = { number: v.number };
          break;
        case 'DATE':
          if (typeof v.date !== 'string' || Number.isNaN(Date.parse(v.date))) throw need('a date value');
          item.values[key] = { date: new Date(v.date).toISOString().slice(0, 10) };
          break;
        case 'TEXT':
          if (typeof v.text !== 'string') throw need('a text value');
          item.values[key] = { text: v.text };
          break;
        case 'ITERATION':
          if (typeof v.iterationId !== 'string') throw need('an iteration Id');
          // Completed iterations can still be set, as on GitHub (moving work into a past sprint).
          if (!field.iteration?.iterations.some((i) => i.id === v.iterationId)) throw unprocessableError('The iteration Id does not belong to the field');
          item.values[key] = { iterationId: v.iterationId };
          break;
        case 'TITLE': {
          if (typeof v.text !== 'string') throw need('a text value');
          if (v.text.trim() === '') throw unprocessableError("Title can't be blank");
          const content = new GItem(ctx, project, item).content;
          if (content instanceof GDraft) item.draft!.title = v.text;
          else if (content instanceof GIssue) {
            content.record.title = v.text;
            content.record.updatedAt = ctx.state.nowIso();
          }
          break;
        }
        default:
          throw unprocessableError(`The field of type ${kind} is currently not supported`);
      }
      touch(ctx, project, item);
      return { clientMutationId: input.clientMutationId ?? null, projectV2Item: new GItem(ctx, project, item) };
    },
    clearProjectV2ItemFieldValue: (args: { input: { projectId: string; itemId: string; fieldId: string; clientMutationId?: string | null } }) => {
      const { input } = args;
      const project = nodeOf(ctx, input.projectId, GProject, 'ProjectV2').record;
      const item = editable(itemIn(ctx, project, input.itemId));
      const field = nodeOf(ctx, input.fieldId, GField, 'ProjectV2Field').record;
      if (!['SINGLE_SELECT', 'NUMBER', 'DATE', 'TEXT', 'ITERATION'].includes(field.dataType)) throw unprocessableError(`The field of type ${field.dataType.toLowerCase()} is currently not supported`);
      delete item.values[String(field.id)];
      touch(ctx, project, item);
      return { clientMutationId: input.clientMutationId ?? null, projectV2Item: new GItem(ctx, project, item) };
    },
    archiveProjectV2Item: (args: { input: { projectId: string; itemId: string; clientMutationId?: string | null } }) => {
      const project = nodeOf(ctx, args.input.projectId, GProject, 'ProjectV2').record;
      const item = itemIn(ctx, project, args.input.itemId);
      item.archived = true;
      touch(ctx, project, item);
      return { clientMutationId: args.input.clientMutationId ?? null, item: new GItem(ctx, project, item) };
    },
    unarchiveProjectV2Item: (args: { input: { projectId: string; itemId: string; clientMutationId?: string | null } }) => {
      const project = nodeOf(ctx, args.input.projectId, GProject, 'ProjectV2').record;
      const item = itemIn(ctx, project, args.input.itemId);
      item.archived = false;
      touch(ctx, project, item);
      return { clientMutationId: args.input.clientMutationId ?? null, item: new GItem(ctx, project, item) };
    },
    deleteProjectV2Item: (args: { input: { projectId: string; itemId: string; clientMutationId?: string | null } }) => {
      const project = nodeOf(ctx, args.input.projectId, GProject, 'ProjectV2').record;
      const item = itemIn(ctx, project, args.input.itemId);
      project.items.splice(project.items.indexOf(item), 1);
      touch(ctx, project);
      return { clientMutationId: args.input.clientMutationId ?? null, deletedItemId: args.input.itemId };
    },
  };
}
