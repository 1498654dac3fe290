import { z } from 'zod';
import { type Observation, type WriteContext, type WriteKind } from '../../../core/boards/outbox';
import { DevOpsError } from '../../../core/errors';
import { type Logger } from '../../../core/host';
import { type WorkItem } from '../../../core/workItem';
import { type GitHubClient, nextLink } from './githubClient';
import { toDevOpsError } from './githubErrors';
import { CommentListSchema, CommentSchema, type GitHubIssue, IssueListSchema, IssueSchema } from './githubSchemas';
import { clientIdOf, GITHUB_STATES, isInState, stateWriteFor, type StateWrite } from './issueMapping';

/**
 * GitHub issues' adapters for the outbox's write protocol (core/boards/outbox.ts): per kind of
 * write, how to read what GitHub holds of it and how to send it. GitHub has no conditional issue
 * update, so a field write sends right after the read that decided it; comments and new issues
 * carry the client id marker in their body, so a lost answer is found, not posted twice.
 */

export interface GitHubWriteHost {
  readonly client: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  /** `owner/repo`. */
  readonly repository: string;
  readonly log: Logger;
  key(number: number): string;
  now(): Date;
  /** The signed-in login. */
  me(signal: AbortSignal | undefined): Promise<string>;
  /** The issue as GitHub has it now (the cache takes it too). */
  fetchIssue(number: number, signal: AbortSignal | undefined): Promise<{ readonly issue: GitHubIssue; readonly item: WorkItem }>;
  /** GitHub holds a change: the cache and the views move on. */
  remember(issue: GitHubIssue): WorkItem;
  /** The logins assigned to an issue, as last read. */
  assigneesOf(number: number): readonly string[];
}

/** Field names as the user reads them. */
export const STATE_FIELD = 'State';
export const ASSIGNED_TO_ME_FIELD = 'Assigned to me';

/** How far back a replay looks for a comment or issue it may already have made (clock skew). */
const REPLAY_LOOKBACK_MS = 10 * 60 * 1000;
/** A client id given by the caller (a resumed batch) may be days old. */
const CALLER_ID_LOOKBACK_MS = 30 * 24 * 60 * 60 * 1000;
const PAGE = 100;

const number = z.number().int().positive();
export const GitHubPayloads = {
  changeState: z.object({ number, state: z.string().min(1) }),
  assignToMe: z.object({ number }),
  /** `body` carries the client id marker. */
  addComment: z.object({ number, body: z.string().min(1) }),
  /** `type`: the organization's issue type (its name); absent in entries written before issue types. */
  create: z.object({ title: z.string().min(1), body: z.string(), labels: z.array(z.string()), assignToMe: z.boolean(), parentId: number.nullable(), type: z.string().min(1).optional() }),
} as const;

/** The name the extension shows for the state a write asks for (`closed` → `Closed`). */
export function stateName(write: StateWrite): string {
  if (write.state === 'open') return GITHUB_STATES.open;
  return write.state_reason === 'not_planned' ? GITHUB_STATES.notPlanned : write.state_reason === 'duplicate' ? GITHUB_STATES.duplicate : GITHUB_STATES.closed;
}

