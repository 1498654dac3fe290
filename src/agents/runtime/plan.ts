import { quote } from 'shell-quote';
import { z } from 'zod';
import { type OutboxJson, OutboxJsonSchema } from '../../core/boards/outbox';

/**
 * What an agent returns: data, never effects. The runtime previews a plan, asks for the parts the
 * approval policy says to ask about, applies what was approved and audits every step. Agents of
 * every kind use the same shape, so one preview, one approval and one apply serve them all.
 */

/** The kinds of action the approval policy decides on, per agent. */
export const ACTION_KINDS = ['writeFiles', 'runCommand', 'trackerWrite', 'pushPublish', 'cloudModel'] as const;
export const ActionKindSchema = z.enum(ACTION_KINDS);
export type ActionKind = z.infer<typeof ActionKindSchema>;

export const ACTION_LABELS: Readonly<Record<ActionKind, string>> = {
  writeFiles: 'write files in the workspace',
  runCommand: 'run commands',
  trackerWrite: 'write to Azure Boards or GitHub (work items, comments)',
  pushPublish: 'push, tag, publish or start pipelines',
  cloudModel: 'send workspace content to a cloud model',
};

/** Workspace-relative, forward slashes; the path guard checks it again when applying. */
const RelativePath = z
  .string()
  .min(1)
  .max(1000)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.split('/').includes('..'), 'a path relative to the workspace, without ".."');

export const FileEditSchema = z
  .object({
    path: RelativePath,
    /** `create` refuses to replace a file that exists; `modify` refuses when the file changed since it was read. */
    action: z.enum(['create', 'modify']),
    content: z.string(),
    /** SHA-256 of the text the agent read (modify): the edit is refused when the file has changed since. */
    baseSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    executable: z.boolean().optional(),
    /** One line shown in the preview. */
    why: z.string().max(500).optional(),
  })
  .strict();
export type FileEdit = z.infer<typeof FileEditSchema>;

export const PlannedCommandSchema = z
  .object({
    file: z.string().min(1),
    args: z.array(z.string()),
    /** Workspace-relative folder to run in (default: the workspace root). */
    cwd: RelativePath.optional(),
    why: z.string().max(500),
    timeoutMs: z.number().int().positive().max(3_600_000).optional(),
  })
  .strict();
export type PlannedCommand = z.infer<typeof PlannedCommandSchema>;

export const RemoteChangeSchema = z
  .object({
    /** Unique within the plan; `dependsOn` names others that must be applied first. */
    id: z.string().min(1).max(200),
    /** What the executor does, e.g. `workItem.comment`, `git.push`, `pullRequest.create`. */
    kind: z.string().regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/),
    approval: z.enum(['trackerWrite', 'pushPublish']),
    /** Where it goes, as the user reads it: `AB#12`, `origin`, `contoso/web`. */
    target: z.string().min(1).max(500),
    /** One line for the preview and the audit trail. */
    summary: z.string().min(1).max(500),
    payload: OutboxJsonSchema,
    dependsOn: z.array(z.string()).optional(),
  })
  .strict();
export type RemoteChange = z.infer<typeof RemoteChangeSchema>;

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export const FindingSchema = z
  .object({
    ruleId: z.string().min(1).max(200),
    category: z.string().max(100).optional(),
    severity: SeveritySchema,
    message: z.string().min(1).max(4000),
    /** Workspace-relative; absent for findings about the project as a whole. */
    file: z.string().max(1000).optional(),
    /** 1-based. */
    line: z.number().int().positive().optional(),
    column: z.number().int().positive().optional(),
    endLine: z.number().int().positive().optional(),
    /** Stable across runs and machines: what makes it the same finding (SARIF partialFingerprints). */
    fingerprint: z.string().min(1).max(200),
    helpUri: z.url().optional(),
    fix: z.object({ description: z.string().max(500), edits: z.array(FileEditSchema) }).strict().optional(),
    suppressed: z.object({ reason: z.string(), by: z.string().optional(), at: z.string().optional() }).strict().optional(),
  })
  .strict();
export type Finding = z.infer<typeof FindingSchema>;

/** Something the agent read to decide, shown as "what I found". */
export const FactSchema = z.object({ label: z.string().min(1).max(200), value: z.string().max(2000), source: z.string().max(1000).optional() }).strict();
export type Fact = z.infer<typeof FactSchema>;

