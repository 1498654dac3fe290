import { randomBytes } from 'node:crypto';

/**
 * The sandbox's one user and the credentials its stand-ins accept. A running sandbox (Sandbox.start)
 * makes its own random credentials per session, so a web page that reaches the loopback port cannot
 * know them; tests that build stand-ins directly use the fixed ones below. Anything else gets 401.
 */
export const SANDBOX_USER = {
  displayName: 'Sandbox User',
  email: 'sandbox.user@example.com',
  /** Azure DevOps identity id (a fixed GUID). */
  adoId: '6b8d2d5e-3f0a-4f5c-9a59-0d1c2b3a4e5f',
  githubLogin: 'sandbox-user',
  githubId: 1001,
} as const;

export interface SandboxCredentials {
  readonly azureDevOpsPat: string;
  /** Bearer token as a Microsoft sign-in session would give one. */
  readonly azureDevOpsBearer: string;
  readonly githubToken: string;
  readonly openaiKey: string;
  readonly geminiKey: string;
  readonly watsonxApiKey: string;
}

/** Fixed credentials for stand-ins that tests and benchmarks build directly. */
export const SANDBOX_CREDENTIALS: SandboxCredentials = {
  azureDevOpsPat: 'sandbox-azure-devops-pat',
  /** Bearer token as a Microsoft sign-in session would give one. */
  azureDevOpsBearer: 'sandbox-azure-devops-bearer',
  githubToken: 'sandbox-github-token',
  openaiKey: 'sandbox-openai-key',
  geminiKey: 'sandbox-gemini-key',
  watsonxApiKey: 'sandbox-watsonx-apikey',
};

/** Fresh credentials for one sandbox session. */
export function randomSandboxCredentials(): SandboxCredentials {
  const token = (prefix: string): string => `${prefix}-${randomBytes(18).toString('base64url')}`;
  return {
    azureDevOpsPat: token('sandbox-pat'),
    azureDevOpsBearer: token('sandbox-bearer'),
    githubToken: token('sandbox-gh'),
    openaiKey: token('sandbox-openai'),
    geminiKey: token('sandbox-gemini'),
    watsonxApiKey: token('sandbox-watsonx'),
  };
}

export const SANDBOX_ORGANIZATION = 'sandbox-org';
export const SANDBOX_PROJECT = 'Contoso Web';
export const SANDBOX_GITHUB = { owner: 'contoso', repo: 'contoso-web', projectNumber: 1 } as const;
