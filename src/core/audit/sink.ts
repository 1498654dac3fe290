import { type AuditEvent, type AuditInput } from './event';
import { type AgentRun } from './runs';

export interface AuditDisposable {
  dispose(): void;
}

/**
 * Where audit events go. The file provider implements it (src/providers/audit); agents and
 * providers get one through their context and call `append` for every step and remote change.
 */
export interface AuditSink {
  /** Redacts, chains and durably appends one event; resolves with the event as written. */
  append(input: AuditInput): Promise<AuditEvent>;
  /** Fires after each event is on disk (views refresh on it). */
  onDidAppend(listener: (event: AuditEvent) => void): AuditDisposable;
  /** Resolves when every append started so far is written. */
  flush(): Promise<void>;
}

/**
 * A copy of the trail kept elsewhere, implemented by the Azure DevOps provider: per finished agent
 * run one comment on each item it touched and a section of the day's wiki page; an event outside
 * any run that touches an item, a comment of its own. Called after the
 * event is written locally; a failure here never loses the local event (the implementation owns
 * retries, through the outbox).
 */
export interface AuditMirror {
  mirrorEvent(event: AuditEvent): Promise<void>;
  publishRun(run: AgentRun): Promise<void>;
}
