import { type Urls } from '../render/urls';
import { type FieldRecord, type IssueRecord, type IterationRecord, type ItemRecord, type LabelRecord, type ProjectRecord, type RepoRecord, type UserRecord } from '../state/model';
import { nodeId } from '../state/nodeIds';
import { type GitHubState } from '../state/state';
import { connection, type ConnectionArgs } from './connection';
import { notFoundError } from './errors';

/**
 * GraphQL objects for GitHub's schema. graphql-js's default resolver reads a property or calls a
 * method of the same name with the field's arguments, and resolves unions and interfaces by
 * `__typename`, so each class is the type's resolvers. Fields not written here resolve to null
 * (and a non-null one fails with graphql-js's own message), which keeps gaps visible in tests.
 */
export interface GqlContext {
  readonly state: GitHubState;
  readonly login: string;
  readonly urls: Urls;
}

const ghost = (login: string): UserRecord => ({ id: 10137, login, name: null, email: null, type: 'User', createdAt: '2008-05-13T00:00:00Z' });

export class GUser {
  readonly __typename: 'User' | 'Organization';
  constructor(
    readonly ctx: GqlContext,
    readonly record: UserRecord,
  ) {
    this.__typename = record.type;
  }
  get id() {
    return nodeId(this.__typename, this.record.id);
  }
  get databaseId() {
    return this.record.id;
  }
  get login() {
    return this.record.login;
  }
  get name() {
    return this.record.name;
  }
  get email() {
    return this.record.email ?? '';
  }
  get url() {
    return `${this.ctx.urls.web}/${this.record.login}`;
  }
  get resourcePath() {
    return `/${this.record.login}`;
  }
  avatarUrl() {
    return `${this.ctx.urls.web}/avatars/u/${this.record.id}`;
  }
  get createdAt() {
    return this.record.createdAt;
  }
  get updatedAt() {
    return this.record.createdAt;
  }
  get isViewer() {
    return this.record.login === this.ctx.login;
  }
  projectV2(args: { number: number }) {
    const p = this.ctx.state.project(this.record.login, args.number);
    if (!p) throw notFoundError(`Could not resolve to a ProjectV2 with the number ${args.number}.`);
    return new GProject(this.ctx, p);
  }
  projectsV2(args: ConnectionArgs & { query?: string | null }) {
    const q = args.query?.toLowerCase();
    const list = this.ctx.state.doc.projects.filter((p) => p.owner.toLowerCase() === this.record.login.toLowerCase() && (!q || p.title.toLowerCase().includes(q)));
    return connection(list, args, (p) => new GProject(this.ctx, p));
  }
  repository(args: { name: string }) {
    const repo = this.ctx.state.repo(this.record.login, args.name);
    return repo ? new GRepo(this.ctx, repo) : null;
  }
}

export function actor(ctx: GqlContext, login: string | null): GUser | null {
  if (login === null) return null;
  return new GUser(ctx, ctx.state.user(login) ?? ghost(login));
}

export class GLabel {
  readonly __typename = 'Label';
  constructor(
    readonly ctx: GqlContext,
    readonly repo: RepoRecord,
    readonly record: LabelRecord,
  ) {}
  get id() {
    return nodeId('Label', this.record.id);
  }
  get name() {
    return this.record.name;
  }
  get color() {
    return this.record.color;
  }
  get description() {
    return this.record.description;
  }
  get isDefault() {
    return this.record.default;
  }
  get url() {
    return `${this.ctx.urls.web}/${this.repo.owner}/${this.repo.name}/labels/${encodeURIComponent(this.record.name)}`;
  }
}

