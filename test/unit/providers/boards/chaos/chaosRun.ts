import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type WorkTracker, type WriteOutcome } from '../../../../../src/core/boards/workTracker';
import { isDevOpsError } from '../../../../../src/core/errors';
import { type Credential } from '../../../../../src/core/host';
import { readSettings } from '../../../../../src/core/settings';
import { type WorkItem } from '../../../../../src/core/workItem';
import { FileOutbox } from '../../../../../src/providers/boards/outbox/fileOutbox';
import { type GitHubTracker, TrackerSet } from '../../../../../src/providers/boards/trackerSet';
import { updateWorkItem } from '../../../../../src/sandbox/azureDevOps/state/workItemOps';
import { githubSchema } from '../../../../../src/sandbox/github';
import { SANDBOX_GITHUB } from '../../../../../src/sandbox/identity';
import { Sandbox } from '../../../../../src/sandbox/sandbox';
import { random } from '../../../core/todo/randomText';
import { FakeLogger } from '../../../fakes/fakeLogger';
import { FAULT_KINDS, faultFor, type FaultKind, FaultTally, READ_ROUTES, WRITE_ROUTES } from './chaosFaults';
import { GroundTruth } from './chaosGroundTruth';

/**
 * The seeded chaos run of issue 12: a user makes a few hundred remote changes on Azure Boards and
 * GitHub (state changes, assign to me, comments, new items, branch links, Project Status moves)
 * through the real trackers, the real outbox and the real client libraries, while the stand-ins
 * fail requests on read and write routes with every fault kind; someone else edits other fields
 * meanwhile; the window restarts half-way and the user presses "Send Now" at once; at the end the
 * faults clear and "Send Now" runs until nothing is left. The figures compare what the user was
 * told with what the services hold (GroundTruth reads the stand-ins' own state).
 */

export type OpKind = 'ado.state' | 'ado.assign' | 'ado.comment' | 'ado.create' | 'ado.link' | 'gh.state' | 'gh.assign' | 'gh.comment' | 'gh.create' | 'gh.status';

const OPS: readonly (readonly [OpKind, number])[] = [
  ['ado.state', 20],
  ['ado.assign', 5],
  ['ado.comment', 13],
  ['ado.create', 5],
  ['ado.link', 3],
  ['gh.state', 14],
  ['gh.assign', 5],
  ['gh.comment', 14],
  ['gh.create', 5],
  ['gh.status', 8],
] as const;

/** What the user was told about a write, finally. */
export type Reported = 'applied' | 'queued' | 'conflict' | 'refused' | 'error' | 'waiting' | 'failed';

export interface WriteRecord {
  readonly n: number;
  readonly op: OpKind;
  /** The item (`AB#7`, `gh#4`, `status:<node id>`) or, for a new item, `new`. */
  readonly subject: string;
  /** Field writes: which field and the value asked for. */
  readonly field?: 'state' | 'assignee' | 'status';
  readonly value?: string;
  /** Comment text, new title or branch: how the write is found on the service. */
  readonly marker?: string;
  reported: Reported;
  outboxId?: string;
  detail?: string;
}

export interface ChaosOptions {
  readonly seed: number;
  /** User intents (a retried error is the same intent). */
  readonly writes: number;
  /** Chance per step that one or two faults are armed (default 0.5). */
  readonly faultRate?: number;
  readonly trace?: (line: string) => void;
}

export interface ChaosFigures {
  readonly seed: number;
  readonly writes: number;
  readonly ops: Record<OpKind, number>;
  readonly faults: Record<FaultKind, { read: number; write: number }>;
  readonly faultTotal: number;
  /** Intents the service holds at the end. */
  readonly applied: number;
  /** Intents the service refused (a rule, a deleted item), the user told so. */
  readonly refused: number;
  /** Comments, items or links the service holds more than once. */
  readonly doubled: number;
  /** Intents that never reached the service: left in the outbox (any state), or lost. */
  readonly stuck: number;
  /** Item fields whose final value is not the user's last intent. */
  readonly mismatched: number;
  /** Writes whose final reported outcome contradicts the service (told failed but made, told done but absent, a conflict nobody caused). */
  readonly misreported: number;
  /** Conflicts reported to the user; nobody else changed the fields the user wrote, so every one is spurious. */
  readonly conflicts: number;
  /** Sent by "Send Now" right after the restart, before anything loaded a tracker, of `pendingAtRestart`; `tried`: sent, or tried and kept (a fault still armed). */
  readonly sentAfterRestart: number;
  readonly triedAfterRestart: number;
  readonly pendingAtRestart: number;
  readonly outboxLeft: number;
  /** HTTP requests the stand-ins answered (or failed) in the whole run: what the protocol's reads cost. */
  readonly requests: number;
  readonly seconds: number;
  /** The first problems found, one line each. */
  readonly problems: readonly string[];
}

