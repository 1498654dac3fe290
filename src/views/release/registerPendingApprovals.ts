import * as vscode from 'vscode';
import { type PendingDeploymentList } from '../../core/release/pendingDeployments';
import { type DisposableStore } from '../../host/disposable';
import { type TreeViews } from '../../host/viewStandIns';
import { PENDING_APPROVALS_VIEW, type PendingNode, PendingApprovalsTree } from './pendingApprovalsTree';

/** The palette's Review Pending Deployment Approvals…: given `{ approve | reject, comment }`, it answers that one (the same plan step). */
const ANSWER_COMMAND = 'aiDevops.agents.releaseApprovals';

export interface PendingApprovalsDeps {
  readonly views: TreeViews;
  /** The deployments waiting in the connected backends (the release agent's pendingDeployments reader). */
  readonly list: (signal: AbortSignal) => Promise<PendingDeploymentList>;
}

/**
 * Approve or Reject on a row: the comment (a rejection must say why), then the palette command's
 * run with that id, so the review, the approval policy, the executor and the audit trail are the
 * palette's; the list is read again afterwards whatever the outcome (someone may have answered).
 */
export type AnswerPending = (input: { readonly approve?: string; readonly reject?: string; readonly comment?: string }) => Thenable<unknown>;

/** The palette command's own run, given the answer it would have collected. */
const paletteAnswer: AnswerPending = (input) => vscode.commands.executeCommand(ANSWER_COMMAND, input);

export async function answerPending(tree: PendingApprovalsTree, node: unknown, decision: 'approve' | 'reject', answer: AnswerPending = paletteAnswer): Promise<unknown> {
  const pending = (node as PendingNode | undefined)?.kind === 'pending' ? (node as Extract<PendingNode, { kind: 'pending' }>).pending : undefined;
  if (!pending) {
    void vscode.window.showWarningMessage('AI DevOps: pick a deployment in the Pending Approvals view to answer it.');
    return undefined;
  }
  const comment = await vscode.window.showInputBox({
    title: `${decision === 'approve' ? 'Approve' : 'Reject'} the deployment to ${pending.environment} (${pending.pipelineName} run ${pending.runName})`,
    prompt: decision === 'reject' ? 'Why is it rejected? (recorded with the answer and in the audit trail)' : 'A comment for the approval (optional; recorded with it)',
    placeHolder: decision === 'reject' ? 'Smoke tests failed on staging' : 'Smoke tests green',
    validateInput: (v) => (v.length > 1000 ? 'At most 1000 characters' : decision === 'reject' && !v.trim() ? 'A rejection says why' : undefined),
  });
  if (comment === undefined) return undefined;
  try {
    return await answer({ [decision]: pending.id, ...(comment.trim() ? { comment: comment.trim() } : {}) });
  } finally {
    await tree.refresh();
  }
}

/** The Pending Approvals view (in the AI DevOps sidebar), its Refresh and its rows' Approve and Reject. */
export function registerPendingApprovals(scope: DisposableStore, deps: PendingApprovalsDeps): PendingApprovalsTree {
  const tree = scope.add(new PendingApprovalsTree(deps.list));
  // Literal ids, so scripts/check-commands.mjs sees the registrations.
  scope.add(
    deps.views.create(PENDING_APPROVALS_VIEW, tree),
    vscode.commands.registerCommand('aiDevops.release.pendingApprovals.refresh', () => tree.refresh()),
    vscode.commands.registerCommand('aiDevops.release.approvePending', (node: unknown) => answerPending(tree, node, 'approve')),
    vscode.commands.registerCommand('aiDevops.release.rejectPending', (node: unknown) => answerPending(tree, node, 'reject')),
  );
  return tree;
}
