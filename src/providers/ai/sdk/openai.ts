// Loaded with `await import('./sdk/openai')`: esbuild turns a dynamic import of our own file into a
// separate chunk, so the SDK is read from disk on first use instead of at activation.
export { default as OpenAI, AzureOpenAI } from 'openai';
