import { type AttentionEntry } from '../../core/lifecycle/attention';
import { type AgentRun, type AuditEvent, type AuditSink } from '../../core/audit';
import { type OutboxView, type WorkTracker } from '../../core/boards/workTracker';
import { type ChatModel } from '../../core/ai/chatModel';
import { type AuditQuery } from '../../core/chat/auditQuery';
import { type ChatOutput } from '../../core/chat/chatOutput';
import { type FileContext, type HistoryTurn } from '../../core/chat/prompts';
import { type Logger } from '../../core/host';
import { type TrackerKind } from '../../core/workItem';
import { type ConnectedScope } from '../../core/todo/referenceScope';
import { type WorkspaceGit } from '../git/workspaceGit';
import { type ChatAgents } from './agents/agentChat';

/** The trackers as they are now (each undefined while not connected). */
export interface ChatTrackers {
  azure(): WorkTracker | undefined;
  github(): WorkTracker | undefined;
  /** Where each tracker reads; a reference naming elsewhere is refused, not answered with a same-id item. */
  scope?(kind: TrackerKind): ConnectedScope | undefined;
}

/** What a search of the whole trail found: counts, and the newest matching events (newest first). */
export interface AuditSearchResult {
  readonly total: number;
  /** Actions (correlation ids) the matching events belong to. */
  readonly groups: number;
  readonly events: readonly AuditEvent[];
}

/** The audit trail as @devops reads and writes it (answered from the trail's index). */
export interface ChatAudit {
  readonly sink: AuditSink;
  /** Events in the whole trail. */
  count(): number;
  /** Services that wrote events (agents among them). */
  services(): readonly string[];
  /** The events matching a question's filters, counted over the whole trail; the newest `limit` returned. */
  search(query: AuditQuery, limit: number): Promise<AuditSearchResult>;
  /** The newest agent runs with their events, newest first. */
  recentRuns(limit: number): Promise<readonly AgentRun[]>;
  /** Resolves once the trail is read up to what was written so far. */
  ready(): Promise<void>;
  /** Why there are no events, when there are none: no folder open, or the trail could not be read. */
  unavailable(): string | undefined;
}

/** What @devops needs of git (WorkspaceGit implements it). */
export type ChatGit = Pick<WorkspaceGit, 'isRepository' | 'status' | 'diff'>;

/** Everything an answer may use, apart from the request. */
export interface ChatServices {
  readonly trackers: ChatTrackers;
  readonly outbox: OutboxView | undefined;
  readonly audit: ChatAudit;
  /** Undefined when no folder is open. */
  readonly git: ChatGit | undefined;
  defaultTracker(): TrackerKind;
  readonly log: Logger;
  now(): Date;
  /** The user's time zone, minutes east of UTC ("today" in /audit is their day). */
  timeZoneOffsetMinutes(): number;
  /** What the orchestrator left to a person (`.devops/lifecycle/attention.json`); absent without a folder. */
  attention?(): Promise<readonly AttentionEntry[]>;
  /** The agents' runner; undefined when no folder is open. */
  readonly agents?: ChatAgents;
}

/**
 * The model for this request: the one picked in the Chat view, else the configured one. Throws a
 * ModelError (`noModel` and friends) that says how to configure one.
 */
export interface ModelAccess {
  get(signal?: AbortSignal): Promise<ChatModel>;
}

export interface ChatRequestInput {
  /** The slash command without the slash, undefined for a free-form question. */
  readonly command: string | undefined;
  /** What the user typed after the participant and command. */
  readonly prompt: string;
  readonly history: readonly HistoryTurn[];
  /** Files and selections the user attached (#file). */
  readonly files: readonly FileContext[];
  readonly model: ModelAccess;
  readonly output: ChatOutput;
  readonly signal: AbortSignal;
}