export class GRepo {
  readonly __typename = 'Repository';
  constructor(
    readonly ctx: GqlContext,
    readonly record: RepoRecord,
  ) {}
  get id() {
    return nodeId('Repository', this.record.id);
  }
  get databaseId() {
    return this.record.id;
  }
  get name() {
    return this.record.name;
  }
  get nameWithOwner() {
    return `${this.record.owner}/${this.record.name}`;
  }
  get description() {
    return this.record.description;
  }
  get isPrivate() {
    return this.record.private;
  }
  get visibility() {
    return this.record.private ? 'PRIVATE' : 'PUBLIC';
  }
  get url() {
    return `${this.ctx.urls.web}/${this.nameWithOwner}`;
  }
  get createdAt() {
    return this.record.createdAt;
  }
  get updatedAt() {
    return this.record.pushedAt;
  }
  get owner() {
    return actor(this.ctx, this.record.owner);
  }
  get defaultBranchRef() {
    return { __typename: 'Ref', name: this.record.defaultBranch, prefix: 'refs/heads/', id: nodeId('Ref', `${this.record.id}:${this.record.defaultBranch}`) };
  }
  issue(args: { number: number }) {
    const i = this.ctx.state.issue(this.record, args.number);
    if (!i || i.pull) throw notFoundError(`Could not resolve to an Issue with the number of ${args.number}.`);
    return new GIssue(this.ctx, this.record, i);
  }
  pullRequest(args: { number: number }) {
    const i = this.ctx.state.issue(this.record, args.number);
    if (!i || !i.pull) throw notFoundError(`Could not resolve to a PullRequest with the number of ${args.number}.`);
    return new GIssue(this.ctx, this.record, i);
  }
  issueOrPullRequest(args: { number: number }) {
    const i = this.ctx.state.issue(this.record, args.number);
    if (!i) throw notFoundError(`Could not resolve to an issue or pull request with the number of ${args.number}.`);
    return new GIssue(this.ctx, this.record, i);
  }
  issues(args: ConnectionArgs & { states?: readonly string[] | null }) {
    const states = args.states?.map((s) => s.toLowerCase());
    const list = this.record.issues.filter((i) => !i.pull && (!states || states.includes(i.state)));
    return connection(list, args, (i) => new GIssue(this.ctx, this.record, i));
  }
  pullRequests(args: ConnectionArgs & { states?: readonly string[] | null }) {
    const list = this.record.issues.filter((i) => i.pull && (!args.states || args.states.includes(pullState(i))));
    return connection(list, args, (i) => new GIssue(this.ctx, this.record, i));
  }
  labels(args: ConnectionArgs) {
    return connection(this.record.labels, args, (l) => new GLabel(this.ctx, this.record, l));
  }
  assignableUsers(args: ConnectionArgs) {
    return connection(this.record.assignable, args, (login) => actor(this.ctx, login));
  }
  /** Projects linked to the repository, and projects holding its issues (as GitHub lists them). */
  projectsV2(args: ConnectionArgs) {
    const linked = this.ctx.state.doc.projects.filter((p) => (p.repositories ?? []).includes(this.record.id) || p.items.some((i) => i.repoId === this.record.id));
    return connection(linked, args, (p) => new GProject(this.ctx, p));
  }
}

const pullState = (i: IssueRecord): string => (i.pull?.merged ? 'MERGED' : i.state === 'open' ? 'OPEN' : 'CLOSED');

