// Loaded with `await import('./sdk/watsonx')` so the SDK (and axios under it) is a lazy chunk (see sdk/openai.ts).
export { WatsonXAI } from '@ibm-cloud/watsonx-ai';
export { IamAuthenticator } from '@ibm-cloud/watsonx-ai/authentication';
