import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ChatModel } from '../../../../src/core/ai/chatModel';
import { type AuditEvent } from '../../../../src/core/audit';
import { defaultPolicy } from '../../../../src/core/policy/commandPolicy';
import { ApprovalPolicy, type PolicyFileRead, type PolicyLayer } from '../../../../src/agents/runtime/approvalPolicy';
import { type EditApplier } from '../../../../src/agents/runtime/edits';
import { FsEditApplier } from '../../../../src/agents/runtime/fsEditApplier';
import { type ActionKind } from '../../../../src/agents/runtime/plan';
import { type RemoteExecutor, RemoteExecutors } from '../../../../src/agents/runtime/remote';
import { type RunServices } from '../../../../src/agents/runtime/runAgent';
import { type ReviewAnswer, type ReviewRequest, type RunUi } from '../../../../src/agents/runtime/runUi';
import { FileAuditSink, readLines, listAuditFiles, auditDir } from '../../../../src/providers/audit';
import { FakeLogger } from '../../fakes/fakeLogger';

/** A UI that answers as told and records what it was asked. */
export class ScriptedUi implements RunUi {
  readonly reviews: ReviewRequest[] = [];
  readonly confirms: { kind: ActionKind; detail: string }[] = [];
  readonly progressLines: string[] = [];
  review: (r: ReviewRequest) => Promise<ReviewAnswer | undefined>;
  confirmAnswer = true;

  constructor(answer: 'all' | 'none' | ((r: ReviewRequest) => ReviewAnswer | undefined) = 'all') {
    this.review = async (r) => {
      this.reviews.push(r);
      if (answer === 'none') return undefined;
      if (answer === 'all') return { edits: r.edits.map((e) => e.path), commands: r.plan.commands.map((_c, i) => i), remote: r.plan.remote.map((c) => c.id) };
      return answer(r);
    };
  }

  async confirm(kind: ActionKind, _agent: string, detail: string): Promise<boolean> {
    this.confirms.push({ kind, detail });
    return this.confirmAnswer;
  }

  progress(message: string): void {
    this.progressLines.push(message);
  }
}

export interface Harness {
  readonly root: string;
  readonly ui: ScriptedUi;
  readonly audit: FileAuditSink;
  readonly services: RunServices;
  events(): Promise<AuditEvent[]>;
  write(rel: string, text: string): Promise<void>;
  read(rel: string): Promise<string | undefined>;
  dispose(): Promise<void>;
}

export interface HarnessOptions {
  readonly ui?: ScriptedUi;
  readonly user?: PolicyLayer;
  readonly repository?: PolicyFileRead;
  readonly trusted?: boolean;
  readonly executors?: readonly RemoteExecutor[];
  readonly edits?: EditApplier;
  readonly model?: ChatModel;
  readonly timeouts?: RunServices['timeouts'];
  readonly providers?: RunServices['providers'];
  /** Who runs it (RunServices.user). */
  readonly runAs?: string;
  readonly commandPolicy?: RunServices['commandPolicy'];
  readonly trackers?: RunServices['trackers'];
  readonly pythonInterpreter?: string;
  readonly remote?: RemoteExecutors;
  /** RunServices.ripgrepPath: the ripgrep agents' file searches run. */
  readonly ripgrepPath?: string;
}

export async function makeHarness(options: HarnessOptions = {}): Promise<Harness> {
  const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-agent-')));
  const log = new FakeLogger();
  const ui = options.ui ?? new ScriptedUi();
  const audit = new FileAuditSink({ workspaceRoot: root, log });
  const services: RunServices = {
    workspaceRoot: root,
    trusted: options.trusted ?? true,
    audit,
    log,
    approvals: async () => new ApprovalPolicy(options.user ?? {}, options.repository ?? { kind: 'absent' }),
    commandPolicy: options.commandPolicy ?? (async () => defaultPolicy()),
    trackers: options.trackers ?? { azure: () => undefined, github: () => undefined, defaultTracker: 'azureBoards' },
    model: async () => options.model,
    git: async () => undefined,
    remote: options.remote ?? new RemoteExecutors(options.executors ?? []),
    edits: options.edits ?? new FsEditApplier(),
    ui,
    ...(options.timeouts ? { timeouts: options.timeouts } : {}),
    ...(options.providers ? { providers: options.providers } : {}),
    ...(options.runAs ? { user: options.runAs } : {}),
    ...(options.pythonInterpreter ? { pythonInterpreter: async () => options.pythonInterpreter } : {}),
    ...(options.ripgrepPath !== undefined ? { ripgrepPath: options.ripgrepPath } : {}),
  };
  return {
    root,
    ui,
    audit,
    services,
    async events() {
      await audit.flush();
      const files = await listAuditFiles(auditDir(root));
      const lines = (await Promise.all(files.map((f) => readLines(f)))).flat();
      return lines.map((l) => JSON.parse(l) as AuditEvent);
    },
    async write(rel, text) {
      await fs.mkdir(path.dirname(path.join(root, rel)), { recursive: true });
      await fs.writeFile(path.join(root, rel), text);
    },
    async read(rel) {
      return fs.readFile(path.join(root, rel), 'utf8').catch(() => undefined);
    },
    async dispose() {
      await audit.close();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}
