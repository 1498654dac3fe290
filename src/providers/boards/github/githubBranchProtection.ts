import { z } from 'zod';
import { isDevOpsError } from '../../../core/errors';
import { type BranchControls, type RepositoryControls } from '../../../core/security/repositoryControls';
import { type GitHubClient } from './githubClient';

const RepoSchema = z.object({ default_branch: z.string(), html_url: z.string() }).loose();
const ProtectionSchema = z
  .object({
    required_pull_request_reviews: z.object({ required_approving_review_count: z.number().int().optional() }).loose().optional(),
    required_status_checks: z.object({ contexts: z.array(z.string()).optional() }).loose().nullish(),
    enforce_admins: z.object({ enabled: z.boolean() }).loose().optional(),
    required_linear_history: z.object({ enabled: z.boolean() }).loose().optional(),
    allow_force_pushes: z.object({ enabled: z.boolean() }).loose().optional(),
    allow_deletions: z.object({ enabled: z.boolean() }).loose().optional(),
    required_signatures: z.object({ enabled: z.boolean() }).loose().optional(),
  })
  .loose();
const RuleSchema = z
  .object({
    type: z.string(),
    parameters: z.object({ required_approving_review_count: z.number().int().optional() }).loose().optional(),
    ruleset_source: z.string().optional(),
  })
  .loose();

/** Rules that guard a branch (as opposed to metadata patterns): their presence makes it protected. */
const GUARDING = new Set(['pull_request', 'required_status_checks', 'non_fast_forward', 'deletion', 'update', 'required_signatures', 'required_linear_history', 'required_deployments', 'code_scanning', 'merge_queue']);

/** GitHub's answer for a branch without classic protection: a 404 with this message (any other 404 is not a "no"). */
function isUnprotected(error: unknown): boolean {
  if (!isDevOpsError(error) || error.code !== 'notFound') return false;
  const data = (error.cause as { response?: { data?: unknown } } | undefined)?.response?.data;
  return typeof data === 'object' && data !== null && (data as { message?: unknown }).message === 'Branch not protected';
}

/**
 * The default branch's protection on the connected GitHub repository: classic branch protection
 * (which needs a token with admin rights to read) and the rulesets that apply to it (readable by
 * anyone who can read the repository). "Branch not protected" is an answer; any other refusal
 * (401, 403, 404) is an error saying why, never read as unprotected or as protected.
 */
export class GitHubBranchProtection implements RepositoryControls {
  constructor(private readonly client: GitHubClient) {}

  get name(): string {
    return `GitHub ${this.client.endpoint.owner}/${this.client.endpoint.repo}`;
  }

  async branchControls(signal?: AbortSignal): Promise<BranchControls> {
    const { owner, repo } = this.client.endpoint;
    const options = signal ? { signal } : {};
    const repository = (await this.client.restParsed(`reading ${owner}/${repo}`, RepoSchema, (kit, r) => kit.rest.repos.get({ owner, repo, request: r }), options)).data;
    const branch = repository.default_branch;
    const classic = await this.client
      .restParsed(`reading the branch protection of ${branch}`, ProtectionSchema, (kit, r) => kit.rest.repos.getBranchProtection({ owner, repo, branch, request: r }), options)
      .then((r) => r.data)
      .catch((error: unknown) => (isUnprotected(error) ? undefined : Promise.reject(error)));
    const rules = (await this.client.restParsed(`reading the rules for ${branch}`, z.array(RuleSchema), (kit, r) => kit.rest.repos.getBranchRules({ owner, repo, branch, per_page: 100, request: r }), options)).data;

    const policies: string[] = [];
    const reviewers: number[] = [];
    if (classic) {
      const reviews = classic.required_pull_request_reviews;
      if (reviews) {
        reviewers.push(reviews.required_approving_review_count ?? 0);
        policies.push(`Branch protection: pull request reviews (${reviews.required_approving_review_count ?? 0} approving)`);
      }
      if (classic.required_status_checks) policies.push(`Branch protection: status checks${classic.required_status_checks.contexts?.length ? ` (${classic.required_status_checks.contexts.join(', ')})` : ''}`);
      if (classic.enforce_admins?.enabled) policies.push('Branch protection: enforced for administrators');
      if (classic.required_linear_history?.enabled) policies.push('Branch protection: linear history');
      if (classic.required_signatures?.enabled) policies.push('Branch protection: signed commits');
      if (classic.allow_force_pushes?.enabled) policies.push('Branch protection: force pushes ALLOWED');
      if (classic.allow_deletions?.enabled) policies.push('Branch protection: deletion ALLOWED');
      if (!policies.length) policies.push('Branch protection (no rules enabled)');
    }
    for (const rule of rules) {
      if (rule.type === 'pull_request') reviewers.push(rule.parameters?.required_approving_review_count ?? 0);
      policies.push(`Ruleset${rule.ruleset_source ? ` ${rule.ruleset_source}` : ''}: ${rule.type}${rule.type === 'pull_request' ? ` (${rule.parameters?.required_approving_review_count ?? 0} approving)` : ''}`);
    }
    return {
      source: `GitHub ${owner}/${repo}`,
      branch,
      protected: classic !== undefined || rules.some((r) => GUARDING.has(r.type)),
      requiredReviewers: reviewers.length ? Math.max(...reviewers) : 0,
      policies,
      url: `${repository.html_url}/settings/branches`,
    };
  }
}
