import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ChatModel } from '../../../../src/core/ai/chatModel';
import { ModelError } from '../../../../src/core/ai/modelErrors';
import { type AgentRun, type AuditEvent } from '../../../../src/core/audit';
import { type AuditQuery } from '../../../../src/core/chat/auditQuery';
import { type OutboxView } from '../../../../src/core/boards/workTracker';
import { type ChatButton, type ChatOutput, type ChatReference } from '../../../../src/core/chat/chatOutput';
import { type FileContext, type HistoryTurn } from '../../../../src/core/chat/prompts';
import { type TrackerKind } from '../../../../src/core/workItem';
import { ModelRegistry } from '../../../../src/providers/ai/modelRegistry';
import { AuditIndex, FileAuditSink, recentRuns, searchTrail, type TrailSearch } from '../../../../src/providers/audit';
import { type ChatAudit, type ChatGit, type ChatRequestInput, type ChatServices, type ModelAccess } from '../../../../src/providers/chat/chatServices';
import { type ToolContext } from '../../../../src/providers/chat/tools/toolTypes';
import { type ScriptRule } from '../../../../src/sandbox/models';
import { FakeLogger } from '../../fakes/fakeLogger';
import { startStandIns, type StandInHarness, TestHost } from '../ai/harness';
import { type FakeWorkTracker } from './fakeWorkTracker';

/** Everything an answer wrote, in order. */
export class RecordingOutput implements ChatOutput {
  readonly parts: ({ kind: 'markdown' | 'progress'; text: string } | { kind: 'button'; button: ChatButton } | { kind: 'reference'; reference: ChatReference })[] = [];
  markdown(text: string): void {
    this.parts.push({ kind: 'markdown', text });
  }
  progress(text: string): void {
    this.parts.push({ kind: 'progress', text });
  }
  button(button: ChatButton): void {
    this.parts.push({ kind: 'button', button });
  }
  reference(reference: ChatReference): void {
    this.parts.push({ kind: 'reference', reference });
  }
  get text(): string {
    return this.parts.flatMap((p) => (p.kind === 'markdown' ? [p.text] : [])).join('');
  }
  get buttons(): ChatButton[] {
    return this.parts.flatMap((p) => (p.kind === 'button' ? [p.button] : []));
  }
  get references(): ChatReference[] {
    return this.parts.flatMap((p) => (p.kind === 'reference' ? [p.reference] : []));
  }
  get progressLines(): string[] {
    return this.parts.flatMap((p) => (p.kind === 'progress' ? [p.text] : []));
  }
}

/** The audit trail on real files in a temp workspace, answered from its index as the trail model does. */
export class TempAudit implements ChatAudit {
  readonly root = mkdtempSync(path.join(tmpdir(), 'ai-devops-chat-'));
  readonly sink: FileAuditSink;
  private index: AuditIndex | undefined;
  constructor(now?: () => Date) {
    this.sink = new FileAuditSink({ workspaceRoot: this.root, log: new FakeLogger(), ...(now ? { now } : {}) });
  }
  count(): number {
    return this.index?.eventCount ?? 0;
  }
  services(): readonly string[] {
    return this.index?.services() ?? [];
  }
  search(query: AuditQuery, limit: number): Promise<TrailSearch> {
    return searchTrail(this.index!, query, limit);
  }
  recentRuns(limit: number): Promise<AgentRun[]> {
    return recentRuns(this.index!, limit);
  }
  /** Every event, newest first: for the tests' own checks. */
  async events(): Promise<AuditEvent[]> {
    return (await this.index!.readEvents(this.index!.newestRows(this.index!.eventCount))).map((s) => s.event);
  }
  async ready(): Promise<void> {
    await this.sink.flush();
    this.index ??= await AuditIndex.open(this.sink.directory!);
    await this.index.refresh();
  }
  unavailable(): string | undefined {
    return undefined;
  }
  async dispose(): Promise<void> {
    await this.sink.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

export const noModel: ModelAccess = {
  get: async () => {
    throw new ModelError('noModel', 'vscode', '');
  },
};

export const fixedModel = (model: ChatModel): ModelAccess => ({ get: async () => model });

export interface ChatFixture {
  readonly azure: FakeWorkTracker;
  github: FakeWorkTracker | undefined;
  azureConnected: boolean;
  outbox: OutboxView | undefined;
  readonly audit: TempAudit;
  git: ChatGit | undefined;
  defaultTracker: TrackerKind;
  now: Date;
  readonly log: FakeLogger;
  readonly services: ChatServices;
  readonly tools: ToolContext;
  request(command: string | undefined, prompt: string, model: ModelAccess, extra?: { history?: HistoryTurn[]; files?: FileContext[]; signal?: AbortSignal }): { req: ChatRequestInput; output: RecordingOutput };
  dispose(): Promise<void>;
}

export function chatFixture(azure: FakeWorkTracker): ChatFixture {
  const log = new FakeLogger();
  const audit = new TempAudit(() => fixture.now);
  let correlation = 0;
  const fixture: ChatFixture = {
    azure,
    github: undefined,
    azureConnected: true,
    outbox: undefined,
    audit,
    git: undefined,
    defaultTracker: 'azureBoards',
    now: new Date('2026-11-29T12:00:00Z'),
    log,
    services: {
      trackers: { azure: () => (fixture.azureConnected ? fixture.azure : undefined), github: () => fixture.github },
      get outbox() {
        return fixture.outbox;
      },
      audit,
      get git() {
        return fixture.git;
      },
      defaultTracker: () => fixture.defaultTracker,
      log,
      now: () => fixture.now,
      timeZoneOffsetMinutes: () => 0,
    },
    tools: {
      trackers: { azure: () => (fixture.azureConnected ? fixture.azure : undefined), github: () => fixture.github },
      audit: audit.sink,
      defaultTracker: () => fixture.defaultTracker,
      log,
      newCorrelationId: () => `chat-test-${++correlation}`,
    },
    request(command, prompt, model, extra = {}) {
      const output = new RecordingOutput();
      return { output, req: { command, prompt, history: extra.history ?? [], files: extra.files ?? [], model, output, signal: extra.signal ?? new AbortController().signal } };
    },
    dispose: () => audit.dispose(),
  };
  return fixture;
}

/** The sandbox model through the real registry and the OpenAI SDK against the stand-in. */
export interface SandboxModels {
  readonly standIns: StandInHarness;
  readonly host: TestHost;
  readonly registry: ModelRegistry;
  readonly access: ModelAccess;
  stop(): Promise<void>;
}

export async function sandboxModels(rules: ScriptRule[] = []): Promise<SandboxModels> {
  const standIns = await startStandIns(rules);
  const host = new TestHost();
  host.config['ai.provider'] = 'sandbox';
  const registry = new ModelRegistry({ host, sandbox: { modelUrls: async () => standIns.urls }, retry: { retries: 1, initialDelayMs: 5, maxDelayMs: 10 }, stallTimeoutMs: 3_000, cacheDir: null });
  return {
    standIns,
    host,
    registry,
    access: { get: (signal) => registry.current(signal) },
    stop: async () => {
      await standIns.server.stop();
      host.dispose();
    },
  };
}
