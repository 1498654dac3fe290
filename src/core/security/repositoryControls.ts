/**
 * The repository settings a compliance report needs as evidence: whether the default branch is
 * protected and how many reviewers a change needs, read from Azure Repos branch policies or
 * GitHub branch protection and rulesets.
 */
export interface BranchControls {
  /** `Azure Repos contoso/web` or `GitHub contoso/web`. */
  readonly source: string;
  readonly branch: string;
  readonly protected: boolean;
  /** Reviewers a pull request needs before it can complete; 0 when none is required. */
  readonly requiredReviewers: number;
  /** Policies and rules in force, named as the service names them (build validation, linked work items). */
  readonly policies: readonly string[];
  /** Where a person checks it. */
  readonly url?: string;
}

export interface RepositoryControls {
  /** `Azure Repos contoso/web` or `GitHub contoso/web`, known without a request. */
  readonly name: string;
  /** Throws a DevOpsError saying why it could not be read (not signed in, forbidden, not found, offline). */
  branchControls(signal?: AbortSignal): Promise<BranchControls>;
}

/** The audit trail as agents read it: verified with the core chain verifier, events of a period. */
export interface AuditTrailReader {
  /** The whole chain checked: ok with the count, or the first damaged line and what happened to it. */
  verify(signal?: AbortSignal): Promise<TrailCheck>;
  /** Events whose timestamp is in [from, to), oldest first, at most `limit` (lines that are not events are left to verify). */
  events(range: { readonly from: Date; readonly to: Date; readonly limit: number }, signal?: AbortSignal): Promise<{ readonly events: readonly TrailEvent[]; readonly truncated: boolean }>;
}

export type TrailCheck =
  | { readonly ok: true; readonly count: number; readonly files: number; readonly head: string }
  | { readonly ok: false; readonly file: string; readonly line: number; readonly kind: string; readonly detail: string; readonly count: number };

/** One audit event as a report shows it (already redacted when it was written). */
export interface TrailEvent {
  readonly seq: number;
  readonly timestamp: string;
  readonly eventType: string;
  readonly service: string;
  readonly user: string | null;
  readonly correlationId: string;
  readonly workItemId: number | null;
  readonly repository: string | null;
  readonly oldState: string | null;
  readonly newState: string | null;
  readonly summary: string;
  readonly hash: string;
}