/** An Issue or a PullRequest (one record kind, as on GitHub where a pull request is an issue). */
export class GIssue {
  readonly __typename: 'Issue' | 'PullRequest';
  constructor(
    readonly ctx: GqlContext,
    readonly repo: RepoRecord,
    readonly record: IssueRecord,
  ) {
    this.__typename = record.pull ? 'PullRequest' : 'Issue';
  }
  get id() {
    return nodeId(this.__typename, this.record.id);
  }
  get databaseId() {
    return this.record.id;
  }
  get fullDatabaseId() {
    return String(this.record.id);
  }
  get number() {
    return this.record.number;
  }
  get title() {
    return this.record.title;
  }
  get body() {
    return this.record.body ?? '';
  }
  get bodyText() {
    return this.record.body ?? '';
  }
  get state() {
    return this.record.pull ? pullState(this.record) : this.record.state.toUpperCase();
  }
  get stateReason() {
    return this.record.stateReason?.toUpperCase() ?? null;
  }
  get closed() {
    return this.record.state === 'closed';
  }
  get closedAt() {
    return this.record.closedAt;
  }
  get createdAt() {
    return this.record.createdAt;
  }
  get updatedAt() {
    return this.record.updatedAt;
  }
  get locked() {
    return this.record.locked;
  }
  get url() {
    return `${this.ctx.urls.web}/${this.repo.owner}/${this.repo.name}/${this.record.pull ? 'pull' : 'issues'}/${this.record.number}`;
  }
  get author() {
    return actor(this.ctx, this.record.user);
  }
  get repository() {
    return new GRepo(this.ctx, this.repo);
  }
  get isDraft() {
    return this.record.pull?.draft ?? false;
  }
  get merged() {
    return this.record.pull?.merged ?? false;
  }
  get mergedAt() {
    return this.record.pull?.mergedAt ?? null;
  }
  get headRefName() {
    return this.record.pull?.headRef ?? null;
  }
  get baseRefName() {
    return this.record.pull?.baseRef ?? null;
  }
  get headRefOid() {
    return this.record.pull?.headSha ?? null;
  }
  get parent(): GIssue | null {
    const p = this.record.parent === null ? undefined : this.ctx.state.issue(this.repo, this.record.parent);
    return p ? new GIssue(this.ctx, this.repo, p) : null;
  }
  subIssues(args: ConnectionArgs) {
    const subs = this.record.subIssues.map((n) => this.ctx.state.issue(this.repo, n)).filter((s) => s !== undefined);
    return connection(subs, args, (s) => new GIssue(this.ctx, this.repo, s));
  }
  get subIssuesSummary() {
    const subs = this.record.subIssues.map((n) => this.ctx.state.issue(this.repo, n)).filter((s) => s !== undefined);
    const completed = subs.filter((s) => s.state === 'closed').length;
    return { __typename: 'SubIssuesSummary', total: subs.length, completed, percentCompleted: subs.length ? Math.floor((completed * 100) / subs.length) : 0 };
  }
  assignees(args: ConnectionArgs) {
    return connection(this.record.assignees, args, (login) => actor(this.ctx, login));
  }
  labels(args: ConnectionArgs) {
    const list = this.record.labels.map((n) => this.repo.labels.find((l) => l.name === n)).filter((l) => l !== undefined);
    return connection(list, args, (l) => new GLabel(this.ctx, this.repo, l));
  }
  comments(args: ConnectionArgs) {
    return connection(this.record.comments, args, (c) => ({
      __typename: 'IssueComment',
      id: nodeId('IssueComment', c.id),
      databaseId: c.id,
      body: c.body,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      author: actor(this.ctx, c.user),
      url: `${this.url}#issuecomment-${c.id}`,
    }));
  }
  projectItems(args: ConnectionArgs) {
    const items = this.ctx.state.doc.projects.flatMap((p) => p.items.filter((it) => it.repoId === this.repo.id && it.number === this.record.number).map((it) => ({ p, it })));
    return connection(items, args, ({ p, it }) => new GItem(this.ctx, p, it));
  }
  projectsV2(args: ConnectionArgs) {
    const list = this.ctx.state.doc.projects.filter((p) => p.items.some((it) => it.repoId === this.repo.id && it.number === this.record.number));
    return connection(list, args, (p) => new GProject(this.ctx, p));
  }
}

export class GDraft {
  readonly __typename = 'DraftIssue';
  constructor(
    readonly ctx: GqlContext,
    readonly item: ItemRecord,
  ) {}
  private get draft() {
    return this.item.draft!;
  }
  get id() {
    return nodeId('DraftIssue', this.draft.id);
  }
  get title() {
    return this.draft.title;
  }
  get body() {
    return this.draft.body;
  }
  get bodyText() {
    return this.draft.body;
  }
  get createdAt() {
    return this.item.createdAt;
  }
  get updatedAt() {
    return this.item.updatedAt;
  }
  get creator() {
    return actor(this.ctx, this.draft.creator);
  }
  assignees(args: ConnectionArgs) {
    return connection(this.draft.assignees, args, (login) => actor(this.ctx, login));
  }
}

const FIELD_TYPENAME = (f: FieldRecord) => (f.dataType === 'SINGLE_SELECT' ? 'ProjectV2SingleSelectField' : f.dataType === 'ITERATION' ? 'ProjectV2IterationField' : 'ProjectV2Field');

const DAY_MS = 86_400_000;
const iterationJson = (i: IterationRecord) => ({ __typename: 'ProjectV2IterationFieldIteration', id: i.id, title: i.title, titleHTML: i.title, startDate: i.startDate, duration: i.duration });
/** Whether an iteration's last day is before today: GitHub lists it under completedIterations then. */
export const iterationCompleted = (i: IterationRecord, nowIso: string): boolean => Date.parse(`${i.startDate}T00:00:00Z`) + i.duration * DAY_MS <= Date.parse(`${nowIso.slice(0, 10)}T00:00:00Z`);

