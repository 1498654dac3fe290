import * as vscode from 'vscode';
import { isReleaseTag } from '../../agents/release/history';
import { type OutboxJson } from '../../core/boards/outbox';
import { readSettings } from '../../core/settings';
import { WorkspaceGit } from '../../providers/git/workspaceGit';
import { type AgentCommand } from './agentCommands';
import { type AgentRunner } from './agentRunner';

/** `aiDevops.release.tagPrefix` for the folder (default v): the prefix the plan tags with and the rollback looks for. */
const tagPrefix = (root: string | undefined): string =>
  readSettings((key) => vscode.workspace.getConfiguration('aiDevops', root ? vscode.Uri.file(root) : undefined).get(key)).settings.release.tagPrefix;

/** The input's tagPrefix when the setting is not the plan's own default. */
const prefixInput = (prefix: string): { tagPrefix?: string } => (prefix === 'v' ? {} : { tagPrefix: prefix });

const KIND_PICKS = [
  { label: 'As the commits recommend', description: 'breaking > feat > fix, from the conventional commits since the last release tag', value: {} },
  { label: 'A pre-release (rc)', description: 'continues an -rc.N series, or starts one', value: { preid: 'rc' } },
  { label: 'Patch', description: 'override the recommendation', value: { releaseAs: 'patch' } },
  { label: 'Minor', description: 'override the recommendation', value: { releaseAs: 'minor' } },
  { label: 'Major', description: 'override the recommendation', value: { releaseAs: 'major' } },
] as const;

/**
 * The release's choices: what kind of version, and a deployment to start after the push (empty
 * for none). The plan that follows is the preview: nothing is written, tagged or pushed until the
 * review is accepted, each remote step approved on its own.
 */
async function collectRelease(args: readonly unknown[]): Promise<unknown> {
  // Called with the input already made (a test, the chat, another command): the runtime validates it.
  if (args[0] && typeof args[0] === 'object') return args[0];
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showWarningMessage('Open a folder with a git repository first: the release is planned from its history.');
    return undefined;
  }
  const title = 'AI DevOps: Prepare Release';
  const kind = await vscode.window.showQuickPick(KIND_PICKS, { title: `${title} (1/2)`, placeHolder: 'Which version?' });
  if (!kind) return undefined;
  const deploy = await vscode.window.showInputBox({
    title: `${title} (2/2)`,
    prompt: 'Deploy after the push: a GitHub workflow file (deploy.yml) or an Azure Pipelines name or id. Leave empty to deploy nothing.',
    placeHolder: 'deploy.yml',
    validateInput: (v) => (v.trim() === '' || /^[\w .\\/@+-]{1,200}$/.test(v.trim()) ? undefined : 'A workflow file such as deploy.yml, or a pipeline name or id'),
  });
  if (deploy === undefined) return undefined;
  return { ...kind.value, ...prefixInput(tagPrefix(vscode.workspace.workspaceFolders[0]?.uri.fsPath)), ...(deploy.trim() ? { deploy: deploy.trim() } : {}) };
}

const PIPELINE = /^[\w .\\/@+-]{1,200}$/;
const ENVIRONMENT = /^[A-Za-z0-9 _.-]{1,100}$/;

/** One pending deployment as the agent's `approvals` result lists it. */
interface Listed {
  readonly id: string;
  readonly provider: string;
  readonly environment: string;
  readonly stage?: string;
  readonly pipeline: string;
  readonly run: string;
  readonly ref: string;
  readonly requestedBy?: string;
  readonly approvers: readonly string[];
  readonly canAnswer?: boolean;
  readonly instructions?: string;
  readonly waitingSince?: string;
  readonly url?: string;
}

const text = (v: OutboxJson | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

function listedOf(value: OutboxJson | undefined): Listed[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return [];
    const id = text(v['id']);
    const environment = text(v['environment']);
    if (!id || !environment) return [];
    const approvers = Array.isArray(v['approvers']) ? v['approvers'].filter((a): a is string => typeof a === 'string') : [];
    return [
      {
        id,
        environment,
        provider: text(v['provider']) ?? '',
        pipeline: text(v['pipeline']) ?? '',
        run: text(v['run']) ?? '',
        ref: text(v['ref']) ?? '',
        approvers,
        ...(text(v['stage']) ? { stage: text(v['stage'])! } : {}),
        ...(text(v['requestedBy']) ? { requestedBy: text(v['requestedBy'])! } : {}),
        ...(typeof v['canAnswer'] === 'boolean' ? { canAnswer: v['canAnswer'] } : {}),
        ...(text(v['instructions']) ? { instructions: text(v['instructions'])! } : {}),
        ...(text(v['waitingSince']) ? { waitingSince: text(v['waitingSince'])! } : {}),
        ...(text(v['url']) ? { url: text(v['url'])! } : {}),
      },
    ];
  });
}

