/** The models each stand-in serves. Context sizes follow the real models, so "context too long" happens where it would. */
export interface StandInModel {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly contextTokens: number;
  readonly maxOutputTokens: number;
}

export const OPENAI_MODELS: readonly StandInModel[] = [
  { id: 'gpt-4o-mini', name: 'GPT-4o mini', family: 'gpt-4o', contextTokens: 128_000, maxOutputTokens: 16_384 },
  { id: 'gpt-4.1-mini', name: 'GPT-4.1 mini', family: 'gpt-4.1', contextTokens: 1_047_576, maxOutputTokens: 32_768 },
];

/** Azure OpenAI addresses deployments, not models; the sandbox has one deployment per model. */
export const AZURE_DEPLOYMENTS: Readonly<Record<string, string>> = { 'gpt-4o-mini': 'gpt-4o-mini', chat: 'gpt-4o-mini' };

export const OLLAMA_MODELS: readonly (StandInModel & { readonly parameterSize: string; readonly tools: boolean })[] = [
  { id: 'llama3.2:latest', name: 'llama3.2:latest', family: 'llama', contextTokens: 131_072, maxOutputTokens: 4_096, parameterSize: '3.2B', tools: true },
  { id: 'qwen2.5-coder:7b', name: 'qwen2.5-coder:7b', family: 'qwen2', contextTokens: 32_768, maxOutputTokens: 4_096, parameterSize: '7.6B', tools: true },
];

export const GEMINI_MODELS: readonly StandInModel[] = [
  { id: 'gemini-2.5-flash', name: 'Gemini 2.5 Flash', family: 'gemini-2.5', contextTokens: 1_048_576, maxOutputTokens: 65_536 },
  { id: 'gemini-2.0-flash-lite', name: 'Gemini 2.0 Flash-Lite', family: 'gemini-2.0', contextTokens: 32_768, maxOutputTokens: 8_192 },
];

export const WATSONX_MODELS: readonly StandInModel[] = [
  { id: 'ibm/granite-3-8b-instruct', name: 'granite-3-8b-instruct', family: 'granite', contextTokens: 131_072, maxOutputTokens: 8_192 },
  { id: 'meta-llama/llama-3-3-70b-instruct', name: 'llama-3-3-70b-instruct', family: 'llama', contextTokens: 131_072, maxOutputTokens: 8_192 },
];

/** Ollama accepts `llama3.2` for `llama3.2:latest`. */
export const findOllamaModel = (name: string): (typeof OLLAMA_MODELS)[number] | undefined =>
  OLLAMA_MODELS.find((m) => m.id === name || m.id === `${name}:latest`);

export const findModel = (list: readonly StandInModel[], id: string): StandInModel | undefined => list.find((m) => m.id === id);
