import { z } from 'zod';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { type ExistingItem, PLAN_REFERENCE } from '../../core/planning/existing';
import { GITHUB_ESTIMATE_FIELD } from '../../core/bootstrap/githubProjectSetup';
import { type GitHubPlanProject } from '../../core/planning/githubLevels';
import { type PlanTarget } from '../../core/planning/planChanges';
import { type EpicSourceItem, type PlanningBoards } from '../../core/planning/planningBoards';
import { type SprintBoards } from '../../core/planning/sprint/sprintBoards';
import { type GitHubCapacity } from '../../core/settings';
import { type GitHubClient } from '../boards/github/githubClient';
import { clientIdOf } from '../boards/github/issueMapping';
import { GitHubSprints } from './githubSprint';

/**
 * GitHub for the planner: issues and their sub-issues (the hierarchy), and the issues an earlier
 * run of a plan created (found by the client-id marker the issue tracker writes into each body).
 */
const SubIssueSchema = z.object({
  id: z.number().int().positive(),
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullish(),
  state: z.enum(['open', 'closed']),
  html_url: z.string(),
  type: z.object({ name: z.string() }).loose().nullish(),
  sub_issues_summary: z.object({ total: z.number().int().nonnegative() }).loose().nullish(),
  pull_request: z.unknown().optional(),
});
type SubIssue = z.infer<typeof SubIssueSchema>;
const IssueTypesSchema = z.array(z.object({ name: z.string().min(1), is_enabled: z.boolean().optional() }).loose());
const PROJECT_QUERY = `
query PlanProject($login: String!, $number: Int!) {
  repositoryOwner(login: $login) {
    ... on ProjectV2Owner {
      projectV2(number: $number) { number title fields(first: 50) { nodes { ... on ProjectV2FieldCommon { name dataType } } } }
    }
  }
}`;
const ProjectSchema = z.object({
  repositoryOwner: z
    .object({ projectV2: z.object({ number: z.number().int(), title: z.string(), fields: z.object({ nodes: z.array(z.object({ name: z.string().optional(), dataType: z.string().optional() }).nullable()) }) }).optional() })
    .nullable(),
});
const CreatedSchema = z.array(z.object({ number: z.number().int().positive(), body: z.string().nullish(), created_at: z.string(), pull_request: z.unknown().optional() }).loose());

/** How far back a plan's earlier items are looked for among the issues the user created. */
const MADE_LOOKBACK_MS = 30 * 24 * 60 * 60 * 1000;
const SUB_ISSUE_PAGE = 100;

export class GitHubPlanning implements PlanningBoards {
  readonly tracker = 'github' as const;

  private sprintBoards: GitHubSprints | undefined;

  constructor(
    readonly client: GitHubClient,
    private readonly now: () => Date = () => new Date(),
    /** aiDevops.github.capacity: each person's estimate per iteration. */
    private readonly capacity: readonly GitHubCapacity[] = [],
    /** aiDevops.planning.blockedDays. */
    readonly blockedDays?: number,
  ) {}

  /** The Project (aiDevops.github.projectNumber) with its iteration field, for sprint planning and reports. */
  sprints(): SprintBoards {
    this.sprintBoards ??= new GitHubSprints(this.client, { projectNumber: this.client.endpoint.projectNumber, capacity: this.capacity, now: this.now });
    return this.sprintBoards;
  }

  private get path(): { owner: string; repo: string } {
    return { owner: this.client.endpoint.owner, repo: this.client.endpoint.repo };
  }

  where(): string {
    return `${this.path.owner}/${this.path.repo}`;
  }

  /**
   * The repository's issue types (its organization's, enabled; none for a user's repository) and
   * the configured Project with its number field for estimates.
   */
  async target(signal?: AbortSignal): Promise<PlanTarget> {
    const [types, project] = await Promise.all([this.issueTypes(signal), this.project(signal)]);
    return { tracker: 'github', where: this.where(), ...types, ...project };
  }

  private async issueTypes(signal: AbortSignal | undefined): Promise<{ issueTypes: string[]; issueTypesNote?: string }> {
    try {
      const { data } = await this.client.restParsed(`reading the issue types of ${this.where()}`, IssueTypesSchema, (kit, request) =>
        kit.request('GET /repos/{owner}/{repo}/issue-types', { ...this.path, request: { signal: signal ?? request.signal } }),
      );
      return { issueTypes: data.filter((t) => t.is_enabled !== false).map((t) => t.name) };
    } catch (error) {
      // A user's repository, or a GitHub without issue types: labels instead (the plan says so).
      if (isDevOpsError(error) && error.code === 'notFound') return { issueTypes: [] };
      // A token that may not read them (a fine-grained token without the organization's issue types):
      // the plan still works with labels, and says why and how to get types.
      if (isDevOpsError(error) && error.code === 'forbidden') {
        return { issueTypes: [], issueTypesNote: `The token may not read the issue types of ${this.where()} (403): each issue gets the label of its level instead. Give the token read access to the organization's issue types to have them set.` };
      }
      throw error;
    }
  }