const since = (iso: string | undefined): string | undefined => (iso ? `waiting since ${new Date(iso).toLocaleString()}` : undefined);

/**
 * Review Pending Deployment Approvals…: lists what waits for approval in the connected backends
 * (a planning run of `release approvals`, so it reads through the same providers and is audited),
 * then one pick, Approve or Reject, and the comment. The answer is a run of its own: the review
 * shows it, the approval policy asks, the executor answers that very approval and the audit trail
 * records who answered.
 */
export async function collectApprovals(args: readonly unknown[], runner: AgentRunner): Promise<unknown> {
  if (args[0] && typeof args[0] === 'object') return args[0];
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showWarningMessage('Open a folder first: the answer is recorded in its audit trail (.devops/audit).');
    return undefined;
  }
  const title = 'AI DevOps: Review Pending Deployment Approvals';
  const listing = await runner.run('release', 'approvals', {}, { mode: 'plan', notify: false });
  if (listing.outcome !== 'succeeded' || !listing.plan) {
    if (listing.outcome !== 'cancelled') void vscode.window.showErrorMessage(`AI DevOps: ${listing.error ?? 'the pending approvals could not be listed.'}`);
    return undefined;
  }
  const pending = listedOf(listing.plan.result?.['pending']);
  for (const note of listing.plan.notes) void vscode.window.showWarningMessage(`AI DevOps: ${note}`);
  if (!pending.length) {
    void vscode.window.showInformationMessage(`AI DevOps: ${listing.plan.summary || 'no deployment waits for approval.'}`);
    return undefined;
  }
  type Pick = vscode.QuickPickItem & { readonly item: Listed };
  const picks: Pick[] = pending.map((p) => ({
    label: `$(${p.canAnswer === false ? 'lock' : 'rocket'}) ${p.environment}`,
    description: `${p.pipeline} run ${p.run}${p.ref ? ` (${p.ref.replace(/^refs\/(heads|tags)\//, '')})` : ''} · ${p.provider === 'github' ? 'GitHub' : 'Azure Pipelines'}${p.stage && p.stage !== p.environment ? ` · stage ${p.stage}` : ''}`,
    detail: [p.requestedBy ? `requested by ${p.requestedBy}` : undefined, since(p.waitingSince), p.approvers.length ? `approvers: ${p.approvers.join(', ')}${p.canAnswer === false ? ' (not you)' : ''}` : undefined, p.instructions ? `instructions: ${p.instructions}` : undefined]
      .filter(Boolean)
      .join(' · '),
    item: p,
  }));
  const picked = await vscode.window.showQuickPick(picks, { title: `${title} (1/3)`, placeHolder: `${pending.length} deployment(s) wait for approval: pick one to answer`, matchOnDescription: true, matchOnDetail: true });
  if (!picked) return undefined;
  const p = picked.item;
  type Decision = vscode.QuickPickItem & { readonly value: 'approve' | 'reject' | 'open' };
  const decisions: Decision[] = [
    { label: '$(check) Approve', description: `let the deployment to ${p.environment} go ahead`, value: 'approve' },
    { label: '$(close) Reject', description: 'the run stops there; say why', value: 'reject' },
    ...(p.url ? [{ label: '$(link-external) Open the run', description: 'look at it first', value: 'open' as const }] : []),
  ];
  const decision = await vscode.window.showQuickPick(decisions, { title: `${title} (2/3)`, placeHolder: `${p.environment}: ${picked.description ?? ''}` });
  if (!decision) return undefined;
  if (decision.value === 'open') {
    void vscode.env.openExternal(vscode.Uri.parse(p.url!));
    return undefined;
  }
  const comment = await vscode.window.showInputBox({
    title: `${title} (3/3)`,
    prompt: decision.value === 'reject' ? 'Why is it rejected? (recorded with the answer and in the audit trail)' : 'A comment for the approval (optional; recorded with it)',
    placeHolder: decision.value === 'reject' ? 'Smoke tests failed on staging' : 'Smoke tests green',
    validateInput: (v) => (v.length > 1000 ? 'At most 1000 characters' : decision.value === 'reject' && !v.trim() ? 'A rejection says why' : undefined),
  });
  if (comment === undefined) return undefined;
  return { [decision.value]: p.id, ...(comment.trim() ? { comment: comment.trim() } : {}) };
}

/**
 * Roll Back Release…: which release (the tags with aiDevops.release.tagPrefix reachable from HEAD, newest first), how (deploy
 * the one before again, or revert its commits and push), the pipeline and environment, and why.
 * The plan that follows is the preview (the revert's commands, the deployment, the work items
 * going back); nothing runs until the review is accepted, each remote step approved on its own.
 */
export async function collectRollback(args: readonly unknown[], runner: AgentRunner): Promise<unknown> {
  if (args[0] && typeof args[0] === 'object') return args[0];
  const root = runner.workspaceRoot();
  if (!root) {
    void vscode.window.showWarningMessage('Open a folder with a git repository first: a rollback goes back through its release tags.');
    return undefined;
  }
  const title = 'AI DevOps: Roll Back Release';
  const prefix = tagPrefix(root);
  const tags = (await new WorkspaceGit(root, { trusted: () => vscode.workspace.isTrusted }).reachableTags().catch(() => [])).map((t) => t.name).filter((n, i, all) => isReleaseTag(n, prefix) && all.indexOf(n) === i);
  if (tags.length < 2) {
    void vscode.window.showWarningMessage(
      `AI DevOps: a rollback needs two release tags (${prefix}1.2.0 and one before it) reachable from HEAD; this repository has ${tags.length ? tags[0] : 'none'} with the prefix "${prefix}". Release tags with another prefix: set aiDevops.release.tagPrefix.`,
    );
    return undefined;
  }
  const from = await vscode.window.showQuickPick(
    tags.slice(0, -1).map((t, i) => ({ label: t, description: `back to ${tags[i + 1]}${i === 0 ? ' (the latest release)' : ''}`, from: t, to: tags[i + 1]! })),
    { title: `${title} (1/5)`, placeHolder: 'Which release goes back?' },
  );
  if (!from) return undefined;
  const method = await vscode.window.showQuickPick(
    [
      { label: `$(history) Deploy ${from.to} again`, description: 'runs the deployment pipeline for the earlier tag; git is not changed', value: 'redeploy' as const },
      { label: `$(discard) Revert ${from.from}'s commits`, description: 'one revert commit on the current branch, pushed (and deployed, with a pipeline)', value: 'revert' as const },
    ],
    { title: `${title} (2/5)`, placeHolder: 'How?' },
  );
  if (!method) return undefined;
  const deploy = await vscode.window.showInputBox({
    title: `${title} (3/5)`,
    prompt: method.value === 'redeploy' ? 'The deployment pipeline: a GitHub workflow file (deploy.yml) or an Azure Pipelines name or id.' : 'Deploy the reverted branch with: a workflow file or pipeline. Leave empty to only push the revert.',
    placeHolder: 'deploy.yml',
    validateInput: (v) => (v.trim() === '' ? (method.value === 'redeploy' ? 'A redeploy needs the pipeline' : undefined) : PIPELINE.test(v.trim()) ? undefined : 'A workflow file such as deploy.yml, or a pipeline name or id'),
  });
  if (deploy === undefined) return undefined;
  const environment = await vscode.window.showInputBox({
    title: `${title} (4/5)`,
    prompt: 'The environment to roll back (passed to the pipeline as "environment"). Leave empty for the pipeline\'s own.',
    placeHolder: 'production',
    validateInput: (v) => (v.trim() === '' || ENVIRONMENT.test(v.trim()) ? undefined : 'An environment name such as production'),
  });
  if (environment === undefined) return undefined;
  const reason = await vscode.window.showInputBox({
    title: `${title} (5/5)`,
    prompt: 'Why? Recorded in the audit trail, on each work item that goes back, and in a revert\'s commit message.',
    placeHolder: 'Checkout fails on Safari 16',
    validateInput: (v) => (v.trim() ? (v.length > 1000 ? 'At most 1000 characters' : undefined) : 'Say why it is rolled back'),
  });
  if (!reason?.trim()) return undefined;
  return { from: from.from, to: from.to, ...prefixInput(prefix), method: method.value, ...(deploy.trim() ? { deploy: deploy.trim() } : {}), ...(environment.trim() ? { environment: environment.trim() } : {}), reason: reason.trim() };
}

export const RELEASE_COMMANDS: readonly AgentCommand[] = [
  { command: 'aiDevops.agents.release', agent: 'release', action: 'apply', collect: collectRelease },
  { command: 'aiDevops.agents.releaseApprovals', agent: 'release', action: 'approvals', collect: collectApprovals },
  { command: 'aiDevops.agents.releaseRollback', agent: 'release', action: 'rollback', collect: collectRollback },
];