const REFUSED_CODES = new Set(['refused', 'invalidInput', 'forbidden', 'notFound', 'notConfigured']);
const none = (): void => undefined;

/** The extension's boards side for one window: the durable outbox and the lazily loaded trackers. */
class ChaosWindow {
  private constructor(
    readonly outbox: FileOutbox,
    readonly trackers: TrackerSet,
  ) {}

  static async open(sandbox: Sandbox, dir: string, log: FakeLogger): Promise<ChaosWindow> {
    const outbox = await FileOutbox.open({ storageDir: dir, log, baseDelayMs: 10, maxDelayMs: 100, autoReplay: false });
    const settings = readSettings((k) => (k === 'backend' ? 'sandbox' : undefined)).settings;
    const credentials: Record<string, Credential> = {
      azureDevOps: { kind: 'pat', value: sandbox.credentials.azureDevOpsPat, source: 'sandbox' },
      github: { kind: 'pat', value: sandbox.credentials.githubToken, source: 'sandbox' },
    };
    const trackers = new TrackerSet({
      backend: { endpoints: () => Promise.resolve(sandbox.endpoints()), onDidChange: () => ({ dispose: none }) },
      settings: () => settings,
      log,
      storageDir: dir,
      getCredential: (service) => Promise.resolve(credentials[service]),
      outbox: () => Promise.resolve(outbox),
      tuning: {
        azure: { timeoutMs: 400, retries: 2, retryDelayMs: 5 },
        github: { timeoutMs: 500, tuning: { retries: 1, retryBaseMs: 5, writeSpacingMs: 0, notifySpacingMs: 0, maxRateLimitWaitSeconds: 1 } },
      },
    });
    // As the composition root does (src/host/activateFeatures.ts): the outbox may send to this window's connections.
    // (The code before the write protocol had neither; the same run measures it.)
    const wiring = trackers as Partial<Pick<TrackerSet, 'writeConnections'>>;
    for (const connection of wiring.writeConnections?.() ?? []) outbox.connect(connection);
    return new ChaosWindow(outbox, trackers);
  }

  get azure(): WorkTracker {
    return this.trackers.azure() ?? assertNever('Azure Boards is not offered by the sandbox');
  }

  get github(): GitHubTracker {
    return this.trackers.github() ?? assertNever('GitHub is not offered by the sandbox');
  }

  async close(): Promise<void> {
    this.trackers.dispose();
    this.outbox.dispose();
    // The trackers save their caches as they go away (not awaited by dispose).
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const isWorkItem = (value: unknown): value is WorkItem => typeof value === 'object' && value !== null && 'rev' in value && 'tracker' in value;

function assertNever(message: string): never {
  throw new Error(message);
}

export async function runChaos(options: ChaosOptions): Promise<ChaosFigures> {
  const started = Date.now();
  const next = random(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number): boolean => next() < p;
  const trace = options.trace ?? none;
  const log = new FakeLogger();
  // GitHub's GraphQL schema is built once per process (seconds under load): not within a request's time-out.
  githubSchema();
  const sandbox = await Sandbox.start({ stateDir: undefined, log });
  sandbox.server.maxLogEntries = 100_000;
  // The run packs a day of a user's changes into half a minute: GitHub's secondary limit (80
  // content writes a minute, a minute's wait) would hold it up for real minutes. That limit has its
  // own tests (github/rateLimits.test.ts); here the injected 429s stand for it.
  sandbox.github.limits.contentPerMinute = 10_000;
  const truth = new GroundTruth(sandbox);
  const tally = new FaultTally();
  tally.watch(sandbox.server);
  const dir = await mkdtemp(path.join(tmpdir(), `ai-devops-chaos-${options.seed}-`));
  const records: WriteRecord[] = [];
  const ops = Object.fromEntries(OPS.map(([k]) => [k, 0])) as Record<OpKind, number>;
  let window = await ChaosWindow.open(sandbox, dir, log);
  let conflicts = 0;
  /**
   * What the user is told of a change sent in the background (the notification of
   * views/boards/outboxStatusBar.ts): the record takes that outcome; a conflict is answered
   * "Overwrite with Mine", as the user still wants their change.
   */
  const listen = (w: ChaosWindow): void => {
    (w.outbox as Partial<Pick<FileOutbox, 'onDidSettle'>>).onDidSettle?.((settled) => {
      const record = records.find((r) => r.outboxId === settled.id);
      if (record) record.reported = settled.outcome;
      if (settled.outcome === 'conflict') {
        conflicts++;
        void w.outbox.resolve(settled.id, 'overwrite').catch(none);
      }
    });
  };
  listen(window);
  let background: Promise<unknown> = Promise.resolve();
  let sentAfterRestart = 0;
  let pendingAtRestart = 0;
  let triedAfterRestart = 0;

  try {
    // The items the user works on, as the views first list them (no faults yet; a loaded machine may still time a request out).
    const patiently = async <T>(read: () => Promise<T>): Promise<T> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await read();
        } catch (error) {
          if (attempt >= 10) throw error;
        }
      }
    };
    const azureIds = (await patiently(() => window.azure.list('allOpen'))).items.filter((i) => ['Task', 'User Story', 'Bug'].includes(i.type)).map((i) => i.id).slice(0, 10);
    const githubNumbers = (await patiently(() => window.github.list('allOpen'))).items.filter((i) => i.type === 'Issue').map((i) => i.id).slice(0, 8);
    const board = await patiently(() => window.github.board(SANDBOX_GITHUB.projectNumber));
    const projectItems = board.items.filter((i) => i.contentType === 'issue').slice(0, 6).map((i) => i.itemId);
    const statusOptions = board.statusOptions;

