import { type ChatModel } from '../../core/ai/chatModel';
import { type ChatMessage, type ChatOptions } from '../../core/ai/messages';
import { isModelError, ModelError, type ModelFailure } from '../../core/ai/modelErrors';
import { CONFIGURE_MODEL_BUTTONS, type ChatOutput } from '../../core/chat/chatOutput';
import { isDevOpsError } from '../../core/errors';
import { redactText } from '../../core/redact';
import { type ModelAccess } from './chatServices';

/** Failures that mean "no usable model here" rather than "this request went wrong". */
const NOT_CONFIGURED: readonly ModelFailure[] = ['noModel', 'noKey', 'missingSetting', 'badKey', 'unknownModel'];

export type ModelAnswer = { readonly ok: true; readonly text: string; readonly model: string } | { readonly ok: false; readonly error: ModelError };

export const asModelError = (error: unknown): ModelError =>
  isModelError(error) ? error : new ModelError('outage', 'vscode', '', isDevOpsError(error) || error instanceof Error ? redactText(error.message) : String(error), { cause: error });

/**
 * Streams the model's reply into the chat as it arrives. A failure before the first word comes back
 * as `{ ok: false }` (the caller answers without the model); a failure after it is noted under the
 * partial answer, which stays. Cancellation is passed through as a ModelError 'cancelled'.
 */
export async function streamModelAnswer(models: ModelAccess, messages: readonly ChatMessage[], output: ChatOutput, signal: AbortSignal, options: Omit<ChatOptions, 'signal'> = {}): Promise<ModelAnswer> {
  let model: ChatModel;
  try {
    model = await models.get(signal);
  } catch (error) {
    return { ok: false, error: asModelError(error) };
  }
  let text = '';
  try {
    for await (const chunk of model.stream(messages, { ...options, signal })) {
      if (chunk.type === 'text' && chunk.text) {
        text += chunk.text;
        output.markdown(chunk.text);
      }
    }
  } catch (error) {
    const e = asModelError(error);
    if (!text) return { ok: false, error: e };
    if (e.failure !== 'cancelled') output.markdown(`\n\n_The model stopped before finishing: ${e.message}_`);
    return { ok: true, text, model: model.info.name };
  }
  return { ok: true, text, model: model.info.name };
}

/** The whole reply at once (for text that is post-processed before it is shown, like a commit message). */
export async function completeWithModel(models: ModelAccess, messages: readonly ChatMessage[], signal: AbortSignal): Promise<ModelAnswer> {
  try {
    const model = await models.get(signal);
    const reply = await model.complete(messages, { signal });
    return { ok: true, text: reply.text, model: model.info.name };
  } catch (error) {
    return { ok: false, error: asModelError(error) };
  }
}

/** Says why the model did not answer, with the buttons that fix it when it is a matter of configuration. */
export function noteModelUnavailable(output: ChatOutput, error: ModelError, what: string): void {
  if (error.failure === 'cancelled') return;
  output.markdown(`\n\n_${what} needs a language model, and none answered: ${error.message}_\n`);
  if (NOT_CONFIGURED.includes(error.failure)) for (const b of CONFIGURE_MODEL_BUTTONS) output.button(b);
}
