import { z } from 'zod';
import { ACTION_KINDS, ACTION_LABELS, type ActionKind, ActionKindSchema } from './plan';

/**
 * One approval policy for every agent: Ask / Allow / Never per kind of action, with per-agent
 * overrides. Three layers:
 *   1. built-in defaults: Ask for everything;
 *   2. the user's `aiDevops.agents.approval` setting (user settings only: a workspace cannot set it);
 *   3. the repository's `.devops/policy.json`: what it tightens (Allow → Ask → Never) applies at
 *      once; what it loosens applies only once the user approved that exact file content, because a
 *      cloned repository must not grant itself permissions.
 * Under all of it sit the command policy and the path guard, which no setting lifts.
 */
export const DecisionSchema = z.enum(['ask', 'allow', 'never']);
export type Decision = z.infer<typeof DecisionSchema>;

const KindMapSchema = z.partialRecord(ActionKindSchema, DecisionSchema);

const AgentNameSchema = z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'an agent name such as "scaffold"');

export const PolicyLayerSchema = z
  .object({
    defaults: KindMapSchema.optional(),
    agents: z.record(AgentNameSchema, KindMapSchema).optional(),
  })
  .strict();
export type PolicyLayer = z.infer<typeof PolicyLayerSchema>;

export const PolicyFileSchema = PolicyLayerSchema.extend({ version: z.literal(1) }).strict();

/** Where a repository keeps its policy, relative to the workspace. */
export const POLICY_FILE_PATH = '.devops/policy.json';

const STRICTNESS: Readonly<Record<Decision, number>> = { allow: 0, ask: 1, never: 2 };

export const BUILT_IN_POLICY: Readonly<Record<ActionKind, Decision>> = {
  writeFiles: 'ask',
  runCommand: 'ask',
  trackerWrite: 'ask',
  pushPublish: 'ask',
  cloudModel: 'ask',
};

export type PolicyFileRead =
  | { readonly kind: 'absent' }
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'valid'; readonly layer: PolicyLayer; readonly sha256: string; readonly approved: boolean };

/** Parses `.devops/policy.json`; a bad file is an error that names the field. */
export function parsePolicyFile(text: string): { ok: true; layer: PolicyLayer } | { ok: false; reason: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `${POLICY_FILE_PATH} is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  const parsed = PolicyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the file';
    return { ok: false, reason: `${POLICY_FILE_PATH}: ${where}: ${issue?.message ?? 'invalid'}. Each value is "ask", "allow" or "never"; kinds are ${ACTION_KINDS.join(', ')}.` };
  }
  const { version: _version, ...layer } = parsed.data;
  return { ok: true, layer };
}

/** The user setting's value, validated; a bad value is reported and ignored (the defaults stand). */
export function parseUserPolicy(value: unknown): { layer: PolicyLayer; problem?: string } {
  if (value === undefined || value === null) return { layer: {} };
  const parsed = PolicyLayerSchema.safeParse(value);
  if (parsed.success) return { layer: parsed.data };
  const issue = parsed.error.issues[0];
  return { layer: {}, problem: `aiDevops.agents.approval: ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}; the built-in policy (Ask) is used.` };
}

export interface DecisionExplained {
  readonly decision: Decision;
  /** Why, for the preview and the audit trail. */
  readonly source: 'built-in' | 'user settings' | 'repository policy' | 'repository policy (approved)';
  /** Set when the repository's file asked for something looser that is not approved yet. */
  readonly pendingLoosening?: Decision;
}

const layerValue = (layer: PolicyLayer, agent: string, kind: ActionKind): Decision | undefined => layer.agents?.[agent]?.[kind] ?? layer.defaults?.[kind];

export class ApprovalPolicy {
  constructor(
    private readonly user: PolicyLayer,
    private readonly repository: PolicyFileRead,
  ) {}

  /** The decision for one agent and kind, and where it came from. */
  explain(agent: string, kind: ActionKind): DecisionExplained {
    const userValue = layerValue(this.user, agent, kind);
    const base: DecisionExplained = userValue ? { decision: userValue, source: 'user settings' } : { decision: BUILT_IN_POLICY[kind], source: 'built-in' };
    if (this.repository.kind !== 'valid') return base;
    const repoValue = layerValue(this.repository.layer, agent, kind);
    if (!repoValue || repoValue === base.decision) return base;
    if (STRICTNESS[repoValue] > STRICTNESS[base.decision]) return { decision: repoValue, source: 'repository policy' };
    if (this.repository.approved) return { decision: repoValue, source: 'repository policy (approved)' };
    return { ...base, pendingLoosening: repoValue };
  }

  decide(agent: string, kind: ActionKind): Decision {
    return this.explain(agent, kind).decision;
  }

  /** The repository file's state, for the "approve this policy file" prompt. */
  get repositoryFile(): PolicyFileRead {
    return this.repository;
  }

  /** What the repository's file would loosen if approved: shown to the user before they approve it. */
  loosenings(agents: readonly string[]): { agent: string; kind: ActionKind; from: Decision; to: Decision }[] {
    if (this.repository.kind !== 'valid') return [];
    const repo = this.repository;
    const out: { agent: string; kind: ActionKind; from: Decision; to: Decision }[] = [];
    for (const agent of agents) {
      for (const kind of ACTION_KINDS) {
        const e = new ApprovalPolicy(this.user, { ...repo, approved: false }).explain(agent, kind);
        if (e.pendingLoosening) out.push({ agent, kind, from: e.decision, to: e.pendingLoosening });
      }
    }
    return out;
  }
}

/** `scaffold may write files in the workspace: Ask (built-in)`. */
export function describeDecision(agent: string, kind: ActionKind, d: DecisionExplained): string {
  const word = d.decision === 'ask' ? 'Ask' : d.decision === 'allow' ? 'Allow' : 'Never';
  const pending = d.pendingLoosening ? `; ${POLICY_FILE_PATH} asks for ${d.pendingLoosening}, not approved` : '';
  return `${agent}: ${ACTION_LABELS[kind]}: ${word} (${d.source}${pending})`;
}
