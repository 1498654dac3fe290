import { type z } from 'zod';
import { type ChatModel } from '../../core/ai/chatModel';
import { type ChatMessage, type ChatOptions } from '../../core/ai/messages';
import { DevOpsError } from '../../core/errors';
import { type Decision } from './approvalPolicy';
import { type AgentModel } from './context';

export interface AgentModelDeps {
  readonly model: ChatModel;
  /** The approval policy's decision for `cloudModel` for this agent. */
  readonly decision: Decision;
  /** Asks once per run before the first prompt goes to a cloud model. */
  readonly confirm: (modelName: string) => Promise<boolean>;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  readonly onCall?: (what: string) => void;
}

/**
 * The model as agents get it. A local model (loopback Ollama) needs no approval; a cloud model
 * gets workspace content only after the policy allows it or the user says yes (once per run).
 * Every call ends at the run's cancellation or its own time-out.
 */
export function agentModel(deps: AgentModelDeps): AgentModel | undefined {
  const { model } = deps;
  // Never, for a cloud model: the agent runs as if none were configured and says so itself.
  if (!model.info.local && deps.decision === 'never') return undefined;
  let allowed: Promise<boolean> | undefined = model.info.local || deps.decision === 'allow' ? Promise.resolve(true) : undefined;
  const gate = async (): Promise<AbortSignal> => {
    allowed ??= deps.confirm(model.info.name);
    if (!(await allowed)) throw new DevOpsError('refused', `You declined to send workspace content to ${model.info.name}; the agent went on without the model.`);
    return AbortSignal.any([deps.signal, AbortSignal.timeout(deps.timeoutMs)]);
  };
  const wrap = async <T>(what: string, call: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const signal = await gate();
    deps.onCall?.(what);
    try {
      return await call(signal);
    } catch (error) {
      if (deps.signal.aborted) throw new DevOpsError('cancelled', 'Cancelled.');
      if (signal.aborted) throw new DevOpsError('timeout', `${model.info.name} did not answer within ${Math.round(deps.timeoutMs / 1000)} s; the agent went on without it.`);
      throw error;
    }
  };
  return {
    info: model.info,
    complete: (messages: readonly ChatMessage[], options?: ChatOptions) => wrap('complete', (signal) => model.complete(messages, { ...options, signal })),
    completeJson: <T>(messages: readonly ChatMessage[], schema: z.ZodType<T>, options?: ChatOptions & { readonly schemaName?: string }) =>
      wrap('completeJson', (signal) => model.completeJson(messages, schema, { ...options, signal })),
  };
}
