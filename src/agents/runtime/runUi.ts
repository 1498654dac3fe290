import { type DecisionExplained } from './approvalPolicy';
import { type PreparedEdit } from './edits';
import { type ActionKind, type AgentPlan } from './plan';

/**
 * What the runtime asks of whoever started the run: the editor (quick picks, diff previews,
 * notifications: src/views/agents) or the command line (flags, stderr: src/cli). The runtime
 * decides what to ask; the UI only shows and answers.
 */
export interface ReviewRequest {
  readonly runId: string;
  readonly plan: AgentPlan;
  /** Edits checked against the disk, with the text they replace (for diffs). */
  readonly edits: readonly PreparedEdit[];
  /** The kinds the user is asked about now; the others are allowed by policy or left out. */
  readonly ask: readonly ActionKind[];
  readonly decisions: ReadonlyMap<ActionKind, DecisionExplained>;
}

/** What the user approved: a subset of the plan (they may untick items), or undefined to apply nothing. */
export interface ReviewAnswer {
  readonly edits: readonly string[];
  /** Indexes into plan.commands. */
  readonly commands: readonly number[];
  /** Ids of plan.remote. */
  readonly remote: readonly string[];
}

export interface RunUi {
  /** Shows the plan (diffs, new files, commands, remote changes) and asks about `ask` kinds. */
  review(request: ReviewRequest): Promise<ReviewAnswer | undefined>;
  /** A question during planning: run this command now, or send workspace content to this cloud model. */
  confirm(kind: ActionKind, agent: string, detail: string): Promise<boolean>;
  progress(message: string): void;
  /** Output of a running command, for a log the user can open. */
  output?(text: string): void;
}

/** Everything in the plan, as if the user ticked it all (policy Allow, the CLI's --yes). */
export function approveAll(plan: AgentPlan, edits: readonly PreparedEdit[]): ReviewAnswer {
  return { edits: edits.map((e) => e.path), commands: plan.commands.map((_c, i) => i), remote: plan.remote.map((r) => r.id) };
}