export function githubIssueWriteKinds(host: GitHubWriteHost): WriteKind[] {
  const path = { owner: host.owner, repo: host.repo };
  const withSignal = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  const lookFrom = (context: WriteContext): string =>
    new Date(context.mayRepeat ? host.now().getTime() - CALLER_ID_LOOKBACK_MS : Date.parse(context.since) - REPLAY_LOOKBACK_MS).toISOString();
  let createdIndex: { readonly me: string; readonly ids: Map<string, GitHubIssue>; readonly scannedFrom: number; readonly scannedAt: string } | undefined;

  const observed = (item: WorkItem, values: Observation['values']): Observation => ({ values, result: item, url: item.url });

  const changeState: WriteKind<z.infer<typeof GitHubPayloads.changeState>> = {
    kind: 'changeState',
    payload: GitHubPayloads.changeState,
    observe: async (p, context) => {
      const write = stateWriteFor(p.state);
      const { item } = await host.fetchIssue(p.number, context.signal);
      // A merged pull request counts as closed.
      return observed(item, { [STATE_FIELD]: write && isInState(item, write) ? stateName(write) : item.state });
    },
    send: async (p, seen, context) => {
      const write = stateWriteFor(p.state);
      if (!write) throw new DevOpsError('invalidInput', `"${p.state}" is not a GitHub state.`);
      // The issues endpoint closes and reopens pull requests too; state_reason is for issues only.
      const body = (seen?.result as WorkItem | undefined)?.type === 'Pull Request' ? { state: write.state } : { state: write.state, state_reason: write.state_reason };
      const { data } = await host.client.restParsed(`changing the state of ${host.key(p.number)}`, IssueSchema, (kit, request) => kit.rest.issues.update({ ...path, issue_number: p.number, ...body, request }), {
        ...withSignal(context.signal),
        write: true,
      });
      return host.remember(data);
    },
  };

  const assignToMe: WriteKind<z.infer<typeof GitHubPayloads.assignToMe>> = {
    kind: 'assignToMe',
    payload: GitHubPayloads.assignToMe,
    observe: async (p, context) => {
      const me = (await host.me(context.signal)).toLowerCase();
      const { issue, item } = await host.fetchIssue(p.number, context.signal);
      return observed(item, { [ASSIGNED_TO_ME_FIELD]: (issue.assignees ?? []).some((a) => a.login.toLowerCase() === me) });
    },
    send: async (p, _seen, context) => {
      const me = await host.me(context.signal);
      // Everyone assigned now (just read into the cache), and the user: nobody else's assignment is dropped.
      const now = host.assigneesOf(p.number);
      const { data } = await host.client.restParsed(
        `assigning ${host.key(p.number)} to ${me}`,
        IssueSchema,
        (kit, request) => kit.rest.issues.update({ ...path, issue_number: p.number, assignees: [...now, me], request }),
        { ...withSignal(context.signal), write: true },
      );
      return host.remember(data);
    },
  };

  const addComment: WriteKind<z.infer<typeof GitHubPayloads.addComment>> = {
    kind: 'addComment',
    payload: GitHubPayloads.addComment,
    observe: async (p, context) => {
      const { item } = await host.fetchIssue(p.number, context.signal);
      return { made: await commentExists(p.number, context.clientId, lookFrom(context), context.signal), result: item, url: item.url };
    },
    send: async (p, _seen, context) => {
      // POSTs are not retried by the plugin (a lost answer would post twice): the outbox looks for the marker first.
      await host.client.restParsed(
        `commenting on ${host.key(p.number)}`,
        CommentSchema,
        (kit, request) => kit.rest.issues.createComment({ ...path, issue_number: p.number, body: p.body, request: { ...request, retries: 0 } }),
        { ...withSignal(context.signal), write: true },
      );
      // The comment moved updated_at on; a failed read of the item changes nothing about the comment.
      return (await host.fetchIssue(p.number, context.signal).catch(() => undefined))?.item;
    },
  };

  const create: WriteKind<z.infer<typeof GitHubPayloads.create>> = {
    kind: 'create',
    payload: GitHubPayloads.create,
    observe: async (p, context) => {
      const existing = await findCreated(context.clientId, await host.me(context.signal), lookFrom(context), context.signal);
      if (!existing) return { made: false };
      // Made, but the sub-issue link may be what was lost: finish it.
      const issue = p.parentId !== null && !existing.parent_issue_url ? await attachToParent(existing, p.parentId, context.signal) : existing;
      const item = host.remember(issue);
      return { made: true, result: item, url: item.url };
    },
    send: async (p, _seen, context) => {
      const me = p.assignToMe ? await host.me(context.signal) : undefined;
      const { data } = await host.client.restParsed(
        `creating an issue in ${host.repository}`,
        IssueSchema,
        (kit, request) =>
          // `type` (an issue type's name) is newer than octokit's typed parameters: the route is called by name.
          kit.request('POST /repos/{owner}/{repo}/issues', {
            ...path,
            title: p.title,
            body: p.body,
            ...(p.labels.length ? { labels: p.labels } : {}),
            ...(me ? { assignees: [me] } : {}),
            ...(p.type ? { type: p.type } : {}),
            request: { ...request, retries: 0 },
          }),
        { ...withSignal(context.signal), write: true },
      );
      const clientId = clientIdOf(data.body);
      if (clientId) createdIndex?.ids.set(clientId, data);
      return host.remember(p.parentId !== null ? await attachToParent(data, p.parentId, context.signal) : data);
    },
  };

  async function commentExists(issue: number, clientId: string, since: string, signal: AbortSignal | undefined): Promise<boolean> {
    let url: string | undefined = `GET /repos/${encodeURIComponent(host.owner)}/${encodeURIComponent(host.repo)}/issues/${issue}/comments`;
    let first = true;
    while (url) {
      const route: string = url;
      const { data, headers } = await host.client.restParsed(
        `looking for a comment already made on ${host.key(issue)}`,
        CommentListSchema,
        (kit, request) => (first ? kit.request(route, { since, per_page: PAGE, request }) : kit.request(`GET ${route}`, { request })),
        withSignal(signal),
      );
      if (data.some((c) => clientIdOf(c.body) === clientId)) return true;
      url = nextLink(headers);
      first = false;
    }
    return false;
  }

  /**
   * The issue carrying `clientId` among those the user created since `since`. The first look scans
   * back to `since` and keeps every client id it saw; later looks (a batch of TODOs, each with its
   * own id) only ask for what changed since the previous scan: one request each.
   */
  async function findCreated(clientId: string, me: string, since: string, signal: AbortSignal | undefined): Promise<GitHubIssue | undefined> {
    const index = createdIndex;
    const covered = index !== undefined && index.me === me && index.scannedFrom <= Date.parse(since);
    const ids = covered ? index.ids : new Map<string, GitHubIssue>();
    const scanSince = covered ? new Date(Date.parse(index.scannedAt) - REPLAY_LOOKBACK_MS).toISOString() : since;
    const scanStart = host.now().toISOString();
    let url: string | undefined = `GET /repos/${encodeURIComponent(host.owner)}/${encodeURIComponent(host.repo)}/issues`;
    let first = true;
    while (url) {
      const route: string = url;
      const { data, headers } = await host.client.restParsed(
        `looking for an issue already created in ${host.repository}`,
        IssueListSchema,
        (kit, request) =>
          first ? kit.request(route, { state: 'all', creator: me, since: scanSince, sort: 'created', direction: 'desc', per_page: PAGE, request }) : kit.request(`GET ${route}`, { request }),
        withSignal(signal),
      );
      for (const i of data) {
        const id = i.pull_request ? undefined : clientIdOf(i.body);
        if (id) ids.set(id, i);
      }
      url = nextLink(headers);
      first = false;
    }
    createdIndex = { me, ids, scannedFrom: covered ? index.scannedFrom : Date.parse(since), scannedAt: scanStart };
    return ids.get(clientId);
  }

  /** Makes the new issue a sub-issue of its parent; when GitHub refuses, the issue stays, unparented, with a warning. */
  async function attachToParent(created: GitHubIssue, parentId: number, signal: AbortSignal | undefined): Promise<GitHubIssue> {
    try {
      await host.client.rest(
        `adding ${host.key(created.number)} as a sub-issue of ${host.key(parentId)}`,
        (kit, request) => kit.rest.issues.addSubIssue({ ...path, issue_number: parentId, sub_issue_id: created.id, request }),
        { ...withSignal(signal), write: true },
      );
      return (await host.fetchIssue(created.number, signal)).issue;
    } catch (error) {
      const e = toDevOpsError(error, { action: 'adding a sub-issue' });
      if (e.transient || e.code === 'cancelled' || e.code === 'badResponse') throw e;
      host.log.warn(`Created ${host.key(created.number)} but could not make it a sub-issue of ${host.key(parentId)}: ${e.message}`);
      return created;
    }
  }

  return [changeState, assignToMe, addComment, create] as WriteKind[];
}

/** The state a user-facing name asks for, as shown: `closed` → `Closed`; undefined when it is not a GitHub state. */
export function canonicalState(state: string): string | undefined {
  const write = stateWriteFor(state);
  return write ? stateName(write) : undefined;
}
