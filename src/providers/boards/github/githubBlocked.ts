import { z } from 'zod';
import { type WriteKind } from '../../../core/boards/outbox';
import { type ProjectPlace } from '../../../core/boards/workTracker';
import { DevOpsError } from '../../../core/errors';
import { BLOCKED_LABEL, hasTag, lifecycleForStatus } from '../../../core/process';
import { type WorkItem } from '../../../core/workItem';
import { type GitHubClient } from './githubClient';
import { UpdateItemFieldSchema } from './githubSchemas';
import { setStatusMutation } from './projectQueries';

/**
 * A GitHub issue marked blocked or cleared: the configured Project's Status "Blocked" where the
 * Project has that option and the issue is in it (cleared: back to its Ready option), else a
 * `blocked` label. Both are read again when the change is sent (a change queued offline is decided
 * online), and a `blocked` label found on an issue being cleared goes too.
 */

/** Field name as the user reads it (the conflict message shows it). */
export const BLOCKED_FIELD = 'Blocked';

export const SetBlockedPayload = z.object({ number: z.number().int().positive(), blocked: z.boolean() });

const placeQuery = `
query ($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    issueOrPullRequest(number: $number) {
      ... on Issue { projectItems(first: 50) { nodes { ...place } } }
      ... on PullRequest { projectItems(first: 50) { nodes { ...place } } }
    }
  }
}
fragment place on ProjectV2Item {
  id
  isArchived
  project { id number status: field(name: "Status") { ... on ProjectV2SingleSelectField { id options { id name } } } }
  status: fieldValueByName(name: "Status") { ... on ProjectV2ItemFieldSingleSelectValue { name } }
}`;

const Option = z.object({ id: z.string().min(1), name: z.string() });
const PlaceNode = z.object({
  id: z.string().min(1),
  isArchived: z.boolean(),
  project: z.object({ id: z.string().min(1), number: z.number().int().positive(), status: z.object({ id: z.string().min(1).optional(), options: z.array(Option).optional() }).nullish() }),
  status: z.object({ name: z.string().optional() }).nullish(),
});
const PlaceAnswer = z.object({
  repository: z.object({ issueOrPullRequest: z.object({ projectItems: z.object({ nodes: z.array(PlaceNode.nullable()) }).optional() }).nullable() }).nullable(),
});

/** The issue's item in the Project, with the ids a Status change needs. */
interface ItemInProject extends ProjectPlace {
  readonly projectId: string;
  readonly fieldId: string | undefined;
  readonly optionIds: ReadonlyMap<string, string>;
}

export interface GitHubBlockedHost {
  readonly client: GitHubClient;
  readonly owner: string;
  readonly repo: string;
  /** aiDevops.github.projectNumber (the sandbox's is 1); null: none configured. */
  readonly projectNumber: number | null;
  key(number: number): string;
  fetchIssue(number: number, signal: AbortSignal | undefined): Promise<{ readonly item: WorkItem }>;
}

/** The issue's item in the configured Project, or undefined (no Project configured, or the issue is not in it). */
export async function issuePlace(host: GitHubBlockedHost, number: number, signal: AbortSignal | undefined): Promise<ItemInProject | undefined> {
  if (host.projectNumber === null) return undefined;
  const answer = await host.client.graphql(`reading where ${host.key(number)} is in project ${host.projectNumber}`, placeQuery, { owner: host.owner, repo: host.repo, number }, PlaceAnswer, signal ? { signal } : {});
  const issue = answer.repository?.issueOrPullRequest;
  if (!issue) throw new DevOpsError('notFound', `${host.key(number)} was not found.`, { status: 404 });
  const node = (issue.projectItems?.nodes ?? []).find((n) => n !== null && !n.isArchived && n.project.number === host.projectNumber);
  if (!node) return undefined;
  const options = node.project.status?.options ?? [];
  return {
    projectNumber: node.project.number,
    itemId: node.id,
    status: node.status?.name ?? undefined,
    options: options.map((o) => o.name),
    projectId: node.project.id,
    fieldId: node.project.status?.id,
    optionIds: new Map(options.map((o) => [o.name, o.id])),
  };
}

const optionFor = (place: ItemInProject, state: 'Blocked' | 'Ready'): string | undefined => place.options.find((o) => lifecycleForStatus(o) === state);

/** Blocked by the Project's Status or by the label. */
function blockedNow(item: WorkItem, place: ItemInProject | undefined): boolean {
  return hasTag(item.tags, BLOCKED_LABEL) || (place?.status !== undefined && lifecycleForStatus(place.status) === 'Blocked');
}

export function setBlockedKind(host: GitHubBlockedHost): WriteKind<z.infer<typeof SetBlockedPayload>> {
  const path = { owner: host.owner, repo: host.repo };
  const setStatus = async (place: ItemInProject, name: string, what: string, signal: AbortSignal | undefined): Promise<void> => {
    const optionId = place.optionIds.get(name);
    if (!place.fieldId || !optionId) throw new DevOpsError('badResponse', `GitHub did not give the id of the "${name}" option of project ${place.projectNumber}.`);
    const done = await host.client.graphql(what, setStatusMutation, { projectId: place.projectId, itemId: place.itemId, fieldId: place.fieldId, optionId }, UpdateItemFieldSchema, { ...(signal ? { signal } : {}), write: true });
    if (!done.updateProjectV2ItemFieldValue?.projectV2Item) throw new DevOpsError('badResponse', `GitHub did not confirm the Status change (${what}).`);
  };
  return {
    kind: 'setBlocked',
    payload: SetBlockedPayload,
    observe: async (p, context) => {
      const [{ item }, place] = await Promise.all([host.fetchIssue(p.number, context.signal), issuePlace(host, p.number, context.signal)]);
      return { values: { [BLOCKED_FIELD]: blockedNow(item, place) }, result: item, url: item.url };
    },
    send: async (p, _observed, context) => {
      const key = host.key(p.number);
      const signal = context.signal;
      const [{ item }, place] = await Promise.all([host.fetchIssue(p.number, signal), issuePlace(host, p.number, signal)]);
      const blockedOption = place ? optionFor(place, 'Blocked') : undefined;
      const withSignal = { ...(signal ? { signal } : {}), write: true };
      if (p.blocked) {
        if (place && blockedOption) await setStatus(place, blockedOption, `moving ${key} to ${blockedOption} in project ${place.projectNumber}`, signal);
        else await host.client.rest(`labelling ${key} ${BLOCKED_LABEL}`, (kit, request) => kit.rest.issues.addLabels({ ...path, issue_number: p.number, labels: [BLOCKED_LABEL], request }), withSignal);
      } else {
        if (place?.status !== undefined && lifecycleForStatus(place.status) === 'Blocked') {
          const ready = optionFor(place, 'Ready');
          if (!ready) {
            throw new DevOpsError('refused', `Project ${place.projectNumber} has no Ready status to move ${key} back to from ${place.status}; add a "Ready" option (AI DevOps: Bootstrap Project adds it) or move the item yourself.`);
          }
          await setStatus(place, ready, `moving ${key} back to ${ready} in project ${place.projectNumber}`, signal);
        }
        const label = item.tags.find((t) => t.toLowerCase() === BLOCKED_LABEL);
        if (label) await host.client.rest(`removing the ${label} label from ${key}`, (kit, request) => kit.rest.issues.removeLabel({ ...path, issue_number: p.number, name: label, request }), withSignal);
      }
      return (await host.fetchIssue(p.number, signal)).item;
    },
  };
}
