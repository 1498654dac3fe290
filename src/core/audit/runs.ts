import { AUDIT_EVENTS, type AuditEvent, isAgentService } from './event';

/** Events that share a correlation id: one user action, agent run or remote change. */
export interface AuditGroup {
  readonly correlationId: string;
  /** Oldest first. */
  readonly events: readonly AuditEvent[];
  readonly firstAt: string;
  readonly lastAt: string;
}

/** Groups events by correlation id, newest group first (by its latest event); events oldest first within. */
export function groupByCorrelation(events: Iterable<AuditEvent>): AuditGroup[] {
  const byId = new Map<string, AuditEvent[]>();
  for (const e of events) {
    const list = byId.get(e.correlationId);
    if (list) list.push(e);
    else byId.set(e.correlationId, [e]);
  }
  return [...byId.entries()]
    .map(([correlationId, list]) => {
      const sorted = [...list].sort((a, b) => a.seq - b.seq);
      return { correlationId, events: sorted, firstAt: sorted[0]!.timestamp, lastAt: sorted[sorted.length - 1]!.timestamp };
    })
    .sort((a, b) => (a.lastAt < b.lastAt ? 1 : a.lastAt > b.lastAt ? -1 : 0));
}

export type RunOutcome = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface AgentRun extends AuditGroup {
  /** The agent that ran (the first agent service among the events). */
  readonly agent: string;
  readonly outcome: RunOutcome;
  /** Agent steps (run.step and any other event of an agent service), oldest first. */
  readonly steps: readonly AuditEvent[];
  readonly workItemIds: readonly number[];
}

const OUTCOME: Readonly<Record<string, RunOutcome>> = {
  [AUDIT_EVENTS.runCompleted]: 'succeeded',
  [AUDIT_EVENTS.runFailed]: 'failed',
  [AUDIT_EVENTS.runCancelled]: 'cancelled',
};

/** Runs: correlation groups with at least one event from an agent service. */
export function agentRuns(events: Iterable<AuditEvent>): AgentRun[] {
  const runs: AgentRun[] = [];
  for (const group of groupByCorrelation(events)) {
    const agentEvent = group.events.find((e) => isAgentService(e.service));
    if (!agentEvent) continue;
    const end = [...group.events].reverse().find((e) => OUTCOME[e.eventType] !== undefined);
    const steps = group.events.filter((e) => e.eventType !== AUDIT_EVENTS.runStarted && OUTCOME[e.eventType] === undefined);
    const workItemIds = [...new Set(group.events.flatMap((e) => (e.workItemId === null ? [] : [e.workItemId])))];
    runs.push({ ...group, agent: agentEvent.service, outcome: end ? OUTCOME[end.eventType]! : 'running', steps, workItemIds });
  }
  return runs;
}

export function isRunEnd(event: AuditEvent): boolean {
  return OUTCOME[event.eventType] !== undefined;
}
