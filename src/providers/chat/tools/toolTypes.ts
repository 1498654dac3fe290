import { type z } from 'zod';
import { type AuditSink } from '../../../core/audit';
import { type Logger } from '../../../core/host';
import { type TrackerKind } from '../../../core/workItem';
import { type ChatTrackers } from '../chatServices';

/** What the work item tools need. */
export interface ToolContext {
  readonly trackers: ChatTrackers;
  readonly audit: AuditSink;
  defaultTracker(): TrackerKind;
  readonly log: Logger;
  /** Who asked, for the audit trail: the tool invocation's own id. */
  newCorrelationId(): string;
}

/** What VS Code shows before a tool runs: always a progress line, and for changes a confirmation naming the exact change. */
export interface ToolPreparation {
  readonly invocationMessage: string;
  readonly confirmation?: { readonly title: string; readonly message: string };
}

/**
 * One language-model tool of package.json contributes.languageModelTools, in plain node. The VS
 * Code side (src/chat/registerTools.ts) validates input with `schema`, asks for confirmation with
 * `prepare` and returns what `invoke` returns as the tool's text result.
 */
export interface ChatTool<I> {
  readonly name: string;
  readonly description: string;
  readonly schema: z.ZodType<I>;
  /** True for tools that change something remote: they must confirm and they write audit events. */
  readonly changes: boolean;
  prepare(input: I, ctx: ToolContext, signal?: AbortSignal): Promise<ToolPreparation>;
  invoke(input: I, ctx: ToolContext, signal?: AbortSignal): Promise<string>;
}
