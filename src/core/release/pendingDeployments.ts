/**
 * Deployments that wait for someone to approve them: Azure Pipelines approvals (a stage's Approval
 * check on an environment) and GitHub environments' pending deployments (required reviewers).
 * One shape for both, so the editor, the chat and the command line list and answer them alike.
 */

export type DeliveryProvider = 'azure' | 'github';

export interface PendingDeployment {
  /**
   * What the user names to answer it: the Azure approval's id, or `gh-<run id>-<environment id>`
   * for GitHub (one run may wait on several environments).
   */
  readonly id: string;
  readonly provider: DeliveryProvider;
  /** The environment it waits to deploy to (Azure: the stage's environment when known, else the stage). */
  readonly environment: string;
  /** The Azure stage that waits (GitHub: the environment's job is not named by the API). */
  readonly stage?: string;
  /** The pipeline (Azure: its id; GitHub: the workflow file). */
  readonly pipeline: string;
  readonly pipelineName: string;
  readonly runId: number;
  /** The run as its service shows it (Azure's build number, GitHub's `#12`). */
  readonly runName: string;
  /** The ref the run deploys (`refs/tags/v1.2.0`), empty when the service did not say. */
  readonly ref: string;
  /** Who started the run. */
  readonly requestedBy?: string;
  /** Who may answer it (display names or logins). */
  readonly approvers: readonly string[];
  /** False when the service says the signed-in user may not answer it (GitHub says so; Azure only when answering). */
  readonly canAnswer?: boolean;
  readonly instructions?: string;
  /** ISO time the wait began, when the service says. */
  readonly waitingSince?: string;
  readonly url?: string;
}

export interface PendingDeploymentList {
  readonly items: readonly PendingDeployment[];
  /** A backend whose list could not be read, with why (the others are still listed). */
  readonly problems: readonly string[];
}

/** Lists what waits for approval in the connected backends. */
export interface PendingDeploymentsReader {
  /** The backends it asks (for "nothing is connected" and for the summary). */
  readonly providers: readonly DeliveryProvider[];
  list(signal: AbortSignal): Promise<PendingDeploymentList>;
}

/** The id of a GitHub pending deployment (a run and one of the environments it waits on). */
export const githubPendingId = (runId: number, environmentId: number): string => `gh-${runId}-${environmentId}`;

/**
 * The deployment a user named: its whole id, or (ids are long GUIDs) a prefix of at least six
 * characters that names one and only one.
 */
export function findPending(items: readonly PendingDeployment[], id: string): { found?: PendingDeployment; ambiguous?: readonly PendingDeployment[] } {
  const wanted = id.trim().toLowerCase();
  const exact = items.find((i) => i.id.toLowerCase() === wanted);
  if (exact) return { found: exact };
  if (wanted.length < 6) return {};
  const prefixed = items.filter((i) => i.id.toLowerCase().startsWith(wanted));
  if (prefixed.length === 1) return { found: prefixed[0]! };
  return prefixed.length ? { ambiguous: prefixed } : {};
}

/** One line for a list: `staging · contoso-web-deploy run 20261207.1 (v1.2.0) · requested by Avery Chen`. */
export function pendingLine(p: PendingDeployment): string {
  const ref = p.ref.replace(/^refs\/(heads|tags)\//, '');
  return [
    p.stage && p.stage !== p.environment ? `${p.environment} (stage ${p.stage})` : p.environment,
    `${p.pipelineName} run ${p.runName}${ref ? ` (${ref})` : ''}`,
    p.requestedBy ? `requested by ${p.requestedBy}` : undefined,
    p.waitingSince ? `waiting since ${p.waitingSince.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}