  private async project(signal: AbortSignal | undefined): Promise<{ project?: GitHubPlanProject; projectNote?: string }> {
    const number = this.client.endpoint.projectNumber;
    if (number === null) return { projectNote: 'No Project is configured (aiDevops.github.projectNumber), so the issues are not added to one; set it (or run bootstrap on GitHub) to have them added.' };
    const data = await this.client.graphql(`reading Project ${number} of ${this.path.owner}`, PROJECT_QUERY, { login: this.path.owner, number }, ProjectSchema, signal ? { signal } : {}).catch((error: unknown) => {
      if (isDevOpsError(error) && error.code === 'notFound') return undefined;
      throw error;
    });
    const p = data?.repositoryOwner?.projectV2;
    if (!p) return { projectNote: `${this.path.owner} has no Project ${number} (aiDevops.github.projectNumber), or the token cannot see it: the issues are not added to a Project.` };
    const estimate = p.fields.nodes.find((f) => f?.dataType === 'NUMBER' && GITHUB_ESTIMATE_FIELD.test(f.name ?? ''));
    return { project: { number: p.number, title: p.title, ...(estimate?.name ? { estimateField: estimate.name } : {}) } };
  }

  async item(id: number, signal?: AbortSignal): Promise<EpicSourceItem> {
    const { data } = await this.client
      .restParsed(`reading issue #${id}`, SubIssueSchema, (kit, request) => kit.rest.issues.get({ ...this.path, issue_number: id, request: { signal: signal ?? request.signal } }))
      .catch((error: unknown) => {
        if (isDevOpsError(error) && error.code === 'notFound') throw new DevOpsError('notFound', `${this.where()}#${id} was not found (it does not exist, or the token cannot see it).`);
        throw error;
      });
    if (data.pull_request) throw new DevOpsError('invalidInput', `${this.where()}#${id} is a pull request, not an issue; plan from an issue.`);
    return { id, type: data.type?.name ?? 'Issue', title: data.title, description: data.body ?? '', state: data.state, url: data.html_url };
  }

  private async subIssues(number: number, signal?: AbortSignal): Promise<SubIssue[]> {
    const out: SubIssue[] = [];
    for (let page = 1; ; page++) {
      const { data } = await this.client.restParsed(`reading the sub-issues of #${number}`, z.array(SubIssueSchema), (kit, request) =>
        kit.rest.issues.listSubIssues({ ...this.path, issue_number: number, per_page: SUB_ISSUE_PAGE, page, request: { signal: signal ?? request.signal } }),
      );
      out.push(...data);
      if (data.length < SUB_ISSUE_PAGE) return out;
    }
  }

  async tree(id: number, signal?: AbortSignal): Promise<ExistingItem> {
    const root = await this.item(id, signal);
    const build = async (issue: { number: number; title: string; state: string; type?: string; body?: string | null; total?: number }, seen: ReadonlySet<number>): Promise<ExistingItem> => {
      const next = new Set(seen).add(issue.number);
      // Only issues with sub-issues are asked for theirs: one request per parent, none per leaf.
      const subs = issue.total === 0 ? [] : await this.subIssues(issue.number, signal);
      const children = await Promise.all(
        subs.filter((s) => !next.has(s.number)).map((s) => build({ number: s.number, title: s.title, state: s.state, type: s.type?.name, body: s.body, total: s.sub_issues_summary?.total }, next)),
      );
      const reference = issue.body ? PLAN_REFERENCE.exec(clientIdOf(issue.body) ?? '')?.[1] : undefined;
      return { id: issue.number, type: issue.type ?? 'Issue', title: issue.title, state: issue.state, children, ...(reference ? { clientId: reference } : {}) };
    };
    return build({ number: root.id, title: root.title, state: root.state, type: root.type, body: root.description }, new Set());
  }

  async madeBy(key: string, signal?: AbortSignal): Promise<ReadonlyMap<string, number>> {
    const me = await this.client.restParsed('reading the signed-in user', z.object({ login: z.string() }).loose(), (kit, request) => kit.rest.users.getAuthenticated({ request: { signal: signal ?? request.signal } }));
    const since = this.now().getTime() - MADE_LOOKBACK_MS;
    const made = new Map<string, number>();
    for (let page = 1; ; page++) {
      const { data } = await this.client.restParsed('looking for issues this plan created before', CreatedSchema, (kit, request) =>
        kit.rest.issues.listForRepo({ ...this.path, creator: me.data.login, state: 'all', sort: 'created', direction: 'desc', per_page: 100, page, request: { signal: signal ?? request.signal } }),
      );
      for (const issue of data) {
        const reference = clientIdOf(issue.body);
        if (!issue.pull_request && reference?.startsWith(`${key}-`) && !made.has(reference)) made.set(reference, issue.number);
      }
      const oldest = data.at(-1);
      if (data.length < 100 || (oldest && Date.parse(oldest.created_at) < since)) return made;
    }
  }
}
