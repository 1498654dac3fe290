import { type SandboxServer } from '../http/server';
import devopsFixtures from './fixtures/devops.json';
import { geminiStandIn } from './geminiStandIn';
import { iamStandIn } from './iamStandIn';
import { IamTokens } from './iamTokens';
import { ollamaStandIn } from './ollamaStandIn';
import { openAiStandIn } from './openaiStandIn';
import { parseScriptFile, ReplyScript, type ScriptRule } from './script';
import { watsonxStandIn } from './watsonxStandIn';
import { type StreamOutcome } from './wire';

export { ReplyScript, type ScriptRule } from './script';
export { IamTokens } from './iamTokens';

/** Where each model stand-in listens, in the form each client library takes it. */
export interface ModelStandInUrls {
  /** OpenAI SDK `baseURL` (`.../openai/v1`). */
  readonly openaiBaseUrl: string;
  /** AzureOpenAI `endpoint` (the SDK appends `/openai`). */
  readonly azureOpenaiEndpoint: string;
  /** ollama client `host`. */
  readonly ollamaHost: string;
  /** @google/genai `httpOptions.baseUrl`. */
  readonly geminiBaseUrl: string;
  /** WatsonXAI `serviceUrl`. */
  readonly watsonxUrl: string;
  /** IamAuthenticator `url`. */
  readonly watsonxIamUrl: string;
}

export interface StreamRecord {
  readonly route: string;
  readonly outcome: StreamOutcome;
}

export interface ModelStandIns {
  readonly script: ReplyScript;
  readonly iamTokens: IamTokens;
  /** How each streamed reply ended (most recent last): `aborted` means the client closed the connection mid-stream. */
  readonly streams: StreamRecord[];
  /** Pause between streamed pieces in milliseconds (0 by default); the sandbox may slow replies down to feel like a model. */
  chunkDelayMs: number;
  /** Valid once the server is started. */
  urls(): ModelStandInUrls;
}

/** The scripted replies shipped with the extension, validated (a broken fixture fails loudly at mount). */
export function shippedScript(): ReplyScript {
  return new ReplyScript(parseScriptFile('fixtures/devops.json', devopsFixtures));
}

/**
 * Mounts the OpenAI (and Azure OpenAI), Ollama, Gemini, watsonx and IAM stand-ins on the shared
 * sandbox server. `extraRules` (a test's own script) answer before the shipped fixtures.
 */
export function mountModelStandIns(server: SandboxServer, options: { readonly extraRules?: readonly ScriptRule[] } = {}): ModelStandIns {
  const script = shippedScript();
  if (options.extraRules?.length) script.prepend(options.extraRules);
  const iamTokens = new IamTokens();
  const streams: StreamRecord[] = [];
  const pace = { chunkDelayMs: 0 };
  const log = {
    record: (route: string, outcome: StreamOutcome): void => {
      streams.push({ route, outcome });
      if (streams.length > 200) streams.shift();
    },
    get chunkDelayMs(): number {
      return pace.chunkDelayMs;
    },
  };
  server.mount(openAiStandIn(script, log));
  server.mount(ollamaStandIn(script, log));
  server.mount(geminiStandIn(script, log));
  server.mount(iamStandIn(iamTokens));
  server.mount(watsonxStandIn(script, iamTokens, log));
  return {
    script,
    iamTokens,
    streams,
    get chunkDelayMs(): number {
      return pace.chunkDelayMs;
    },
    set chunkDelayMs(ms: number) {
      pace.chunkDelayMs = ms;
    },
    urls: () => ({
      openaiBaseUrl: `${server.urlOf('openai')}/v1`,
      azureOpenaiEndpoint: server.url,
      ollamaHost: server.urlOf('ollama'),
      geminiBaseUrl: server.urlOf('gemini'),
      watsonxUrl: server.urlOf('watsonx'),
      watsonxIamUrl: server.urlOf('iam'),
    }),
  };
}
