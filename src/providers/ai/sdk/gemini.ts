// Loaded with `await import('./sdk/gemini')` so the SDK is a lazy chunk (see sdk/openai.ts).
export { GoogleGenAI } from '@google/genai';
