import { type AttentionEntry } from '../core/lifecycle/attention';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { z } from 'zod';
import { type AuditSink } from '../core/audit';
import { type OutboxView } from '../core/boards/workTracker';
import { type ChatAnswer } from '../core/chat/chatOutput';
import { type Logger } from '../core/host';
import { TrackerKindSchema, type TrackerKind } from '../core/workItem';
import { type DisposableStore } from '../host/disposable';
import { type ModelRegistry } from '../providers/ai/modelRegistry';
import { type ChatAgents } from '../providers/chat/agents/agentChat';
import { type ChatAudit, type ChatServices, type ChatTrackers } from '../providers/chat/chatServices';
import { followupsFor } from '../providers/chat/followups';
import { routeChatRequest } from '../providers/chat/router';
import { type ToolContext } from '../providers/chat/tools/toolTypes';
import { WorkspaceGit } from '../providers/git/workspaceGit';
import { type AuditTrailModel } from '../views/audit/auditTrailModel';
import { registerWorkItemTools } from './registerTools';
import { attachedFiles, historyTurns } from './requestContext';
import { modelAccessFor } from './requestModel';
import { streamOutput } from './streamOutput';

export const PARTICIPANT_ID = 'aiDevops.devops';

export interface ChatFeatureDeps {
  readonly log: Logger;
  readonly models: ModelRegistry;
  /** The trackers as they are now; each undefined while not connected. */
  readonly trackers: ChatTrackers;
  readonly outbox: OutboxView | undefined;
  readonly audit: { readonly sink: AuditSink; readonly model: AuditTrailModel };
  readonly workspaceRoot: string | undefined;
  /** The agents' runner for the agent slash commands. */
  readonly agents?: ChatAgents;
}

/** Metadata kept with each answer in the chat history; read back (validated) for follow-ups. */
const AnswerSchema = z.object({
  command: z.string(),
  workItems: z.array(z.string()).optional(),
  usedModel: z.boolean().optional(),
  error: z.string().optional(),
});

function chatAudit(sink: AuditSink, model: AuditTrailModel): ChatAudit {
  return {
    sink,
    count: () => model.eventCount,
    services: () => model.services(),
    search: (query, limit) => model.search(query, limit),
    recentRuns: (limit) => model.recentRuns(limit),
    // Read afresh: the view's model catches up shortly after an append, and an answer right after a
    // change (a tool call, an agent step) must include it.
    ready: async () => {
      if (model.state === 'noWorkspace') return;
      await sink.flush();
      await model.refresh();
    },
    unavailable: () => (model.state === 'noWorkspace' ? 'no folder is open, so there is no audit trail' : model.state === 'error' ? (model.error ?? 'the audit files could not be read') : undefined),
  };
}

/** The orchestrator's open questions, read when /status asks (the store's code loads then). */
const attentionOf = (root: string) => async (): Promise<readonly AttentionEntry[]> => new (await import('../agents/runtime/attentionStore')).AttentionStore(root).list();

const defaultTracker = (): TrackerKind => TrackerKindSchema.catch('azureBoards').parse(vscode.workspace.getConfiguration('aiDevops').get('workItems.defaultTracker'));

/** The services and tool context the participant and the tools share, built from the deps. */
export function chatServices(deps: ChatFeatureDeps): { services: ChatServices; tools: ToolContext } {
  const services: ChatServices = {
    trackers: deps.trackers,
    outbox: deps.outbox,
    audit: chatAudit(deps.audit.sink, deps.audit.model),
    git: deps.workspaceRoot ? new WorkspaceGit(deps.workspaceRoot, { trusted: () => vscode.workspace.isTrusted }) : undefined,
    defaultTracker,
    log: deps.log,
    now: () => new Date(),
    timeZoneOffsetMinutes: () => -new Date().getTimezoneOffset(),
    ...(deps.agents && deps.workspaceRoot ? { agents: deps.agents } : {}),
    ...(deps.workspaceRoot ? { attention: attentionOf(deps.workspaceRoot) } : {}),
  };
  const tools: ToolContext = {
    trackers: deps.trackers,
    audit: deps.audit.sink,
    defaultTracker,
    log: deps.log,
    newCorrelationId: () => `chat-${randomUUID()}`,
  };
  return { services, tools };
}

/** The participant's request handler: thin; everything it answers is decided in src/providers/chat. */
export function createChatHandler(services: ChatServices, tools: ToolContext, models: ModelRegistry): vscode.ChatRequestHandler {
  return async (request, context, stream, token): Promise<vscode.ChatResult> => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    try {
      const output = streamOutput(stream);
      const files = await attachedFiles(request.references, output);
      const answer: ChatAnswer = await routeChatRequest(
        { command: request.command, prompt: request.prompt, history: historyTurns(context.history), files, model: modelAccessFor(request.model, models), output, signal: controller.signal },
        services,
        tools,
      );
      return { metadata: answer };
    } finally {
      cancel.dispose();
    }
  };
}

/** Follow-ups from the answer's metadata (validated: it comes back from the persisted chat history). */
export const followupProvider: vscode.ChatFollowupProvider = {
  provideFollowups(result) {
    const answer = AnswerSchema.safeParse(result.metadata);
    if (!answer.success) return [];
    return followupsFor(answer.data).map((f) => ({ prompt: f.prompt, label: f.label, ...(f.command ? { command: f.command } : {}) }));
  },
};

/** What answers the `@devops` participant: its request handler and its follow-ups. */
export interface ChatParticipantParts {
  readonly handler: vscode.ChatRequestHandler;
  readonly followupProvider: vscode.ChatFollowupProvider;
}

/**
 * The `@devops` chat participant's answers (slash commands, follow-ups, buttons, references) and
 * the language-model tools of contributes.languageModelTools (registered into `scope`). The
 * participant itself is made by the extension's entry (src/extension.ts) during activation, before
 * this code is loaded, and hands its requests to these once it is.
 */
export function registerChatFeature(scope: DisposableStore, deps: ChatFeatureDeps): ChatParticipantParts {
  const { services, tools } = chatServices(deps);
  scope.add(...registerWorkItemTools(tools));
  return { handler: createChatHandler(services, tools, deps.models), followupProvider };
}