    const armFaults = (): void => {
      const count = chance(0.3) ? 2 : 1;
      for (let i = 0; i < count; i++) {
        const kind = pick(FAULT_KINDS);
        const route = chance(0.45) ? pick(READ_ROUTES) : pick(WRITE_ROUTES);
        sandbox.server.faults.add(faultFor(kind, route, next));
      }
    };

    /** Someone else edits a field the user never writes (title), which moves the revision on. */
    const otherEdit = (): void => {
      if (chance(0.5)) {
        const record = sandbox.azureDevOps.workItem(pick(azureIds));
        const avery = sandbox.azureDevOps.doc.identities[1];
        if (record && avery) updateWorkItem(sandbox.azureDevOps, record, [{ op: 'add', path: '/fields/System.Title', value: `${String(record.fields['System.Title']).replace(/ \(edited \d+\)$/, '')} (edited ${records.length})` }], avery);
      } else {
        const repo = sandbox.github.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo);
        const issue = repo?.issues.find((i) => i.number === pick(githubNumbers));
        if (issue) {
          issue.title = `${issue.title.replace(/ \(edited \d+\)$/, '')} (edited ${records.length})`;
          issue.updatedAt = sandbox.github.nowIso();
        }
      }
    };

    /** The item as the view shows it: the tracker's cache, or fetched; a failed read is tried again as a user would. */
    const view = async (tracker: WorkTracker, id: number): Promise<WorkItem | undefined> => {
      for (let i = 0; i < 6; i++) {
        const found = await tracker.get([id]).then(
          (m) => m.get(id),
          (e: unknown) => e,
        );
        if (found && !(found instanceof Error)) return found as WorkItem;
      }
      return undefined;
    };

    const classify = (error: unknown): Reported => (isDevOpsError(error) && REFUSED_CODES.has(error.code) ? 'refused' : 'error');

    /**
     * One write as the commands run it (views/boards/writeOutcome.ts): a conflict gets "Overwrite
     * with Mine" (the item read again, the same change on top) up to three times; an error the user
     * can retry ("could not be read", "failed") is retried once, as its own attempt of the same intent.
     */
    const perform = async (record: Omit<WriteRecord, 'reported'>, run: (current?: WorkItem) => Promise<WriteOutcome | { kind: 'applied-project' | 'project-conflict' | 'queued' | 'refused'; outboxId?: string; reason?: string }>, reread?: () => Promise<WorkItem | undefined>): Promise<void> => {
      for (let retry = 0; retry < 2; retry++) {
        const entry: WriteRecord = { ...record, reported: 'error' };
        records.push(entry);
        try {
          let outcome = await run();
          for (let round = 0; ; round++) {
            if (outcome.kind === 'applied' || outcome.kind === 'applied-project') {
              entry.reported = 'applied';
              break;
            }
            if (outcome.kind === 'queued') {
              entry.reported = 'queued';
              entry.outboxId = (outcome as { outboxId: string }).outboxId;
              break;
            }
            if (outcome.kind === 'refused') {
              entry.reported = 'refused';
              entry.detail = (outcome as { message?: string }).message;
              trace(`#${record.n} ${record.op} ${record.subject}: refused: ${entry.detail ?? ''}`);
              return;
            }
            conflicts++;
            entry.detail = (outcome as { message?: string }).message;
            if (round >= 2) {
              entry.reported = 'conflict';
              break;
            }
            // As runWrite's reread: the tracker's copy when it is as new as the conflict's, else the conflict's.
            const remote = (outcome as { remote?: unknown }).remote;
            const fresh = reread ? await reread() : undefined;
            const theirs = isWorkItem(remote) ? remote : undefined;
            outcome = await run(fresh && theirs ? (fresh.rev >= theirs.rev ? fresh : theirs) : (fresh ?? theirs));
          }
          return;
        } catch (error) {
          entry.reported = classify(error);
          entry.detail = error instanceof Error ? error.message : String(error);
          trace(`#${record.n} ${record.op} ${record.subject}: ${entry.reported}: ${entry.detail}`);
          if (entry.reported === 'refused') return;
        }
      }
    };

    const act = async (n: number, op: OpKind): Promise<boolean> => {
      const azure = window.azure;
      const github = window.github;
      switch (op) {
        case 'ado.state':
        case 'ado.assign':
        case 'ado.comment':
        case 'ado.link': {
          const id = pick(azureIds);
          const item = await view(azure, id);
          if (!item) return false;
          const subject = `AB#${id}`;
          const reread = () => view(azure, id);
          if (op === 'ado.state') {
            const choices = await azure.allowedStates(item).catch(() => []);
            if (choices.length === 0) return false;
            const state = pick(choices).state;
            await perform({ n, op, subject, field: 'state', value: state }, (current) => azure.changeState(current ?? item, state), reread);
          } else if (op === 'ado.assign') {
            await perform({ n, op, subject, field: 'assignee', value: 'me' }, (current) => azure.assignToMe(current ?? item), reread);
          } else if (op === 'ado.comment') {
            const text = `chaos ${options.seed}/${n}: a note`;
            await perform({ n, op, subject, marker: text }, (current) => azure.addComment(current ?? item, text), reread);
          } else {
            const branch = `chaos/${options.seed}-${n}`;
            await perform({ n, op, subject, marker: branch }, (current) => azure.linkBranch(current ?? item, `refs/heads/${branch}`), reread);
          }
          return true;
        }
        case 'ado.create': {
          const title = `chaos ${options.seed}/${n}: new task`;
          await perform({ n, op, subject: 'new', marker: title }, () => azure.create({ type: 'Task', title, description: 'Made by the chaos run.' }));
          return true;
        }
        case 'gh.state':
        case 'gh.assign':
        case 'gh.comment': {
          const number = pick(githubNumbers);
          const item = await view(github, number);
          if (!item) return false;
          const subject = `gh#${number}`;
          const reread = () => view(github, number);
          if (op === 'gh.state') {
            const choices = await github.allowedStates(item);
            if (choices.length === 0) return false;
            const state = pick(choices).state;
            await perform({ n, op, subject, field: 'state', value: state }, (current) => github.changeState(current ?? item, state), reread);
          } else if (op === 'gh.assign') {
            await perform({ n, op, subject, field: 'assignee', value: 'me' }, (current) => github.assignToMe(current ?? item), reread);
          } else {
            const text = `chaos ${options.seed}/${n}: a note`;
            await perform({ n, op, subject, marker: text }, (current) => github.addComment(current ?? item, text), reread);
          }
          return true;
        }
        case 'gh.create': {
          const title = `chaos ${options.seed}/${n}: new issue`;
          await perform({ n, op, subject: 'new', marker: title }, () => github.create({ type: 'Issue', title, description: 'Made by the chaos run.' }));
          return true;
        }
        case 'gh.status': {
          const itemId = pick(projectItems);
          let seen: string | undefined;
          for (let i = 0; i < 6 && seen === undefined; i++) {
            const b = await github.board(SANDBOX_GITHUB.projectNumber).catch(() => undefined);
            if (b) seen = b.items.find((x) => x.itemId === itemId)?.status ?? '';
          }
          if (seen === undefined) return false;
          const status = pick(statusOptions.filter((o) => o !== seen));
          // A Status conflict in the command is offered "Overwrite with Mine": the same call again.
          await perform({ n, op, subject: `status:${itemId}`, field: 'status', value: status }, () => github.setStatus(SANDBOX_GITHUB.projectNumber, itemId, status));
          return true;
        }
      }
    };

    const weights = OPS.reduce((a, [, w]) => a + w, 0);
    const pickOp = (): OpKind => {
      let r = next() * weights;
      for (const [op, w] of OPS) if ((r -= w) < 0) return op;
      return OPS[0]![0];
    };

    const restartAt = Math.floor(options.writes / 2);
    for (let n = 0; n < options.writes; ) {
      if (n === restartAt) {
        await background;
        await window.close();
        window = await ChaosWindow.open(sandbox, dir, log);
        listen(window);
        const waiting = window.outbox.entries();
        pendingAtRestart = waiting.length;
        // "Send Pending Remote Changes Now" before any view, lens or command has loaded a tracker.
        sentAfterRestart = await window.outbox.flush().catch(() => 0);
        await window.outbox.reload();
        const after = new Map(window.outbox.entries().map((e) => [e.id, e.attempts]));
        triedAfterRestart = waiting.filter((e) => after.get(e.id) !== e.attempts).length;
        trace(`restart: ${pendingAtRestart} waiting, Send Now sent ${sentAfterRestart}; left: ${window.outbox.pending().map((e) => `${e.description} (${e.state}${e.elsewhere ? `, ${e.elsewhere}` : ''}: ${e.lastError ?? ''})`).join('; ')}`);
      }
      if (chance(options.faultRate ?? 0.5)) armFaults();
      if (chance(0.06)) otherEdit();
      if (chance(0.08)) {
        await window.azure.refresh().catch(none);
        await window.github.refresh().catch(none);
      }
      if (chance(0.15)) {
        await background;
        // The outbox's own timer: sometimes while the user goes on, sometimes before.
        const replay = window.outbox.flush().catch(none);
        background = chance(0.5) ? replay : Promise.resolve();
        if (background !== replay) await replay;
      }
      const op = pickOp();
      if (await act(n, op)) {
        ops[op]++;
        n++;
      }
    }
    await background;

    // The network is back: "Send Now" until nothing more goes out.
    sandbox.server.faults.clear();
    let before = -1;
    for (let round = 0; round < 6 && window.outbox.pending().length !== before; round++) {
      before = window.outbox.pending().length;
      await window.outbox.flush().catch(none);
    }
    await window.outbox.reload();
    const left = new Map(window.outbox.entries().map((e) => [e.id, e]));
    for (const r of records) {
      if (r.outboxId === undefined) continue;
      const entry = left.get(r.outboxId);
      // Left the outbox without a word (the code before the protocol said nothing): sent.
      if (entry === undefined) {
        if (r.reported === 'queued') r.reported = 'applied';
        continue;
      }
      r.reported = entry.state === 'pending' ? 'waiting' : entry.state === 'conflict' ? 'conflict' : 'failed';
    }
    const judged = judge(records, truth, left.size);
    for (const e of [...left.values()].slice(0, 10)) judged.problems.push(`left in the outbox: ${e.description} (${e.state}, ${e.attempts} attempts): ${e.lastError ?? ''}`);
    await window.close();
    return {
      seed: options.seed,
      writes: judged.intents,
      ops,
      faults: tally.byKind(),
      faultTotal: tally.total,
      applied: judged.applied,
      refused: judged.refused,
      doubled: judged.doubled,
      stuck: judged.stuck,
      mismatched: judged.mismatched,
      misreported: judged.misreported,
      conflicts,
      sentAfterRestart,
      triedAfterRestart,
      pendingAtRestart,
      outboxLeft: left.size,
      requests: sandbox.server.requests.length,
      seconds: (Date.now() - started) / 1000,
      problems: judged.problems,
    };
  } finally {
    await window.close().catch(none);
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const TOLD_DONE: ReadonlySet<Reported> = new Set(['applied']);
const TOLD_FAILED: ReadonlySet<Reported> = new Set(['error', 'failed', 'conflict']);
const STILL_WAITING: ReadonlySet<Reported> = new Set(['waiting', 'failed', 'conflict']);

/** Compares every intent with the services' state. */
function judge(records: readonly WriteRecord[], truth: GroundTruth, outboxLeft: number) {
  const problems: string[] = [];
  const note = (line: string): void => {
    if (problems.length < 40) problems.push(line);
  };
  let intents = 0;
  let applied = 0;
  let doubled = 0;
  let stuck = 0;
  let mismatched = 0;
  let misreported = 0;
  let refused = 0;

  // Comments, new items, links: each intent (with its retries) is found on the service 0, 1 or more times.
  const byMarker = new Map<string, WriteRecord[]>();
  for (const r of records) if (r.marker !== undefined) byMarker.set(r.marker, [...(byMarker.get(r.marker) ?? []), r]);
  for (const [marker, group] of byMarker) {
    intents++;
    const first = group[0]!;
    const id = Number(first.subject.replace(/^\D+/, ''));
    const found =
      first.op === 'ado.comment' ? truth.azureComments(id, marker)
      : first.op === 'ado.create' ? truth.azureCreated(marker)
      : first.op === 'ado.link' ? truth.azureLinks(id, marker)
      : first.op === 'gh.comment' ? truth.githubComments(id, marker)
      : truth.githubCreated(marker);
    const reports = group.map((r) => r.reported);
    if (found > 1) {
      doubled++;
      note(`doubled: ${first.op} "${marker}" is on the service ${found} times (told ${reports.join(', ')})`);
    }
    if (found >= 1) applied++;
    if (found === 0 && reports.every((r) => r === 'refused')) refused++;
    if (found === 0 && !reports.every((r) => r === 'refused')) {
      stuck++;
      note(`stuck: ${first.op} "${marker}" never reached the service (told ${reports.join(', ')})`);
    }
    if (found === 0 && reports.some((r) => TOLD_DONE.has(r))) {
      misreported++;
      note(`misreported: ${first.op} "${marker}" was reported applied but is not on the service`);
    } else if (found >= 1 && !reports.some((r) => TOLD_DONE.has(r) || r === 'waiting') && reports.some((r) => TOLD_FAILED.has(r))) {
      misreported++;
      note(`misreported: ${first.op} "${marker}" was reported ${reports.join(', ')} but the service has it`);
    }
  }

  // Field writes: the last value the user asked for (and was not told was refused) must be what the service holds.
  const byField = new Map<string, WriteRecord[]>();
  for (const r of records) if (r.field !== undefined) byField.set(`${r.subject} ${r.field}`, [...(byField.get(`${r.subject} ${r.field}`) ?? []), r]);
  for (const [key, group] of byField) {
    intents += new Set(group.map((r) => r.n)).size;
    const first = group[0]!;
    const holds = (value: string | undefined): boolean => {
      if (value === undefined) return false;
      const id = first.subject.replace(/^[^#:]*[#:]/, '');
      switch (first.op) {
        case 'ado.state':
          return truth.azureState(Number(id)) === value;
        case 'ado.assign':
          return truth.azureAssignedToMe(Number(id));
        case 'gh.state':
          return truth.githubInState(Number(id), value);
        case 'gh.assign':
          return truth.githubAssignedToMe(Number(id));
        default:
          return truth.projectStatus(id) === value;
      }
    };
    refused += new Set(group.filter((r) => r.reported === 'refused').map((r) => r.n)).size;
    const left = group.filter((r) => STILL_WAITING.has(r.reported));
    stuck += new Set(left.map((r) => r.n)).size;
    applied += new Set(group.filter((r) => !STILL_WAITING.has(r.reported) && r.reported !== 'refused' && r.reported !== 'error').map((r) => r.n)).size;
    const last = group[group.length - 1]!;
    const believed = [...group].reverse().find((r) => r.reported === 'applied' || r.reported === 'waiting' || r.reported === 'queued');
    if (holds(last.value)) {
      if (TOLD_FAILED.has(last.reported) && !(believed && believed.value === last.value)) {
        misreported++;
        note(`misreported: ${key} → ${last.value} was reported ${last.reported} but the service holds it`);
      }
    } else if (believed && !holds(believed.value)) {
      mismatched++;
      const now = first.op.startsWith('ado') ? truth.azureState(Number(first.subject.slice(3))) : first.op === 'gh.status' ? truth.projectStatus(first.subject.slice(7)) : truth.githubState(Number(first.subject.slice(3)));
      note(`mismatched: ${key} should be ${believed.value} (last intent, told ${believed.reported}) but is ${now ?? 'unset'}`);
    }
  }
  if (outboxLeft > 0) note(`the outbox still holds ${outboxLeft} change(s)`);
  return { intents, applied, refused, doubled, stuck, mismatched, misreported, problems };
}
