import { createHash } from 'node:crypto';
import { SANDBOX_USER } from '../../identity';
import { type Clock, parseSavedState, SandboxState } from '../../sandboxState';
import { seedDemo } from './demo';
import {
  StateDocumentSchema,
  type IssueEventRecord,
  type IssueRecord,
  type ProjectRecord,
  type RepoRecord,
  type StateDocument,
  type UserRecord,
} from './model';
import { RateLimits } from './rateLimits';

export type { Clock } from '../../sandboxState';

export interface StateOptions {
  /** Drives timestamps, workflow runs and rate-limit windows; tests inject one so nothing sleeps. */
  readonly clock?: Clock;
}

/** The sandbox user, a teammate, and the organization that owns the demo repo and project. */
export const SANDBOX_GITHUB_USERS: readonly Omit<UserRecord, 'createdAt'>[] = [
  { id: SANDBOX_USER.githubId, login: SANDBOX_USER.githubLogin, name: SANDBOX_USER.displayName, email: SANDBOX_USER.email, type: 'User' },
  { id: 1002, login: 'avery-chen', name: 'Avery Chen', email: 'avery.chen@example.com', type: 'User' },
  { id: 1003, login: 'jordan-patel', name: 'Jordan Patel', email: 'jordan.patel@example.com', type: 'User' },
  { id: 2001, login: 'contoso', name: 'Contoso', email: null, type: 'Organization' },
];

/**
 * Everything the GitHub stand-in knows, in memory. Handlers change it and call `changed()`.
 * Rate-limit counters are runtime only (they reset with the hour on github.com too).
 */
export class GitHubState extends SandboxState<StateDocument> {
  readonly limits: RateLimits;
  /**
   * The OAuth scopes the sandbox token carries (X-OAuth-Scopes). Runtime only; a test takes
   * `project` away to see what a token without it gets (GraphQL INSUFFICIENT_SCOPES on Projects).
   */
  scopes: string[] = ['project', 'read:org', 'repo', 'workflow'];

  constructor(doc: StateDocument, options: StateOptions = {}) {
    super(doc, options.clock);
    this.limits = new RateLimits(() => this.clock().getTime());
  }

  /** The sandbox's users and organization, no repository and no project. */
  static empty(options: StateOptions = {}, now: Date = new Date()): GitHubState {
    const createdAt = now.toISOString();
    return new GitHubState(
      { format: 'ai-devops.sandbox.github/1', users: SANDBOX_GITHUB_USERS.map((u) => ({ ...u, createdAt })), repos: [], projects: [], lastId: 10_000 },
      options,
    );
  }

  /** The demo repo contoso/contoso-web and Project 1 (see demo.ts), with dates relative to `now`. */
  static demo(now: Date = new Date(), options: StateOptions = {}): GitHubState {
    const state = GitHubState.empty(options, now);
    seedDemo(state, now);
    return state;
  }

  /** Reads what toJSON() wrote; anything else is refused with what is wrong and where. */
  static fromJSON(json: unknown, options: StateOptions = {}): GitHubState {
    return new GitHubState(parseSavedState(StateDocumentSchema, json, 'GitHub'), options);
  }

  nextId(): number {
    this.doc.lastId += 1;
    return this.doc.lastId;
  }

  // ----- lookups (case-insensitive, as GitHub matches owner and repo names) -----

  user(login: string): UserRecord | undefined {
    const l = login.toLowerCase();
    return this.doc.users.find((u) => u.login.toLowerCase() === l);
  }

  userById(id: number): UserRecord | undefined {
    return this.doc.users.find((u) => u.id === id);
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    const o = owner.toLowerCase();
    const n = name.toLowerCase();
    return this.doc.repos.find((r) => r.owner.toLowerCase() === o && r.name.toLowerCase() === n);
  }

  repoById(id: number): RepoRecord | undefined {
    return this.doc.repos.find((r) => r.id === id);
  }

  issue(repo: RepoRecord, number: number): IssueRecord | undefined {
    return repo.issues.find((i) => i.number === number);
  }

  /** The issue or pull request with this database id, with its repository. */
  issueById(id: number): { repo: RepoRecord; issue: IssueRecord } | undefined {
    for (const repo of this.doc.repos) {
      const issue = repo.issues.find((i) => i.id === id);
      if (issue) return { repo, issue };
    }
    return undefined;
  }

  project(owner: string, number: number): ProjectRecord | undefined {
    const o = owner.toLowerCase();
    return this.doc.projects.find((p) => p.owner.toLowerCase() === o && p.number === number);
  }

  projectById(id: number): ProjectRecord | undefined {
    return this.doc.projects.find((p) => p.id === id);
  }

  nextIssueNumber(repo: RepoRecord): number {
    return repo.issues.reduce((max, i) => Math.max(max, i.number), 0) + 1;
  }

  /** A new open issue, or pull request with `pull`, by `login`, added to the repository (the caller calls changed()). */
  openIssue(
    repo: RepoRecord,
    login: string,
    fields: Pick<IssueRecord, 'title' | 'body'> & Partial<Pick<IssueRecord, 'labels' | 'assignees' | 'pull'>>,
  ): IssueRecord {
    const now = this.nowIso();
    const record: IssueRecord = {
      id: this.nextId(),
      number: this.nextIssueNumber(repo),
      title: fields.title,
      body: fields.body,
      state: 'open',
      stateReason: null,
      labels: fields.labels ?? [],
      assignees: fields.assignees ?? [],
      user: login,
      locked: false,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedBy: null,
      comments: [],
      parent: null,
      subIssues: [],
      pull: fields.pull ?? null,
    };
    this.recordLabelChanges(repo, record, [], record.labels, login);
    repo.issues.push(record);
    return record;
  }

  /**
   * Records the `labeled` / `unlabeled` events between two label lists of an issue (names as the
   * repository spells them), at the state's clock, by `login`.
   */
  recordLabelChanges(repo: RepoRecord, issue: IssueRecord, before: readonly string[], after: readonly string[], login: string): void {
    const at = this.nowIso();
    const event = (kind: 'labeled' | 'unlabeled', name: string): IssueEventRecord => ({
      id: this.nextId(),
      event: kind,
      label: name,
      color: repo.labels.find((l) => l.name === name)?.color ?? 'ededed',
      actor: login,
      createdAt: at,
    });
    const added = after.filter((n) => !before.includes(n)).map((n) => event('labeled', n));
    const removed = before.filter((n) => !after.includes(n)).map((n) => event('unlabeled', n));
    if (added.length + removed.length > 0) issue.events = [...(issue.events ?? []), ...removed, ...added];
  }

  /** A deterministic 40-hex sha for generated commits and trees. */
  static sha(...parts: readonly string[]): string {
    return createHash('sha1').update(parts.join('\u0000')).digest('hex');
  }
}
