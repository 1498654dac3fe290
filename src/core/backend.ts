/**
 * Where the outside services are for this session: the live ones from the user's settings, or the
 * local stand-ins of the sandbox. Providers ask for endpoints here instead of reading settings, so
 * the same client code talks to dev.azure.com, api.github.com or 127.0.0.1.
 */
export interface AzureDevOpsEndpoint {
  readonly organizationUrl: string;
  readonly project: string;
  readonly team: string;
}

export interface GitHubEndpoint {
  /** REST base URL; GraphQL is `${baseUrl}/graphql` (api.github.com) or the GHES form. */
  readonly baseUrl: string;
  readonly owner: string;
  readonly repo: string;
  readonly projectNumber: number | null;
}

/** Model endpoints of the sandbox (live providers take theirs from the ai.* settings). */
export interface SandboxModelEndpoints {
  readonly openaiBaseUrl: string;
  readonly ollamaHost: string;
  readonly geminiBaseUrl: string;
  readonly watsonxUrl: string;
  readonly watsonxIamUrl: string;
}

export interface ServiceEndpoints {
  readonly kind: 'live' | 'sandbox';
  /** Undefined when the user has not configured Azure DevOps (live) . */
  readonly azureDevOps: AzureDevOpsEndpoint | undefined;
  readonly github: GitHubEndpoint | undefined;
  readonly models: SandboxModelEndpoints | undefined;
  /** Where the security agent asks about package vulnerabilities (live: the public services or the settings' mirrors). */
  readonly advisories?: AdvisoryEndpoints;
}

export interface AdvisoryEndpoints {
  /** npm registry base URL; the bulk advisory endpoint is below it. */
  readonly npmRegistryUrl: string;
  /** OSV API base URL (`https://api.osv.dev`). */
  readonly osvUrl: string;
}

export interface Backend {
  /** Resolves the endpoints, starting the sandbox on first use when it is selected. */
  endpoints(): Promise<ServiceEndpoints>;
  /** Fires when the backend or the endpoints change (settings edited, sandbox started or stopped). */
  onDidChange(listener: () => void): { dispose(): void };
}
