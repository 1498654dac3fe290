import { z } from 'zod';

/**
 * One line of the audit trail. `seq` (0-based, across files) is not a secret and not part of the
 * chain's strength; it lets `verify` tell a dropped line from a reordered or duplicated one.
 */
export const HASH_HEX = /^[0-9a-f]{64}$/;
/** `prev` of the very first event. */
export const GENESIS = '0'.repeat(64);
/** Dotted camelCase: `run.started`, `workItem.stateChanged`. */
export const EVENT_TYPE = /^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*$/;

const text = (max: number) => z.string().min(1).max(max);

export const AuditEventSchema = z
  .object({
    seq: z.number().int().nonnegative(),
    correlationId: text(200),
    eventType: z.string().regex(EVENT_TYPE).max(100),
    service: text(100),
    workItemId: z.number().int().positive().nullable(),
    repository: z.string().max(500).nullable(),
    oldState: z.string().max(200).nullable(),
    newState: z.string().max(200).nullable(),
    metadata: z.record(z.string(), z.json()),
    timestamp: z.iso.datetime(),
    user: z.string().max(200).nullable(),
    prev: z.string().regex(HASH_HEX),
    hash: z.string().regex(HASH_HEX),
  })
  .strict();
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** What a caller hands the sink; the sink redacts it, stamps seq/timestamp/prev/hash and writes it. */
export const AuditInputSchema = z.object({
  correlationId: text(200),
  eventType: z.string().regex(EVENT_TYPE, 'use dotted camelCase such as "run.started"').max(100),
  service: text(100),
  workItemId: z.number().int().positive().nullish(),
  repository: z.string().max(500).nullish(),
  oldState: z.string().max(200).nullish(),
  newState: z.string().max(200).nullish(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  user: z.string().max(200).nullish(),
});
export type AuditInput = z.input<typeof AuditInputSchema>;

/** Event types the extension writes; agents and providers use these names so the views can read runs. */
export const AUDIT_EVENTS = {
  runStarted: 'run.started',
  runStep: 'run.step',
  runCompleted: 'run.completed',
  runFailed: 'run.failed',
  runCancelled: 'run.cancelled',
  workItemCreated: 'workItem.created',
  workItemUpdated: 'workItem.updated',
  workItemStateChanged: 'workItem.stateChanged',
  workItemCommented: 'workItem.commented',
  fileWritten: 'file.written',
  commandRun: 'command.run',
  commandRefused: 'command.refused',
  auditRecovered: 'audit.recovered',
} as const;

/** The agents of DESIGN.md; events from these services make up the Agent Runs view. */
export const AGENT_SERVICES = ['scaffold', 'qa', 'security', 'release', 'planner', 'platform', 'orchestrator', 'bootstrap'] as const;

export function isAgentService(service: string): boolean {
  return (AGENT_SERVICES as readonly string[]).includes(service) || service.startsWith('agent.');
}
