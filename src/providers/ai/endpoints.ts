import { type ProviderId } from '../../core/ai/chatModel';
import { ModelError } from '../../core/ai/modelErrors';
import { type Credential } from '../../core/host';
import { type Settings } from '../../core/settings';
import { SANDBOX_CREDENTIALS, type SandboxCredentials } from '../../sandbox/identity';
import { GEMINI_DEFAULT_URL } from './geminiProvider';
import { OLLAMA_DEFAULT_HOST } from './ollamaProvider';
import { OPENAI_DEFAULT_URL } from './openaiProvider';
import { type ProviderEndpoint } from './providerBase';
import { IAM_DEFAULT_URL, WATSONX_DEFAULT_URL, type WatsonxEndpoint } from './watsonxProvider';

/** Where the running sandbox's model stand-ins are (same names as core/backend's SandboxModelEndpoints). */
export interface SandboxModelUrls {
  readonly openaiBaseUrl: string;
  readonly ollamaHost: string;
  readonly geminiBaseUrl: string;
  readonly watsonxUrl: string;
  readonly watsonxIamUrl: string;
  /** AzureOpenAI endpoint; defaults to the origin of openaiBaseUrl. */
  readonly azureOpenaiEndpoint?: string;
}

/** The lead wires this to the sandbox: it starts the sandbox server on first use and returns its model URLs. */
export interface SandboxModelAccess {
  modelUrls(): Promise<SandboxModelUrls>;
  /** The running sandbox's credentials (random per session); the fixed test ones when absent. */
  credentials?(): Promise<SandboxCredentials>;
}

const key = (value: string): Credential => ({ kind: 'apiKey', value, source: 'sandbox' });

/**
 * Resolves each provider's endpoint from settings: the endpoint setting applies to the selected
 * provider, the others use their public defaults; with the sandbox backend (or the `sandbox`
 * provider) every provider talks to its stand-in with the sandbox's keys.
 */
export class EndpointResolver {
  constructor(
    private readonly settings: () => Settings,
    private readonly sandbox: SandboxModelAccess | undefined,
  ) {}

  private async sandboxUrls(provider: ProviderId): Promise<SandboxModelUrls> {
    if (!this.sandbox) throw new ModelError('noModel', provider, '', 'the sandbox is not available in this window');
    return this.sandbox.modelUrls();
  }

  private async keys(): Promise<SandboxCredentials> {
    return (await this.sandbox?.credentials?.()) ?? SANDBOX_CREDENTIALS;
  }

  private useSandbox(provider: ProviderId): boolean {
    return provider === 'sandbox' || (this.settings().backend === 'sandbox' && this.sandbox !== undefined);
  }

  private configured(provider: ProviderId): string | undefined {
    const { ai } = this.settings();
    return ai.provider === provider && ai.endpoint ? ai.endpoint.replace(/\/+$/, '') : undefined;
  }

  async openai(provider: 'openai' | 'sandbox'): Promise<ProviderEndpoint> {
    if (this.useSandbox(provider)) return { url: (await this.sandboxUrls(provider)).openaiBaseUrl, credential: key((await this.keys()).openaiKey) };
    return { url: this.configured(provider) ?? OPENAI_DEFAULT_URL };
  }

  async azureOpenai(): Promise<ProviderEndpoint> {
    if (this.useSandbox('azureOpenai')) {
      const urls = await this.sandboxUrls('azureOpenai');
      return { url: urls.azureOpenaiEndpoint ?? new URL(urls.openaiBaseUrl).origin, credential: key((await this.keys()).openaiKey) };
    }
    const url = this.configured('azureOpenai');
    if (!url) throw new ModelError('missingSetting', 'azureOpenai', '', 'set "aiDevops.ai.endpoint" to your Azure OpenAI resource URL, e.g. https://my-resource.openai.azure.com');
    return { url };
  }

  async ollama(): Promise<ProviderEndpoint> {
    if (this.useSandbox('ollama')) return { url: (await this.sandboxUrls('ollama')).ollamaHost };
    return { url: this.configured('ollama') ?? OLLAMA_DEFAULT_HOST };
  }

  async gemini(): Promise<ProviderEndpoint> {
    if (this.useSandbox('gemini')) return { url: (await this.sandboxUrls('gemini')).geminiBaseUrl, credential: key((await this.keys()).geminiKey) };
    return { url: this.configured('gemini') ?? GEMINI_DEFAULT_URL };
  }

  async watsonx(): Promise<WatsonxEndpoint> {
    const projectId = this.settings().ai.watsonxProjectId;
    if (this.useSandbox('watsonx')) {
      const urls = await this.sandboxUrls('watsonx');
      return { url: urls.watsonxUrl, iamUrl: urls.watsonxIamUrl, credential: key((await this.keys()).watsonxApiKey), projectId: projectId || 'sandbox-project' };
    }
    return { url: this.configured('watsonx') ?? WATSONX_DEFAULT_URL, iamUrl: IAM_DEFAULT_URL, projectId };
  }
}
