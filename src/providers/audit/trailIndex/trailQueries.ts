import { type AgentRun, agentRuns, type AuditEvent } from '../../../core/audit';
import { type AuditQuery, filterAuditEvents } from '../../../core/chat/auditQuery';
import { type AuditIndex, type IndexQuery } from './auditIndex';

/** A chat question's filters as an index search (agents are written `qa` or `agent.qa`). */
export function indexQueryFor(query: AuditQuery): IndexQuery {
  return {
    ...(query.workItemId !== undefined ? { workItemId: query.workItemId } : {}),
    ...(query.service !== undefined ? { services: [query.service, `agent.${query.service}`] } : {}),
    ...(query.period ? { from: Date.parse(query.period.from), to: Date.parse(query.period.to) } : {}),
    ...(query.eventTypes ? { eventTypes: query.eventTypes } : {}),
  };
}

export interface TrailSearch {
  /** Events in the whole trail matching the query, and the actions (correlation ids) they belong to. */
  readonly total: number;
  readonly groups: number;
  /** The newest matching events, newest first, at most the limit asked for. */
  readonly events: readonly AuditEvent[];
}

/** The chat filter over the whole trail: counted in the index, only the newest `limit` events read. */
export async function searchTrail(index: AuditIndex, query: AuditQuery, limit: number): Promise<TrailSearch> {
  const found = index.search(indexQueryFor(query), limit);
  const events = (await index.readEvents(found.rows)).map((s) => s.event);
  // The events themselves have the last word (a work item id past 2^32 is only approximate in the index).
  return { total: found.total, groups: found.groups, events: filterAuditEvents(events, query) };
}

/** The newest agent runs with their events (read from disk), newest first. */
export async function recentRuns(index: AuditIndex, limit: number): Promise<AgentRun[]> {
  const ids = index.newestGroups(limit, -1, true);
  const runs = await Promise.all(ids.map(async (id) => agentRuns((await index.readEvents(index.groupRows(id))).map((s) => s.event))[0]));
  return runs.filter((r): r is AgentRun => r !== undefined);
}
