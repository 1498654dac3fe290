import * as vscode from 'vscode';
import { type ModelInfo, type ProviderId } from '../../core/ai/chatModel';
import { PROVIDER_LABELS } from '../../core/ai/modelErrors';
import { type Logger } from '../../core/host';
import { type ModelRegistry } from '../../providers/ai/modelRegistry';
import { type DisposableStore } from '../disposable';
import { fromVsCodeMessages, fromVsCodeTools } from './lmMessages';
import { OWN_VENDOR } from './vscodeModelProvider';

/** One of our models as VS Code's model picker knows it. */
interface OurModelInformation extends vscode.LanguageModelChatInformation {
  readonly provider: ProviderId;
  readonly model: ModelInfo;
}

/** Providers whose models we offer in VS Code's picker: everything but VS Code's own models. */
const OFFERED: readonly ProviderId[] = ['sandbox', 'ollama', 'openai', 'azureOpenai', 'gemini', 'watsonx'];

/** How long a model list is reused before the providers are asked again (VS Code asks often). */
const LIST_TTL_MS = 60_000;

/**
 * How long VS Code waits for our list before it gets the models that are ready; the rest follow
 * with a change event. The Chat model picker shows no model of any vendor until every provider has
 * answered, and a first listing may start the sandbox or wait on an endpoint that does not answer.
 */
const QUICK_LIST_MS = 1_500;

interface Listing {
  readonly at: number;
  /** Models of the providers that have answered so far. */
  readonly ready: OurModelInformation[];
  done: boolean;
  /** VS Code got a partial list and is told when the rest is in. */
  followUp: boolean;
  complete: Promise<OurModelInformation[]>;
}

const byOffer = (a: OurModelInformation, b: OurModelInformation): number => OFFERED.indexOf(a.provider) - OFFERED.indexOf(b.provider);

const toInformation = (m: ModelInfo): OurModelInformation => ({
  id: `${m.provider}/${m.id}`,
  name: m.provider === 'sandbox' ? 'Sandbox model (no account needed)' : `${m.name}`,
  family: m.family,
  version: m.id,
  detail: PROVIDER_LABELS[m.provider] ?? m.provider,
  tooltip: `${PROVIDER_LABELS[m.provider] ?? m.provider} ${m.id}, through AI DevOps (prompts are redacted before they are sent)`,
  maxInputTokens: m.maxInputTokens,
  maxOutputTokens: m.maxOutputTokens,
  // VS Code 1.139 without Copilot offers a model in the picker (and runs a participant with it) only
  // when it declares tool calling; ours implement it for real.
  capabilities: { toolCalling: true, imageInput: false },
  provider: m.provider,
  model: m,
});

/**
 * Registers our configured providers' models (and the sandbox's) with VS Code, so they can be
 * picked in the Chat view and used by any extension through vscode.lm, tool calls included.
 */
export function registerOurLanguageModels(scope: DisposableStore, registry: ModelRegistry, log: Logger): void {
  const changed = scope.add(new vscode.EventEmitter<void>());
  let listed: Listing | undefined;
  // VS Code asks a provider for its models lazily, and the Chat model picker shows only models it
  // already knows: without a selectChatModels call for our vendor the picker stayed at "Sign in to
  // use Copilot" (docs/testing.md). Ask once now, and again after each change, so it lists ours.
  const announce = (): void => {
    vscode.lm.selectChatModels({ vendor: OWN_VENDOR }).then(
      (models) => log.debug(`VS Code's model picker knows ${models.length} AI DevOps model(s).`),
      (error: unknown) => log.debug(`Could not list AI DevOps models for VS Code: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  scope.add(
    registry.onDidChange(() => {
      listed = undefined;
      changed.fire();
      announce();
    }),
  );

  const quick = (state: Listing): Promise<OurModelInformation[]> => {
    if (state.done) return state.complete;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const partial = new Promise<OurModelInformation[]>((resolve) => {
      timer = setTimeout(() => {
        if (!state.followUp) {
          state.followUp = true;
          void state.complete.then(() => {
            if (listed === state) changed.fire();
          });
        }
        resolve([...state.ready].sort(byOffer));
      }, QUICK_LIST_MS);
    });
    return Promise.race([state.complete.finally(() => clearTimeout(timer)), partial]);
  };

  const list = (): Promise<OurModelInformation[]> => {
    if (listed && Date.now() - listed.at < LIST_TTL_MS) return quick(listed);
    const signal = AbortSignal.timeout(8_000);
    const state: Listing = { at: Date.now(), ready: [], done: false, followUp: false, complete: Promise.resolve([]) };
    state.complete = Promise.all(
      OFFERED.map(async (provider) => {
        const [l] = await registry.listAll([provider], signal);
        if (l?.error && l.error.failure !== 'noKey' && l.error.failure !== 'noModel') log.debug(`No ${l.provider} models for the model picker: ${l.error.message}`);
        const models = (l?.models ?? []).filter((m) => m.toolCalling).map(toInformation);
        state.ready.push(...models);
        return models;
      }),
    ).then((all) => {
      state.done = true;
      return all.flat();
    });
    listed = state;
    return quick(state);
  };

  const provider: vscode.LanguageModelChatProvider<OurModelInformation> = {
    onDidChangeLanguageModelChatInformation: changed.event,
    provideLanguageModelChatInformation: () => list(),
    async provideLanguageModelChatResponse(model, messages, options, progress, token) {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      try {
        const chat = registry.model(model.provider, model.model.id, model.model);
        const tools = fromVsCodeTools(options.tools);
        const stream = chat.stream(fromVsCodeMessages(messages), {
          tools,
          toolMode: tools.length === 0 ? undefined : options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto',
          signal: controller.signal,
        });
        for await (const chunk of stream) {
          if (chunk.type === 'text') progress.report(new vscode.LanguageModelTextPart(chunk.text));
          else if (chunk.type === 'toolCall') progress.report(new vscode.LanguageModelToolCallPart(chunk.call.id, chunk.call.name, { ...chunk.call.arguments }));
        }
      } finally {
        subscription.dispose();
      }
    },
    async provideTokenCount(model, text) {
      const input = typeof text === 'string' ? text : fromVsCodeMessages([text]);
      return (await registry.model(model.provider, model.model.id, model.model).countTokens(input)).tokens;
    },
  };
  scope.add(vscode.lm.registerLanguageModelChatProvider(OWN_VENDOR, provider));
  announce();
}
