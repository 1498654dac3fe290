import { z } from 'zod';

/**
 * The GitHub stand-in's persisted state (written under the workspace's `.devops/sandbox/`), one
 * zod schema per record so a hand-edited or truncated file is refused with where it is wrong.
 * Ids are GitHub's database ids; node ids (GraphQL `id`) are derived from them (see nodeIds.ts).
 */

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date');

/** An organization's issue type (GitHub's `issue-type`). */
export const IssueTypeSchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  description: z.string().nullable(),
  color: z.enum(['gray', 'blue', 'green', 'yellow', 'orange', 'red', 'pink', 'purple']).nullable(),
  isEnabled: z.boolean(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type IssueTypeRecord = z.infer<typeof IssueTypeSchema>;

export const UserSchema = z.object({
  id: z.number().int(),
  login: z.string().min(1),
  name: z.string().nullable(),
  email: z.string().nullable(),
  type: z.enum(['User', 'Organization']),
  createdAt: isoDate,
  /** Organizations: the issue types their repositories' issues may have. */
  issueTypes: z.array(IssueTypeSchema).optional(),
});
export type UserRecord = z.infer<typeof UserSchema>;

export const LabelSchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  color: z.string(),
  description: z.string().nullable(),
  default: z.boolean(),
});
export type LabelRecord = z.infer<typeof LabelSchema>;

export const CommentSchema = z.object({
  id: z.number().int(),
  body: z.string(),
  user: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type CommentRecord = z.infer<typeof CommentSchema>;

export const PullSchema = z.object({
  headRef: z.string(),
  headSha: z.string(),
  baseRef: z.string(),
  baseSha: z.string(),
  draft: z.boolean(),
  merged: z.boolean(),
  mergedAt: isoDate.nullable(),
  mergedBy: z.string().nullable(),
});
export type PullRecord = z.infer<typeof PullSchema>;

/** A label added to or removed from an issue (GitHub's `labeled-issue-event` / `unlabeled-issue-event`). */
export const IssueEventSchema = z.object({
  id: z.number().int(),
  event: z.enum(['labeled', 'unlabeled']),
  label: z.string(),
  color: z.string(),
  actor: z.string(),
  createdAt: isoDate,
});
export type IssueEventRecord = z.infer<typeof IssueEventSchema>;

/** An issue, or a pull request (which GitHub also serves as an issue: same number sequence). */
export const IssueSchema = z.object({
  id: z.number().int(),
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullable(),
  state: z.enum(['open', 'closed']),
  stateReason: z.enum(['completed', 'reopened', 'not_planned', 'duplicate']).nullable(),
  labels: z.array(z.string()),
  assignees: z.array(z.string()),
  user: z.string(),
  locked: z.boolean(),
  createdAt: isoDate,
  updatedAt: isoDate,
  closedAt: isoDate.nullable(),
  closedBy: z.string().nullable(),
  comments: z.array(CommentSchema),
  /** Number of the parent issue when this is a sub-issue. */
  parent: z.number().int().nullable(),
  /** Sub-issue numbers in their order. */
  subIssues: z.array(z.number().int()),
  pull: PullSchema.nullable(),
  /** The issue type's id (an organization's repositories only). */
  type: z.number().int().nullable().optional(),
  /** Its label history, oldest first (absent in states saved before events were kept). */
  events: z.array(IssueEventSchema).optional(),
});
export type IssueRecord = z.infer<typeof IssueSchema>;

export const CommitSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{40}$/),
  message: z.string(),
  parents: z.array(z.string()),
  tree: z.string(),
  author: z.string(),
  date: isoDate,
});
export type CommitRecord = z.infer<typeof CommitSchema>;

export const RefSchema = z.object({ ref: z.string().startsWith('refs/'), sha: z.string() });
export type RefRecord = z.infer<typeof RefSchema>;

export const ReleaseSchema = z.object({
  id: z.number().int(),
  tagName: z.string(),
  targetCommitish: z.string(),
  name: z.string().nullable(),
  body: z.string().nullable(),
  draft: z.boolean(),
  prerelease: z.boolean(),
  author: z.string(),
  createdAt: isoDate,
  publishedAt: isoDate.nullable(),
});
export type ReleaseRecord = z.infer<typeof ReleaseSchema>;

