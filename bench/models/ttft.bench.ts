/**
 * Time to first token through our provider layer, against the same stand-in called directly with
 * the same SDK, in one run. Run: `npx tsx bench/models/ttft.bench.ts [iterations]`.
 *
 *   baseline "sdk-direct"  the provider's SDK, one client, straight at the stand-in
 *   "ours"                 ManagedChatModel (redaction, sent-prompt log, cache lookup with caching
 *                          off, concurrency slot, retry policy, stall timer) around our provider
 *   "cache hit"            ManagedChatModel answering from its response cache (memory, then disk)
 *
 * Rounds interleave the two so drift (GC, JIT, the shared 2-core machine) hits both alike. Prints
 * median and p95 in milliseconds and what our layer adds. Goals: < 5 ms added, a cache hit < 1 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GoogleGenAI } from '@google/genai';
import { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { IamAuthenticator } from '@ibm-cloud/watsonx-ai/authentication';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { type ModelProvider } from '../../src/core/ai/chatModel';
import { type ChatMessage } from '../../src/core/ai/messages';
import { SentPromptLog } from '../../src/core/ai/sentPrompts';
import { type Credential, type Host, type Logger } from '../../src/core/host';
import { ConcurrencyLimiter } from '../../src/providers/ai/concurrencyLimiter';
import { GeminiProvider } from '../../src/providers/ai/geminiProvider';
import { type ChatModel } from '../../src/core/ai/chatModel';
import { ManagedChatModel, type ModelServices } from '../../src/providers/ai/managedChatModel';
import { ModelRegistry } from '../../src/providers/ai/modelRegistry';
import { OllamaProvider } from '../../src/providers/ai/ollamaProvider';
import { OpenAiProvider } from '../../src/providers/ai/openaiProvider';
import { ResponseCache } from '../../src/providers/ai/responseCache';
import { DEFAULT_RETRY, modelRetryPolicy } from '../../src/providers/ai/retryPolicy';
import { WatsonxProvider } from '../../src/providers/ai/watsonxProvider';
import { SandboxServer } from '../../src/sandbox/http/server';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/identity';
import { mountModelStandIns } from '../../src/sandbox/models';

const ITERATIONS = Number(process.argv[2] ?? 300);
const WARMUP = 30;

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const storage = mkdtempSync(path.join(tmpdir(), 'ai-devops-bench-'));
const host: Host = {
  log: silent,
  fetch: globalThis.fetch.bind(globalThis),
  workspaceRoot: undefined,
  storageDir: storage,
  getConfig: () => undefined,
  getCredential: async (service): Promise<Credential | undefined> => {
    const value = { openai: SANDBOX_CREDENTIALS.openaiKey, gemini: SANDBOX_CREDENTIALS.geminiKey }[service as string];
    return value ? { kind: 'apiKey', value, source: 'secretStorage' } : undefined;
  },
};

function services(cacheTtlSeconds: number, cacheDir?: string): ModelServices {
  const policy = modelRetryPolicy(DEFAULT_RETRY);
  return {
    limiter: new ConcurrencyLimiter(3),
    retry: () => policy,
    cache: new ResponseCache(cacheDir),
    sentPrompts: new SentPromptLog(),
    settings: () => ({ cacheTtlSeconds, redactForLocalModels: true, stallTimeoutMs: 60_000 }),
    log: silent,
  };
}

/** A prompt of the usual shape: instructions, a work item and a bit of a file (~1.5 KB). */
const messages = (i: number): { role: 'system' | 'user'; content: string }[] & ChatMessage[] => [
  { role: 'system', content: 'You are @devops, an assistant for Azure Boards and GitHub Projects. Answer briefly and cite work items as AB#id.' },
  {
    role: 'user',
    content:
      `Request ${i}: summarize AB#42 "Sign in with GitHub" (User Story, Active, assigned to Ada). ` +
      'Description: Let users sign in with their GitHub account; keep the session for 30 days; show the avatar in the header. '.repeat(6) +
      '\nsrc/login.ts:\nexport async function signIn(provider: string) {\n  const session = await auth.getSession(provider);\n  return session?.account;\n}\n',
  },
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const ms = (n: number): string => n.toFixed(3).padStart(8);

async function timeToFirst(run: () => AsyncIterable<unknown>): Promise<number> {
  const start = performance.now();
  let first = 0;
  for await (const _ of run()) {
    if (first === 0) first = performance.now() - start;
  }
  return first;
}

async function main(): Promise<void> {
  const server = new SandboxServer();
  const standIns = mountModelStandIns(server);
  await server.start();
  const urls = standIns.urls();
  // The server's request log is for tests; the bench would only grow it.
  server.maxLogEntries = 10;

  const openai = new OpenAI({ apiKey: SANDBOX_CREDENTIALS.openaiKey, baseURL: urls.openaiBaseUrl, maxRetries: 0 });
  const ollama = new Ollama({ host: urls.ollamaHost });
  const gemini = new GoogleGenAI({ apiKey: SANDBOX_CREDENTIALS.geminiKey, httpOptions: { baseUrl: urls.geminiBaseUrl } });
  const watsonx = new WatsonXAI({ version: '2024-05-31', serviceUrl: urls.watsonxUrl, authenticator: new IamAuthenticator({ apikey: SANDBOX_CREDENTIALS.watsonxApiKey, url: urls.watsonxIamUrl }) });

  const cases: { name: string; model: string; provider: ModelProvider; direct: (i: number) => AsyncIterable<unknown>; ours?: ChatModel }[] = [
    {
      name: 'OpenAI',
      model: 'gpt-4o-mini',
      provider: new OpenAiProvider(host, async () => ({ url: urls.openaiBaseUrl }), 'openai'),
      direct: async function* (i) {
        const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: messages(i), stream: true, stream_options: { include_usage: true } });
        for await (const c of stream) if (c.choices[0]?.delta?.content) yield c;
      },
    },
    {
      name: 'Ollama',
      model: 'llama3.2',
      provider: new OllamaProvider(host, async () => ({ url: urls.ollamaHost })),
      direct: async function* (i) {
        for await (const c of await ollama.chat({ model: 'llama3.2', messages: messages(i), stream: true })) if (c.message.content) yield c;
      },
    },
    {
      name: 'Gemini',
      model: 'gemini-2.5-flash',
      provider: new GeminiProvider(host, async () => ({ url: urls.geminiBaseUrl })),
      direct: async function* (i) {
        const [system, user] = messages(i);
        const stream = await gemini.models.generateContentStream({ model: 'gemini-2.5-flash', contents: user!.content, config: { systemInstruction: system!.content } });
        for await (const c of stream) if (c.text) yield c;
      },
    },
    {
      name: 'watsonx.ai',
      model: 'ibm/granite-3-8b-instruct',
      provider: new WatsonxProvider(host, async () => ({
        url: urls.watsonxUrl,
        iamUrl: urls.watsonxIamUrl,
        projectId: 'bench',
        credential: { kind: 'apiKey', value: SANDBOX_CREDENTIALS.watsonxApiKey, source: 'secretStorage' },
      })),
      direct: async function* (i) {
        const stream = await watsonx.textChatStream({ modelId: 'ibm/granite-3-8b-instruct', projectId: 'bench', messages: messages(i) as WatsonXAI.TextChatMessages[], returnObject: true });
        for await (const c of stream) if (c.data?.choices?.[0]?.delta?.content) yield c;
      },
    },
  ];
  // The same OpenAI request as the extension makes it: settings read and validated per request,
  // endpoint and key resolved through the registry.
  const config: Record<string, unknown> = { 'ai.provider': 'openai', 'ai.model': 'gpt-4o-mini', 'ai.endpoint': urls.openaiBaseUrl, 'ai.cacheTtlSeconds': 0 };
  const registry = new ModelRegistry({ host: { ...host, getConfig: (key) => config[key] }, cacheDir: null });
  cases.push({ ...cases[0]!, name: 'OpenAI via ModelRegistry', ours: await registry.current() });

  console.log(`node ${process.version}; ${ITERATIONS} iterations per case after ${WARMUP} warm-up, interleaved; stand-ins on ${urls.openaiBaseUrl.replace(/\/openai.*$/, '')}`);
  console.log('\nTime to first token (ms)          baseline sdk-direct         ours (wrapper + provider)        added by our layer');
  console.log('                                     median       p95          median       p95          median       p95');
  const rows: string[] = [];
  for (const c of cases) {
    const model = c.ours ?? new ManagedChatModel(c.provider.describe(c.model), c.provider, services(0));
    const direct: number[] = [];
    const ours: number[] = [];
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const order: [number[], () => AsyncIterable<unknown>][] = [
        [direct, () => c.direct(i)],
        [ours, () => model.stream(messages(i))],
      ];
      if (i % 2 === 1) order.reverse();
      for (const [samples, run] of order) {
        const t = await timeToFirst(run);
        if (i >= WARMUP) samples.push(t);
      }
    }
    const added = ours.map((t, i) => t - direct[i]!);
    rows.push(`  ${c.name.padEnd(30)} ${ms(median(direct))}  ${ms(p95(direct))}        ${ms(median(ours))}  ${ms(p95(ours))}        ${ms(median(ours) - median(direct))}  ${ms(p95(added))}`);
    console.log(rows.at(-1));
  }

  const cacheDir = path.join(storage, 'cache');
  const cached = new ManagedChatModel(cases[0]!.provider.describe('gpt-4o-mini'), cases[0]!.provider, services(3600, cacheDir));
  await cached.complete(messages(-1));
  const memory: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const first = await timeToFirst(() => cached.stream(messages(-1)));
    const start = performance.now();
    await cached.complete(messages(-1));
    if (i >= WARMUP) {
      memory.push(first);
      whole.push(performance.now() - start);
    }
  }
  const disk: number[] = [];
  for (let i = 0; i < 50; i++) {
    // A fresh cache object per round: memory empty, so the entry comes from disk (a restarted window).
    const fresh = new ManagedChatModel(cases[0]!.provider.describe('gpt-4o-mini'), cases[0]!.provider, services(3600, cacheDir));
    disk.push(await timeToFirst(() => fresh.stream(messages(-1))));
  }
  console.log('\nCache hit (ms)                       median       p95');
  console.log(`  first chunk, from memory         ${ms(median(memory))}  ${ms(p95(memory))}`);
  console.log(`  whole reply, from memory         ${ms(median(whole))}  ${ms(p95(whole))}`);
  console.log(`  first chunk, from disk           ${ms(median(disk))}  ${ms(p95(disk))}`);
  await server.stop();
  rmSync(storage, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
