import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { type AuditInput, buildAuditEvent, type ChainHead, EMPTY_HEAD, serializeEvent } from '../../src/core/audit';
import { auditDir } from '../../src/providers/audit';

/**
 * A deterministic audit trail for the benchmark, written as the extension writes it: every event
 * built by `buildAuditEvent` (validated, redacted, chained), one canonical JSON line each, one file
 * per UTC day under `<root>/.devops/audit/`. What a team's repository collects when agents run
 * daily: agent runs (started, 3 to 12 steps with files written and commands run, work item state
 * changes and comments, then completed, failed or cancelled), work item changes made from the
 * sidebar, and chat tool calls, spread over about 100 days. Same seed, same bytes.
 *
 * The last `extra` events are not written to the trail but to `<root>/extra.jsonl`: the bench
 * appends them to measure an incremental verify after new events.
 */
export interface TrailSpec {
  readonly events: number;
  readonly extra: number;
  readonly seed: number;
}

export interface Trail {
  readonly root: string;
  readonly dir: string;
  readonly extraFile: string;
  readonly events: number;
  readonly bytes: number;
  readonly files: number;
}

/** mulberry32: tiny, fast, good enough for picking words. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENTS = ['orchestrator', 'qa', 'security', 'release', 'planner', 'platform', 'scaffold'] as const;
const USERS = ['ada@contoso.com', 'grace@contoso.com', 'linus@contoso.com', 'margaret@contoso.com', 'ken@contoso.com'];
const FILES = ['src/auth/login.ts', 'src/auth/reset.ts', 'src/api/orders.ts', 'src/api/orders.test.ts', 'infra/main.bicep', '.github/workflows/ci.yml', 'README.md', 'package.json', 'src/ui/Cart.tsx', 'docs/runbook.md'];
const COMMANDS = ['npm test', 'npm run lint', 'git status --porcelain', 'git switch -c task-{id}-fix-login', 'pytest -q', 'dotnet test', 'npm run build'];
const STEPS = ['Read the work item and its parent', 'Planned 4 file edits', 'Ran the unit tests', 'Scanned dependencies for advisories', 'Drafted the release notes from 23 commits', 'Checked the pipeline definition', 'Moved the item to Code Review', 'Summarised the findings for the pull request'];
const STATES = [['New', 'Active'], ['Active', 'Resolved'], ['Resolved', 'Closed'], ['To Do', 'Doing'], ['Doing', 'Done']] as const;

/** The inputs of one agent run or one manual change, in order. */
function* action(r: () => number, n: number): Generator<AuditInput> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
  const item = 1 + Math.floor(r() * 5000);
  const user = pick(USERS);
  const base = { workItemId: item, repository: 'contoso/web', user };
  const kind = r();
  if (kind < 0.12) {
    const [oldState, newState] = pick(STATES);
    yield { ...base, correlationId: `ui-${n.toString(36)}-${Math.floor(r() * 1e9).toString(36)}`, eventType: 'workItem.stateChanged', service: 'azureBoards', oldState, newState, metadata: { source: 'sidebar', rev: 2 + Math.floor(r() * 40) } };
    return;
  }
  if (kind < 0.2) {
    const id = `chat-${n.toString(16)}-4f2b-9a8e-${Math.floor(r() * 1e12).toString(16)}`;
    yield { ...base, correlationId: id, eventType: 'tool.invoked', service: 'chat', metadata: { tool: 'aiDevops_changeWorkItemState', confirmed: true, summary: `Change AB#${item} to Active` } };
    yield { ...base, correlationId: id, eventType: 'workItem.commented', service: 'azureBoards', metadata: { commentId: Math.floor(r() * 1e6), summary: 'Comment added from @devops' } };
    return;
  }
  const agent = pick(AGENTS);
  const id = `run-${agent}-${n.toString(16)}-${Math.floor(r() * 1e12).toString(16)}`;
  const run = { ...base, correlationId: id, service: agent };
  yield { ...run, eventType: 'run.started', metadata: { trigger: r() < 0.5 ? 'command' : 'chat', summary: `${agent} agent on AB#${item}`, model: r() < 0.3 ? 'none' : 'gpt-4.1-mini', branch: `task-${item}-fix-login` } };
  const steps = 3 + Math.floor(r() * 10);
  for (let s = 0; s < steps; s++) {
    const what = r();
    if (what < 0.25) yield { ...run, eventType: 'file.written', metadata: { step: s + 1, path: pick(FILES), bytes: Math.floor(r() * 20000), summary: 'Applied the approved edit' } };
    else if (what < 0.45) {
      const command = pick(COMMANDS).replace('{id}', String(item));
      yield { ...run, eventType: 'command.run', metadata: { step: s + 1, command, exitCode: r() < 0.9 ? 0 : 1, durationMs: Math.floor(r() * 90000), summary: `${command}: ${Math.floor(r() * 400)} passed, ${Math.floor(r() * 3)} failed` } };
    } else if (what < 0.5) {
      const [oldState, newState] = pick(STATES);
      yield { ...run, eventType: 'workItem.stateChanged', oldState, newState, metadata: { step: s + 1, rev: 2 + Math.floor(r() * 40) } };
    } else yield { ...run, eventType: 'run.step', metadata: { step: s + 1, summary: pick(STEPS), tokens: Math.floor(r() * 4000) } };
  }
  const end = r();
  if (end < 0.85) yield { ...run, eventType: 'run.completed', metadata: { steps, durationMs: Math.floor(r() * 600000), summary: `${agent} run finished: ${steps} steps` } };
  else if (end < 0.95) yield { ...run, eventType: 'run.failed', metadata: { steps, error: 'npm test exited with code 1 (3 failing tests in src/api/orders.test.ts)' } };
  else yield { ...run, eventType: 'run.cancelled', metadata: { steps, by: user } };
}