/** One job of a workflow, run in order; a job with an environment waits for its required reviewers. */
export const WorkflowJobSchema = z.object({
  name: z.string().min(1),
  environment: z.string().min(1).optional(),
  steps: z.array(z.string().min(1)).min(1),
  /** How long it runs on the state's clock. */
  seconds: z.number().int().positive(),
});
export type WorkflowJobRecord = z.infer<typeof WorkflowJobSchema>;

export const WorkflowSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  path: z.string(),
  state: z.enum(['active', 'disabled_manually']),
  createdAt: isoDate,
  /** Inputs `workflow_dispatch` accepts (names); others are refused with 422 as GitHub does. */
  inputs: z.array(z.string()),
  /** Its jobs; without them a run is one job `build` that takes the whole run time. */
  jobs: z.array(WorkflowJobSchema).optional(),
});
export type WorkflowRecord = z.infer<typeof WorkflowSchema>;

/** A reviewer's answer to a deployment waiting for an environment. */
export const ReviewSchema = z.object({
  environment: z.string(),
  state: z.enum(['approved', 'rejected']),
  user: z.string(),
  comment: z.string(),
  at: isoDate,
});
export type ReviewRecord = z.infer<typeof ReviewSchema>;

export const RunSchema = z.object({
  id: z.number().int(),
  workflowId: z.number().int(),
  runNumber: z.number().int(),
  event: z.string(),
  headBranch: z.string(),
  headSha: z.string(),
  actor: z.string(),
  createdAt: isoDate,
  /** What the run ends with once completed (from the `sandbox_result` input, else success). */
  outcome: z.enum(['success', 'failure', 'cancelled']),
  inputs: z.record(z.string(), z.string()),
  /** Set by POST …/cancel while the run had not completed. */
  cancelledAt: isoDate.nullable().optional(),
  /** Answers to its deployments' reviews, in order (the current attempt's). */
  reviews: z.array(ReviewSchema).optional(),
  /** Attempts after a re-run (POST …/rerun): the run starts again at `restartedAt`. */
  attempt: z.number().int().positive().optional(),
  restartedAt: isoDate.optional(),
});
export type RunRecord = z.infer<typeof RunSchema>;

/** A deployment environment and its protection rules (required reviewers, a wait timer). */
export const EnvironmentSchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  createdAt: isoDate,
  /** Logins of the required reviewers; none means a deployment goes ahead without review. */
  reviewers: z.array(z.string()),
  waitTimer: z.number().int().nonnegative(),
  preventSelfReview: z.boolean(),
});
export type EnvironmentRecord = z.infer<typeof EnvironmentSchema>;

/** Classic branch protection of one branch (what GET …/branches/{branch}/protection reports). */
export const BranchProtectionSchema = z.object({
  /** Approving reviews a pull request needs; absent: reviews are not required. */
  requiredReviewers: z.number().int().min(0).max(6).optional(),
  statusChecks: z.array(z.string()).optional(),
  enforceAdmins: z.boolean(),
  linearHistory: z.boolean(),
  allowForcePushes: z.boolean(),
  allowDeletions: z.boolean(),
});
export type BranchProtectionRecord = z.infer<typeof BranchProtectionSchema>;

/** A repository ruleset: its rules apply to the branches its `include` names (`~DEFAULT_BRANCH`, `refs/heads/<name>`, `~ALL`). */
export const RulesetSchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  enforcement: z.enum(['active', 'evaluate', 'disabled']),
  include: z.array(z.string()),
  rules: z.array(z.object({ type: z.string(), parameters: z.record(z.string(), z.json()).optional() })),
});
export type RulesetRecord = z.infer<typeof RulesetSchema>;