export class GField {
  readonly __typename: 'ProjectV2Field' | 'ProjectV2SingleSelectField' | 'ProjectV2IterationField';
  constructor(
    readonly ctx: GqlContext,
    readonly proj: ProjectRecord,
    readonly record: FieldRecord,
  ) {
    this.__typename = FIELD_TYPENAME(record);
  }
  get id() {
    return nodeId(this.__typename, this.record.id);
  }
  get databaseId() {
    return this.record.id;
  }
  get name() {
    return this.record.name;
  }
  get dataType() {
    return this.record.dataType;
  }
  get createdAt() {
    return this.record.createdAt;
  }
  get updatedAt() {
    return this.record.createdAt;
  }
  get projectV2() {
    return new GProject(this.ctx, this.proj);
  }
  get project() {
    return new GProject(this.ctx, this.proj);
  }
  /** An iteration field's configuration: the iterations to come (and the current one), and the completed ones, latest first. */
  get configuration() {
    const config = this.record.iteration;
    if (!config) return null;
    const now = this.ctx.state.nowIso();
    const byStart = [...config.iterations].sort((a, b) => a.startDate.localeCompare(b.startDate));
    return {
      __typename: 'ProjectV2IterationFieldConfiguration',
      startDay: config.startDay,
      duration: config.duration,
      iterations: byStart.filter((i) => !iterationCompleted(i, now)).map(iterationJson),
      completedIterations: byStart.filter((i) => iterationCompleted(i, now)).reverse().map(iterationJson),
    };
  }
  options(args: { names?: readonly string[] | null }) {
    return this.record.options
      .filter((o) => !args.names || args.names.includes(o.name))
      .map((o) => ({ __typename: 'ProjectV2SingleSelectFieldOption', id: o.id, name: o.name, nameHTML: o.name, color: o.color, description: o.description, descriptionHTML: o.description }));
  }
}

export class GProject {
  readonly __typename = 'ProjectV2';
  constructor(
    readonly ctx: GqlContext,
    readonly record: ProjectRecord,
  ) {}
  get id() {
    return nodeId('ProjectV2', this.record.id);
  }
  get databaseId() {
    return this.record.id;
  }
  get fullDatabaseId() {
    return String(this.record.id);
  }
  get number() {
    return this.record.number;
  }
  get title() {
    return this.record.title;
  }
  get shortDescription() {
    return this.record.shortDescription;
  }
  get readme() {
    return null;
  }
  get public() {
    return this.record.public;
  }
  get closed() {
    return this.record.closed;
  }
  get closedAt() {
    return null;
  }
  get template() {
    return false;
  }
  get createdAt() {
    return this.record.createdAt;
  }
  get updatedAt() {
    return this.record.updatedAt;
  }
  get url() {
    return `${this.ctx.urls.web}/orgs/${this.record.owner}/projects/${this.record.number}`;
  }
  get resourcePath() {
    return `/orgs/${this.record.owner}/projects/${this.record.number}`;
  }
  get owner() {
    return actor(this.ctx, this.record.owner);
  }
  get creator() {
    return actor(this.ctx, this.record.creator);
  }
  get viewerCanUpdate() {
    return true;
  }
  get viewerCanClose() {
    return true;
  }
  get viewerCanReopen() {
    return true;
  }
  fields(args: ConnectionArgs) {
    return connection(this.record.fields, args, (f) => new GField(this.ctx, this.record, f));
  }
  field(args: { name: string }) {
    const f = this.record.fields.find((x) => x.name === args.name);
    return f ? new GField(this.ctx, this.record, f) : null;
  }
  /** Archived items are listed too (with isArchived), as GitHub lists them; clients filter. */
  items(args: ConnectionArgs) {
    return connection(this.record.items, args, (i) => new GItem(this.ctx, this.record, i));
  }
  repositories(args: ConnectionArgs) {
    const ids = [...new Set([...(this.record.repositories ?? []), ...this.record.items.map((i) => i.repoId).filter((id) => id !== null)])];
    const repos = ids.map((id) => this.ctx.state.repoById(id)).filter((r) => r !== undefined);
    return connection(repos, args, (r) => new GRepo(this.ctx, r));
  }
}

