/**
 * Time to the first words of a free-form `@devops` answer, against the same request sent to the
 * same stand-in straight through the model layer and straight through the SDK, in one run.
 * Run: `npx tsx bench/chat/firstAnswer.bench.ts [iterations]`.
 *
 *   baseline "sdk-direct"    the OpenAI SDK at the sandbox's stand-in, the messages @devops builds
 *   "model layer"            the same messages through ModelRegistry's sandbox model (redaction,
 *                            sent-prompt record, cache lookup with caching off, limiter, retry, stall timer)
 *   "@devops"                routeChatRequest with the question: mentions parsed, the prompt built,
 *                            the read tools offered, the reply streamed to the chat output
 *
 * Rounds interleave the three so drift hits them alike. Prints median and p95 in milliseconds and
 * what each layer adds to the one below it. Goal (issue 6): under 5 ms added by @devops.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { ModelRegistry } from '../../src/providers/ai/modelRegistry';
import { freeFormMessages } from '../../src/core/chat/prompts';
import { type ChatOutput } from '../../src/core/chat/chatOutput';
import { type Host, type Logger } from '../../src/core/host';
import { type ChatServices } from '../../src/providers/chat/chatServices';
import { routeChatRequest } from '../../src/providers/chat/router';
import { toolDefinition } from '../../src/providers/chat/tools/toolDefinitions';
import { type ToolContext } from '../../src/providers/chat/tools/toolTypes';
import { READ_TOOLS } from '../../src/providers/chat/tools/workItemTools';
import { SandboxServer } from '../../src/sandbox/http/server';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/identity';
import { mountModelStandIns } from '../../src/sandbox/models';
import { demoItems, FakeWorkTracker } from '../../test/unit/providers/chat/fakeWorkTracker';

const ITERATIONS = Number(process.argv[2] ?? 200);
const WARMUP = 20;
const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const storage = mkdtempSync(path.join(tmpdir(), 'ai-devops-chat-bench-'));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;
const ms = (n: number): string => n.toFixed(3).padStart(9);

/** A question the shipped script answers with text (a greeting), numbered so no two are alike. */
const question = (i: number): string => `hi, request ${i}: what should I pick up next in the sprint?`;

async function main(): Promise<void> {
  const server = new SandboxServer();
  const standIns = mountModelStandIns(server);
  await server.start();
  server.maxLogEntries = 10;
  const baseURL = standIns.urls().openaiBaseUrl;
  const host: Host = { log: silent, fetch: globalThis.fetch.bind(globalThis), workspaceRoot: undefined, storageDir: storage, getConfig: (key) => ({ 'ai.provider': 'sandbox', 'ai.cacheTtlSeconds': 0 })[key], getCredential: async () => undefined };
  const registry = new ModelRegistry({ host, sandbox: { modelUrls: async () => ({ openaiBaseUrl: baseURL, ollamaHost: '', geminiBaseUrl: '', watsonxUrl: '', watsonxIamUrl: '' }) }, cacheDir: null });
  const model = await registry.current();
  const openai = new OpenAI({ apiKey: SANDBOX_CREDENTIALS.openaiKey, baseURL, maxRetries: 0 });

  const tracker = new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems());
  const trackers = { azure: () => tracker, github: () => undefined };
  const services: ChatServices = {
    trackers,
    outbox: undefined,
    audit: { sink: { append: () => Promise.reject(new Error('unused')), onDidAppend: () => ({ dispose() {} }), flush: async () => {} }, count: () => 0, services: () => [], search: async () => ({ total: 0, groups: 0, events: [] }), recentRuns: async () => [], ready: async () => {}, unavailable: () => undefined },
    git: undefined,
    defaultTracker: () => 'azureBoards',
    log: silent,
    now: () => new Date(),
    timeZoneOffsetMinutes: () => 0,
  };
  const tools: ToolContext = { trackers, audit: services.audit.sink, defaultTracker: () => 'azureBoards', log: silent, newCorrelationId: () => 'bench' };
  const definitions = READ_TOOLS.map(toolDefinition);
  const messages = (i: number) => freeFormMessages({ question: question(i), history: [], workItems: [], missingWorkItems: [], files: [] });

  const sdk = async (i: number): Promise<number> => {
    const start = performance.now();
    let first = 0;
    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: messages(i).map((m) => ({ role: m.role as 'system' | 'user', content: m.content })),
      tools: definitions.map((d) => ({ type: 'function' as const, function: { name: d.name, description: d.description, parameters: { ...d.parameters } } })),
      stream: true,
      stream_options: { include_usage: true },
    });
    for await (const c of stream) if (first === 0 && c.choices[0]?.delta?.content) first = performance.now() - start;
    return first;
  };
  const layer = async (i: number): Promise<number> => {
    const start = performance.now();
    let first = 0;
    for await (const c of model.stream(messages(i), { tools: definitions })) if (first === 0 && c.type === 'text') first = performance.now() - start;
    return first;
  };
  const devops = async (i: number): Promise<number> => {
    const start = performance.now();
    let first = 0;
    const output: ChatOutput = { markdown: () => void (first ||= performance.now() - start), progress: () => {}, button: () => {}, reference: () => {} };
    await routeChatRequest({ command: undefined, prompt: question(i), history: [], files: [], model: { get: async () => model }, output, signal: new AbortController().signal }, services, tools);
    return first;
  };

  const samples = { sdk: [] as number[], layer: [] as number[], devops: [] as number[] };
  const order: [keyof typeof samples, (i: number) => Promise<number>][] = [
    ['sdk', sdk],
    ['layer', layer],
    ['devops', devops],
  ];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    const turn = [...order.slice(i % 3), ...order.slice(0, i % 3)];
    for (const [name, run] of turn) {
      const t = await run(i);
      if (t === 0) throw new Error(`${name} gave no text in round ${i}`);
      if (i >= WARMUP) samples[name].push(t);
    }
  }

  console.log(`node ${process.version}; ${ITERATIONS} rounds after ${WARMUP} warm-up, interleaved; sandbox OpenAI stand-in on loopback`);
  console.log('\nTime to first answer text (ms)        median       p95     added (median)   added (p95)');
  const row = (label: string, xs: number[], below?: number[]) =>
    console.log(`${label.padEnd(34)}${ms(median(xs))} ${ms(p95(xs))}    ${below ? ms(median(xs) - median(below)) : '         '}      ${below ? ms(p95(xs) - p95(below)) : ''}`);
  row('baseline sdk-direct', samples.sdk);
  row('model layer (vs sdk)', samples.layer, samples.sdk);
  row('@devops free-form (vs model layer)', samples.devops, samples.layer);
  console.log(`\n@devops adds ${(median(samples.devops) - median(samples.layer)).toFixed(3)} ms (median) over the model layer; goal < 5 ms.`);
  await server.stop();
  rmSync(storage, { recursive: true, force: true });
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
