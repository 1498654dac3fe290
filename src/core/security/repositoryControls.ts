/**
 * The repository settings a compliance report needs as evidence: whether the default branch is
 * protected and how many reviewers a change needs, read from Azure Repos branch policies or
 * GitHub branch protection.
 */
export interface BranchControls {
  /** `Azure Repos contoso/web` or `GitHub contoso/web`. */
  readonly source: string;
  readonly branch: string;
  readonly protected: boolean;
  /** Reviewers a pull request needs before it can complete; 0 when none is required. */
  readonly requiredReviewers: number;
  /** Other policies in force, named as the service names them (build validation, linked work items). */
  readonly policies: readonly string[];
  /** Where a person checks it. */
  readonly url?: string;
}

export interface RepositoryControls {
  readonly name: string;
  /** Throws a DevOpsError saying why it could not be read (not signed in, forbidden, offline). */
  branchControls(signal?: AbortSignal): Promise<BranchControls>;
}