export class GItem {
  readonly __typename = 'ProjectV2Item';
  constructor(
    readonly ctx: GqlContext,
    readonly proj: ProjectRecord,
    readonly record: ItemRecord,
  ) {}
  get id() {
    return nodeId('ProjectV2Item', this.record.id);
  }
  get databaseId() {
    return this.record.id;
  }
  get fullDatabaseId() {
    return String(this.record.id);
  }
  get type() {
    return this.record.contentType;
  }
  get isArchived() {
    return this.record.archived;
  }
  get createdAt() {
    return this.record.createdAt;
  }
  get updatedAt() {
    return this.record.updatedAt;
  }
  get creator() {
    return actor(this.ctx, this.record.creator);
  }
  get project() {
    return new GProject(this.ctx, this.proj);
  }
  /** The issue, pull request or draft; null when the issue is gone (GitHub shows REDACTED then). */
  get content() {
    if (this.record.contentType === 'DRAFT_ISSUE') return new GDraft(this.ctx, this.record);
    const repo = this.record.repoId === null ? undefined : this.ctx.state.repoById(this.record.repoId);
    const issue = repo && this.record.number !== null ? this.ctx.state.issue(repo, this.record.number) : undefined;
    return repo && issue ? new GIssue(this.ctx, repo, issue) : null;
  }
  fieldValueByName(args: { name: string }) {
    const f = this.proj.fields.find((x) => x.name === args.name);
    return f ? fieldValue(this, f) : null;
  }
  fieldValues(args: ConnectionArgs) {
    const values = this.proj.fields.map((f) => fieldValue(this, f)).filter((v) => v !== null);
    return connection(values, args, (v) => v);
  }
}

/** One field's value on an item, typed as GitHub types it; null where the item has none. */
function fieldValue(item: GItem, f: FieldRecord): Record<string, unknown> | null {
  const { ctx, proj: project, record } = item;
  const base = {
    id: nodeId('ProjectV2ItemFieldValue', `${record.id}:${f.id}`),
    field: new GField(ctx, project, f),
    item,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    creator: actor(ctx, record.creator),
  };
  const content = item.content;
  const v = record.values[String(f.id)];
  switch (f.dataType) {
    case 'TITLE':
      return content ? { __typename: 'ProjectV2ItemFieldTextValue', ...base, text: content.title } : null;
    case 'ASSIGNEES': {
      const logins = content instanceof GIssue ? content.record.assignees : content instanceof GDraft ? record.draft!.assignees : [];
      return logins.length === 0 ? null : { __typename: 'ProjectV2ItemFieldUserValue', ...base, users: (args: ConnectionArgs) => connection(logins, args, (l) => actor(ctx, l)) };
    }
    case 'LABELS':
      return content instanceof GIssue && content.record.labels.length > 0 ? { __typename: 'ProjectV2ItemFieldLabelValue', ...base, labels: (args: ConnectionArgs) => content.labels(args) } : null;
    case 'REPOSITORY':
      return content instanceof GIssue ? { __typename: 'ProjectV2ItemFieldRepositoryValue', ...base, repository: content.repository } : null;
    case 'SINGLE_SELECT': {
      if (!v || !('optionId' in v)) return null;
      const o = f.options.find((x) => x.id === v.optionId);
      if (!o) return null;
      return { __typename: 'ProjectV2ItemFieldSingleSelectValue', ...base, optionId: o.id, name: o.name, nameHTML: o.name, color: o.color, description: o.description, descriptionHTML: o.description };
    }
    case 'TEXT':
      return v && 'text' in v ? { __typename: 'ProjectV2ItemFieldTextValue', ...base, text: v.text } : null;
    case 'NUMBER':
      return v && 'number' in v ? { __typename: 'ProjectV2ItemFieldNumberValue', ...base, number: v.number } : null;
    case 'DATE':
      return v && 'date' in v ? { __typename: 'ProjectV2ItemFieldDateValue', ...base, date: v.date } : null;
    case 'ITERATION': {
      const it = v && 'iterationId' in v ? f.iteration?.iterations.find((i) => i.id === v.iterationId) : undefined;
      return it ? { __typename: 'ProjectV2ItemFieldIterationValue', ...base, iterationId: it.id, title: it.title, titleHTML: it.title, startDate: it.startDate, duration: it.duration } : null;
    }
  }
}
