import { createInterface } from 'node:readline/promises';
import { ACTION_LABELS, type ActionKind, displayCommand } from '../agents/runtime/plan';
import { describeDecision } from '../agents/runtime/approvalPolicy';
import { approveAll, type ReviewAnswer, type ReviewRequest, type RunUi } from '../agents/runtime/runUi';

export interface CliUiOptions {
  readonly yes: boolean;
  /** Where progress and questions go (stderr: stdout is for the result). */
  readonly err: NodeJS.WritableStream;
  /** A terminal to ask on; undefined in a pipeline (then only --yes approves). */
  readonly ask?: (question: string) => Promise<string>;
  readonly quiet?: boolean;
}

/**
 * The command line's face of the runtime: --yes approves what the policy asks about (Never stays
 * Never), a terminal is asked y/N per kind of action, and anything else (a pipeline without --yes)
 * declines, so nothing happens that nobody approved.
 */
export class CliUi implements RunUi {
  /** Why a review was declined without asking (no terminal, no --yes), for the final message. */
  declinedWithoutAsking: ActionKind[] = [];

  constructor(private readonly options: CliUiOptions) {}

  progress(message: string): void {
    if (!this.options.quiet) this.options.err.write(`… ${message}\n`);
  }

  async review(request: ReviewRequest): Promise<ReviewAnswer | undefined> {
    const { plan } = request;
    const lines: string[] = [`Plan: ${plan.title}`];
    if (request.edits.length) lines.push(`  files (${request.edits.length}): ${request.edits.map((e) => `${e.original === undefined ? '+' : '~'}${e.path}`).join(', ')}`);
    for (const c of plan.commands) lines.push(`  run: ${displayCommand(c)}  (${c.why})`);
    for (const r of plan.remote) lines.push(`  ${r.approval === 'pushPublish' ? 'publish' : 'remote'}: ${r.summary} → ${r.target}`);
    for (const kind of request.ask) lines.push(`  needs approval: ${describeDecision(plan.agent, kind, request.decisions.get(kind)!)}`);
    this.options.err.write(`${lines.join('\n')}\n`);
    if (this.options.yes) return approveAll(plan, request.edits);
    if (!this.options.ask) {
      this.declinedWithoutAsking = [...request.ask];
      this.options.err.write(`Not approved: ${request.ask.map((k) => ACTION_LABELS[k]).join('; ')}. Run again with --yes to approve, or set the policy to Allow (.devops/policy.json, --policy).\n`);
      return undefined;
    }
    for (const kind of request.ask) {
      const answer = (await this.options.ask(`Allow the ${plan.agent} agent to ${ACTION_LABELS[kind]}? [y/N] `)).trim().toLowerCase();
      if (answer !== 'y' && answer !== 'yes') return undefined;
    }
    return approveAll(plan, request.edits);
  }

  async confirm(kind: ActionKind, agent: string, detail: string): Promise<boolean> {
    if (this.options.yes) return true;
    if (!this.options.ask) {
      this.options.err.write(`Not approved (the ${agent} agent asked to ${ACTION_LABELS[kind]}: ${detail.split('\n')[0]}). Run again with --yes to approve.\n`);
      return false;
    }
    const answer = (await this.options.ask(`Allow the ${agent} agent to ${ACTION_LABELS[kind]}: ${detail.split('\n')[0]}? [y/N] `)).trim().toLowerCase();
    return answer === 'y' || answer === 'yes';
  }

  output(text: string): void {
    if (!this.options.quiet) this.options.err.write(text);
  }
}

/** A y/N prompt on the terminal, when stdin is one. */
export function terminalQuestion(input: NodeJS.ReadStream, err: NodeJS.WritableStream): ((q: string) => Promise<string>) | undefined {
  if (!input.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input, output: err });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}
