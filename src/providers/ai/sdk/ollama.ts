// Loaded with `await import('./sdk/ollama')` so the client is a lazy chunk (see sdk/openai.ts).
export { Ollama } from 'ollama';
