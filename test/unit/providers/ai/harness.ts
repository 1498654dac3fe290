import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SentPromptLog } from '../../../../src/core/ai/sentPrompts';
import { type Credential, type Host, type ServiceId } from '../../../../src/core/host';
import { ConcurrencyLimiter } from '../../../../src/providers/ai/concurrencyLimiter';
import { type ManagedSettings, type ModelServices } from '../../../../src/providers/ai/managedChatModel';
import { ResponseCache } from '../../../../src/providers/ai/responseCache';
import { modelRetryPolicy } from '../../../../src/providers/ai/retryPolicy';
import { SandboxServer } from '../../../../src/sandbox/http/server';
import { mountModelStandIns, type ModelStandIns, type ModelStandInUrls, type ScriptRule } from '../../../../src/sandbox/models';
import { FakeLogger } from '../../fakes/fakeLogger';

/**
 * Tests load sources through tsx's require hook (.mocharc.json). Providers load their SDK with a
 * dynamic import() of our own file (so esbuild makes it a lazy chunk), which goes through Node's
 * ESM loader: register tsx's ESM hook too, once, before any test runs.
 */
let esmHook: Promise<void> | undefined;
export const withEsmHook = (): Promise<void> =>
  (esmHook ??= import('tsx/esm/api').then((api) => {
    api.register();
  }));
before(withEsmHook);

/** A Host for plain node: settings and keys from plain objects, a temporary storage directory. */
export class TestHost implements Host {
  readonly log = new FakeLogger();
  readonly fetch = globalThis.fetch.bind(globalThis);
  readonly workspaceRoot = undefined;
  readonly storageDir = mkdtempSync(path.join(tmpdir(), 'ai-devops-models-'));
  config: Record<string, unknown> = {};
  keys: Partial<Record<ServiceId, string>> = {};

  async getCredential(service: ServiceId): Promise<Credential | undefined> {
    const value = this.keys[service];
    return value ? { kind: 'apiKey', value, source: 'secretStorage' } : undefined;
  }

  getConfig(key: string): unknown {
    return this.config[key];
  }

  dispose(): void {
    rmSync(this.storageDir, { recursive: true, force: true });
  }
}

/** Scripted replies the provider tests rely on, ahead of the shipped fixtures. */
export const TEST_RULES: ScriptRule[] = [
  { name: 'json invalid once', when: { lastUser: { contains: 'JSON-INVALID-ONCE' } }, reply: { text: 'Sure, here it is: nothing useful.' } },
  { name: 'json fixed after the correction', when: { lastUser: { contains: 'contains no JSON object' } }, reply: { json: { title: 'Fixed', points: 3 } } },
  { name: 'json invalid always', when: { lastUser: { contains: 'JSON-INVALID-ALWAYS' } }, reply: { json: { wrong: true } } },
  { name: 'json still invalid', when: { lastUser: { regex: 'That reply was not valid[\\s\\S]*title' } }, reply: { json: { wrong: true } } },
  { name: 'json valid', when: { lastUser: { contains: 'JSON-VALID' } }, reply: { json: { title: 'Ship it', points: 5 } } },
  {
    name: 'long reply',
    when: { lastUser: { contains: 'LONG-REPLY' } },
    reply: { text: Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ') },
  },
  { name: 'tool call', when: { lastUser: { contains: 'CALL-TOOL' }, toolOffered: 'lookup' }, reply: { text: 'Looking it up.', toolCalls: [{ name: 'lookup', arguments: { id: '42', deep: true } }] } },
  { name: 'tool result', when: { toolResult: { tool: 'lookup' } }, reply: { text: 'The lookup said: {{result.answer}}.' } },
  { name: 'refusal', when: { lastUser: { contains: 'PLEASE-REFUSE' } }, reply: { refusal: 'I cannot help with that.' } },
];

export interface StandInHarness {
  readonly server: SandboxServer;
  readonly standIns: ModelStandIns;
  readonly urls: ModelStandInUrls;
}

export async function startStandIns(rules: ScriptRule[] = TEST_RULES): Promise<StandInHarness> {
  const server = new SandboxServer();
  const standIns = mountModelStandIns(server, { extraRules: rules });
  await server.start();
  return { server, standIns, urls: standIns.urls() };
}

export interface ServiceOptions extends Partial<ManagedSettings> {
  readonly concurrency?: number;
  readonly cacheDir?: string;
  readonly now?: () => number;
}

/** The shared layer with test-sized delays: quick retries, a short stall time-out, cache off unless asked. */
export function testServices(host: TestHost, options: ServiceOptions = {}): ModelServices & { readonly retries: { delay: number; attempt: number }[] } {
  const retries: { delay: number; attempt: number }[] = [];
  const policy = modelRetryPolicy({ retries: 3, initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 5_000 });
  policy.onRetry((e) => retries.push({ delay: e.delay, attempt: e.attempt }));
  return {
    limiter: new ConcurrencyLimiter(options.concurrency ?? 3),
    retry: () => policy,
    cache: new ResponseCache(options.cacheDir, options.now),
    sentPrompts: new SentPromptLog(),
    settings: () => ({
      cacheTtlSeconds: options.cacheTtlSeconds ?? 0,
      redactForLocalModels: options.redactForLocalModels ?? true,
      stallTimeoutMs: options.stallTimeoutMs ?? 2_000,
    }),
    log: host.log,
    retries,
  };
}

/** Waits (briefly) for a condition the server reaches asynchronously, such as a socket closing. */
export async function eventually(check: () => boolean, what: string, ms = 3_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
