/**
 * The sandbox's one user and the credentials its stand-ins accept. They open nothing but the
 * loopback stand-ins, so they are constants, not secrets; anything else is refused with 401.
 */
export const SANDBOX_USER = {
  displayName: 'Sandbox User',
  email: 'sandbox.user@example.com',
  /** Azure DevOps identity id (a fixed GUID). */
  adoId: '6b8d2d5e-3f0a-4f5c-9a59-0d1c2b3a4e5f',
  githubLogin: 'sandbox-user',
  githubId: 1001,
} as const;

export const SANDBOX_CREDENTIALS = {
  azureDevOpsPat: 'sandbox-azure-devops-pat',
  /** Bearer token as a Microsoft sign-in session would give one. */
  azureDevOpsBearer: 'sandbox-azure-devops-bearer',
  githubToken: 'sandbox-github-token',
  openaiKey: 'sandbox-openai-key',
  geminiKey: 'sandbox-gemini-key',
  watsonxApiKey: 'sandbox-watsonx-apikey',
} as const;

export const SANDBOX_ORGANIZATION = 'sandbox-org';
export const SANDBOX_PROJECT = 'Contoso Web';
export const SANDBOX_GITHUB = { owner: 'contoso', repo: 'contoso-web', projectNumber: 1 } as const;