export const RepoSchema = z.object({
  id: z.number().int(),
  owner: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  private: z.boolean(),
  defaultBranch: z.string(),
  createdAt: isoDate,
  pushedAt: isoDate,
  labels: z.array(LabelSchema),
  /** Logins that can be assigned (collaborators). */
  assignable: z.array(z.string()),
  issues: z.array(IssueSchema),
  commits: z.array(CommitSchema),
  refs: z.array(RefSchema),
  releases: z.array(ReleaseSchema),
  workflows: z.array(WorkflowSchema),
  runs: z.array(RunSchema),
  environments: z.array(EnvironmentSchema).optional(),
  /** Classic branch protection by branch name. */
  branchProtection: z.record(z.string(), BranchProtectionSchema).optional(),
  rulesets: z.array(RulesetSchema).optional(),
});
export type RepoRecord = z.infer<typeof RepoSchema>;

export const OptionSchema = z.object({
  id: z.string(),
  name: z.string(),
  color: z.enum(['BLUE', 'GRAY', 'GREEN', 'ORANGE', 'PINK', 'PURPLE', 'RED', 'YELLOW']),
  description: z.string(),
});
export type OptionRecord = z.infer<typeof OptionSchema>;

/** The data types GitHub gives a project's fields (ProjectV2FieldType) that the stand-in serves. */
export const FieldTypeSchema = z.enum(['TITLE', 'ASSIGNEES', 'LABELS', 'REPOSITORY', 'SINGLE_SELECT', 'TEXT', 'NUMBER', 'DATE', 'ITERATION']);
export type FieldType = z.infer<typeof FieldTypeSchema>;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** One iteration of an iteration field (ProjectV2IterationFieldIteration). */
export const IterationSchema = z.object({ id: z.string(), title: z.string(), startDate: day, duration: z.number().int().positive() });
export type IterationRecord = z.infer<typeof IterationSchema>;

export const FieldSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  dataType: FieldTypeSchema,
  options: z.array(OptionSchema),
  /**
   * An ITERATION field's configuration: every iteration, in date order. Which are completed is
   * not stored: GitHub lists an iteration under completedIterations once its last day is past.
   */
  iteration: z.object({ startDay: z.number().int().min(0).max(6), duration: z.number().int().positive(), iterations: z.array(IterationSchema) }).optional(),
  createdAt: isoDate,
});
export type FieldRecord = z.infer<typeof FieldSchema>;

export const FieldValueSchema = z.union([
  z.object({ optionId: z.string() }),
  z.object({ text: z.string() }),
  z.object({ number: z.number() }),
  z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  z.object({ iterationId: z.string() }),
]);
export type FieldValueRecord = z.infer<typeof FieldValueSchema>;

export const DraftSchema = z.object({
  id: z.number().int(),
  title: z.string(),
  body: z.string(),
  assignees: z.array(z.string()),
  creator: z.string(),
});

export const ItemSchema = z.object({
  id: z.number().int(),
  /** For Issue and PullRequest items: the repository (by id) and number of the content. */
  contentType: z.enum(['ISSUE', 'PULL_REQUEST', 'DRAFT_ISSUE']),
  repoId: z.number().int().nullable(),
  number: z.number().int().nullable(),
  draft: DraftSchema.nullable(),
  /** Values of the project's own fields by field id (Title, Assignees... come from the content). */
  values: z.record(z.string(), FieldValueSchema),
  archived: z.boolean(),
  creator: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
});
export type ItemRecord = z.infer<typeof ItemSchema>;

export const ProjectSchema = z.object({
  id: z.number().int(),
  number: z.number().int().positive(),
  owner: z.string(),
  title: z.string(),
  shortDescription: z.string().nullable(),
  public: z.boolean(),
  closed: z.boolean(),
  creator: z.string(),
  createdAt: isoDate,
  updatedAt: isoDate,
  fields: z.array(FieldSchema),
  items: z.array(ItemSchema),
  /** Repositories linked to the project (linkProjectV2ToRepository, or createProjectV2 with repositoryId), by id. */
  repositories: z.array(z.number().int()).optional(),
});
export type ProjectRecord = z.infer<typeof ProjectSchema>;

export const StateDocumentSchema = z.object({
  format: z.literal('ai-devops.sandbox.github/1'),
  users: z.array(UserSchema),
  repos: z.array(RepoSchema),
  projects: z.array(ProjectSchema),
  /** The last database id handed out (one sequence for every kind of record). */
  lastId: z.number().int(),
});
export type StateDocument = z.infer<typeof StateDocumentSchema>;