const isPlainObject = (v: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * Whether a value is a plain JSON object, in one pass without recursion. The same as
 * `z.record(z.string(), OutboxJsonSchema)`, but a zod union per value took 150 ms on a release's
 * result of 10,000 commits.
 */
export function isJsonObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !isPlainObject(value)) return false;
  const stack: object[] = [value];
  // A cycle would never end: past this many objects the answer is no (JSON cannot hold a cycle anyway).
  let budget = 10_000_000;
  while (stack.length > 0) {
    const o = stack.pop()!;
    // Own enumerable values, as JSON.stringify reads them; primitives are checked here rather than
    // pushed, which halves the work on a release's 10,000 commits.
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) if (!jsonValue(o[i] as unknown)) return false;
    } else if (isPlainObject(o)) {
      // for...in with an own-property test reads what Object.values would, without an array per object.
      const record = o as Record<string, unknown>;
      for (const key in record) if (Object.hasOwn(record, key) && !jsonValue(record[key])) return false;
    } else return false;
  }
  return true;

  /** A primitive JSON can hold, or an object queued for its own check. */
  function jsonValue(x: unknown): boolean {
    switch (typeof x) {
      case 'string':
      case 'boolean':
        return true;
      case 'number':
        return Number.isFinite(x);
      case 'object':
        if (x === null) return true;
        if (--budget < 0) return false;
        stack.push(x);
        return true;
      default:
        return false;
    }
  }
}

export const AgentPlanSchema = z
  .object({
    agent: z.string().min(1),
    action: z.string().min(1),
    title: z.string().min(1).max(300),
    summary: z.string().max(4000),
    facts: z.array(FactSchema),
    edits: z.array(FileEditSchema),
    commands: z.array(PlannedCommandSchema),
    remote: z.array(RemoteChangeSchema),
    findings: z.array(FindingSchema),
    /** The finding categories this run checked, when it checked only some: the editor replaces only their problems. */
    checkedCategories: z.array(z.string().min(1).max(100)).max(50).optional(),
    /** Plain sentences for the user: what was assumed, what was left out and why. */
    notes: z.array(z.string()),
    /** The agent's own verdict where it has one (tests failed: `fail`); the CLI exits 1 on `fail`. */
    verdict: z.enum(['pass', 'fail']).optional(),
    /** The agent's own machine-readable answer (the CLI's --json puts its keys at the top level). */
    result: z.custom<Record<string, OutboxJson>>(isJsonObject, 'The plan\'s result must be a JSON object (strings, finite numbers, booleans, null, arrays and plain objects).').optional(),
  })
  .strict();
export type AgentPlan = z.infer<typeof AgentPlanSchema>;

/** A plan with nothing in it but the title: agents fill in what they have. */
export function emptyPlan(agent: string, action: string, title: string): AgentPlan {
  return { agent, action, title, summary: '', facts: [], edits: [], commands: [], remote: [], findings: [], notes: [] };
}

/** The kinds of action a plan needs approved (cloudModel is asked while planning, not here). */
export function actionKindsOf(plan: Pick<AgentPlan, 'edits' | 'commands' | 'remote'>): ActionKind[] {
  const kinds: ActionKind[] = [];
  if (plan.edits.length > 0) kinds.push('writeFiles');
  if (plan.commands.length > 0) kinds.push('runCommand');
  if (plan.remote.some((r) => r.approval === 'trackerWrite')) kinds.push('trackerWrite');
  if (plan.remote.some((r) => r.approval === 'pushPublish')) kinds.push('pushPublish');
  return kinds;
}

/** Orders remote changes so each comes after what it depends on; a cycle or an unknown id is an error naming it. */
export function orderRemoteChanges(changes: readonly RemoteChange[]): RemoteChange[] {
  const byId = new Map(changes.map((c) => [c.id, c]));
  if (byId.size !== changes.length) {
    const seen = new Set<string>();
    const dup = changes.find((c) => (seen.has(c.id) ? true : (seen.add(c.id), false)));
    throw new Error(`The plan names the remote change "${dup?.id}" twice.`);
  }
  const out: RemoteChange[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (c: RemoteChange, path: string[]): void => {
    const s = state.get(c.id);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`The plan's remote changes depend on each other in a circle: ${[...path, c.id].join(' → ')}.`);
    state.set(c.id, 'visiting');
    for (const dep of c.dependsOn ?? []) {
      const d = byId.get(dep);
      if (!d) throw new Error(`The remote change "${c.id}" depends on "${dep}", which is not in the plan.`);
      visit(d, [...path, c.id]);
    }
    state.set(c.id, 'done');
    out.push(c);
  };
  for (const c of changes) visit(c, []);
  return out;
}

/** A command as the user reads it (quoted as a shell would need, though none is used). */
export const displayCommand = (c: Pick<PlannedCommand, 'file' | 'args'>): string => quote([c.file, ...c.args]);
