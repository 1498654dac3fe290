/**
 * Context and output limits of well-known model families, for providers whose API does not say
 * (OpenAI's /models has no limits). Unknown models get a conservative default.
 */
const KNOWN: readonly { readonly match: RegExp; readonly input: number; readonly output: number }[] = [
  { match: /^gpt-4\.1/, input: 1_047_576, output: 32_768 },
  { match: /^gpt-5/, input: 400_000, output: 128_000 },
  { match: /^gpt-4o/, input: 128_000, output: 16_384 },
  { match: /^o[134](-|$)/, input: 200_000, output: 100_000 },
  { match: /^gpt-4-turbo/, input: 128_000, output: 4_096 },
  { match: /^gpt-3\.5/, input: 16_385, output: 4_096 },
  { match: /^gemini-(2|3)/, input: 1_048_576, output: 65_536 },
  { match: /^gemini-1\.5/, input: 1_048_576, output: 8_192 },
  { match: /granite/, input: 131_072, output: 8_192 },
  { match: /llama-?3/, input: 131_072, output: 8_192 },
];

export function limitsOf(model: string): { maxInputTokens: number; maxOutputTokens: number } {
  const found = KNOWN.find((k) => k.match.test(model.toLowerCase()));
  return found ? { maxInputTokens: found.input, maxOutputTokens: found.output } : { maxInputTokens: 128_000, maxOutputTokens: 4_096 };
}

/** The family name VS Code shows and selects on: the model id without its date or size suffix. */
export const familyOf = (model: string): string => model.replace(/^models\//, '').replace(/[:@].*$/, '').replace(/-\d{4}-\d{2}-\d{2}$/, '');