const DAY_MS = 86_400_000;

/** Generates the trail under `root` unless the same spec is already there. */
export function generateTrail(root: string, spec: TrailSpec): Trail {
  const dir = auditDir(root);
  const marker = path.join(root, 'trail.json');
  const extraFile = path.join(root, 'extra.jsonl');
  if (existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as TrailSpec & Trail;
    if (saved.events === spec.events && saved.extra === spec.extra && saved.seed === spec.seed) return { root, dir, extraFile, events: saved.events, bytes: saved.bytes, files: saved.files };
  }
  rmSync(root, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const r = rng(spec.seed);
  const total = spec.events + spec.extra;
  // About 100 days, 4 to 16 seconds apart.
  const step = (100 * DAY_MS) / total;
  let at = Date.UTC(2025, 0, 6, 8, 0, 0);
  let head: ChainHead = EMPTY_HEAD;
  let day = '';
  let fd = -1;
  let pending: string[] = [];
  let bytes = 0;
  let files = 0;
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = pending.join('');
    writeSync(fd, text);
    if (fd !== extraFd) bytes += Buffer.byteLength(text);
    pending = [];
  };
  const extraFd = openSync(extraFile, 'w');
  let n = 0;
  for (let action_ = 0; n < total; action_++) {
    for (const input of action(r, action_)) {
      if (n === total) break;
      at += step * (0.5 + r());
      const now = new Date(at);
      const event = buildAuditEvent(input, head, now);
      head = { prev: event.hash, seq: event.seq };
      if (n === spec.events) {
        flush();
        closeSync(fd);
        fd = extraFd;
      } else if (n < spec.events && now.toISOString().slice(0, 10) !== day) {
        flush();
        if (fd !== -1) closeSync(fd);
        day = now.toISOString().slice(0, 10);
        fd = openSync(path.join(dir, `audit-${day}.jsonl`), 'w');
        files++;
      }
      pending.push(`${serializeEvent(event)}\n`);
      if (pending.length === 4096) flush();
      n++;
    }
  }
  flush();
  closeSync(extraFd);
  if (fd !== extraFd) closeSync(fd);
  const trail = { root, dir, extraFile, events: spec.events, bytes, files };
  writeFileSync(marker, JSON.stringify({ ...spec, ...trail }));
  return trail;
}
