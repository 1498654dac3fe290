import { z } from 'zod';

/**
 * The stand-in's persisted state. It is written under the workspace's `.devops/sandbox/` and read
 * back on the next start, so every record is a zod schema: a hand-edited or truncated file is
 * refused with a clear message instead of half-loading.
 */

// zod's recursive JSON value, for work item fields and policy settings.
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 date');

export const IdentitySchema = z.object({ id: z.string(), displayName: z.string(), uniqueName: z.string() });
export type Identity = z.infer<typeof IdentitySchema>;

export interface ClassificationNode {
  id: number;
  identifier: string;
  name: string;
  startDate?: string | undefined;
  finishDate?: string | undefined;
  children: ClassificationNode[];
}
export const ClassificationNodeSchema: z.ZodType<ClassificationNode> = z.lazy(() =>
  z.object({
    id: z.number().int(),
    identifier: z.string(),
    name: z.string(),
    startDate: isoDate.optional(),
    finishDate: isoDate.optional(),
    children: z.array(ClassificationNodeSchema),
  }),
);

export const ProjectSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  processId: z.string(),
  visibility: z.enum(['private', 'public']),
  state: z.enum(['createPending', 'wellFormed']),
  revision: z.number().int(),
  lastUpdateTime: isoDate,
  defaultTeamId: z.string(),
  areas: ClassificationNodeSchema,
  iterations: ClassificationNodeSchema,
});
export type Project = z.infer<typeof ProjectSchema>;

export const CapacitySchema = z.object({
  iterationId: z.string(),
  memberId: z.string(),
  activities: z.array(z.object({ name: z.string(), capacityPerDay: z.number() })),
  daysOff: z.array(z.object({ start: isoDate, end: isoDate })),
});

export const TeamSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  description: z.string(),
  memberIds: z.array(z.string()),
  /** Iteration node identifiers (GUIDs) the team has selected. */
  iterationIds: z.array(z.string()),
  bugsBehavior: z.enum(['off', 'asRequirements', 'asTasks']),
  workingDays: z.array(z.enum(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'])),
  capacities: z.array(CapacitySchema),
  /** Days the whole team is off, per iteration (Team settings > Capacity > Team days off). */
  daysOff: z.array(z.object({ iterationId: z.string(), start: isoDate, end: isoDate })).default([]),
});
export type Team = z.infer<typeof TeamSchema>;

export const RelationSchema = z.object({
  rel: z.string(),
  url: z.string(),
  attributes: z.record(z.string(), JsonValueSchema),
});
export type Relation = z.infer<typeof RelationSchema>;

export const FieldChangeSchema = z.object({ oldValue: JsonValueSchema.optional(), newValue: JsonValueSchema.optional() });

export const WorkItemUpdateSchema = z.object({
  id: z.number().int(),
  rev: z.number().int(),
  revisedById: z.string(),
  revisedDate: isoDate,
  fields: z.record(z.string(), FieldChangeSchema),
  relations: z
    .object({ added: z.array(RelationSchema).optional(), removed: z.array(RelationSchema).optional(), updated: z.array(RelationSchema).optional() })
    .optional(),
});
export type WorkItemUpdate = z.infer<typeof WorkItemUpdateSchema>;

export const CommentSchema = z.object({
  id: z.number().int(),
  version: z.number().int(),
  text: z.string(),
  createdById: z.string(),
  createdDate: isoDate,
  modifiedById: z.string(),
  modifiedDate: isoDate,
  isDeleted: z.boolean(),
});
export type Comment = z.infer<typeof CommentSchema>;

export const WorkItemRecordSchema = z.object({
  id: z.number().int().positive(),
  projectId: z.string(),
  rev: z.number().int().positive(),
  fields: z.record(z.string(), JsonValueSchema),
  relations: z.array(RelationSchema),
  updates: z.array(WorkItemUpdateSchema),
  comments: z.array(CommentSchema),
});
export type WorkItemRecord = z.infer<typeof WorkItemRecordSchema>;

export const GitUserSchema = z.object({ name: z.string(), email: z.string(), date: isoDate });
export type GitUser = z.infer<typeof GitUserSchema>;

export const GitChangeSchema = z.object({
  changeType: z.enum(['add', 'edit', 'delete']),
  path: z.string(),
  /** File text after the change (none for a delete). */
  content: z.string().optional(),
});
export type GitChange = z.infer<typeof GitChangeSchema>;

export const CommitSchema = z.object({
  commitId: z.string(),
  parents: z.array(z.string()),
  author: GitUserSchema,
  committer: GitUserSchema,
  comment: z.string(),
  changes: z.array(GitChangeSchema),
});
export type Commit = z.infer<typeof CommitSchema>;

export const RefSchema = z.object({ name: z.string(), objectId: z.string(), creatorId: z.string() });
export type GitRefRecord = z.infer<typeof RefSchema>;

export const PushSchema = z.object({
  pushId: z.number().int(),
  date: isoDate,
  pushedById: z.string(),
  commitIds: z.array(z.string()),
  refUpdates: z.array(z.object({ name: z.string(), oldObjectId: z.string(), newObjectId: z.string() })),
});
export type Push = z.infer<typeof PushSchema>;

export const PullRequestSchema = z.object({
  pullRequestId: z.number().int(),
  title: z.string(),
  description: z.string(),
  sourceRefName: z.string(),
  targetRefName: z.string(),
  status: z.enum(['active', 'abandoned', 'completed']),
  createdById: z.string(),
  creationDate: isoDate,
  closedDate: isoDate.optional(),
  isDraft: z.boolean(),
  workItemIds: z.array(z.number().int()),
  reviewers: z.array(z.object({ id: z.string(), vote: z.number().int(), isRequired: z.boolean() })),
  sourceCommitId: z.string(),
  targetCommitId: z.string(),
  mergeCommitId: z.string().optional(),
});
export type PullRequest = z.infer<typeof PullRequestSchema>;

export const AnnotatedTagSchema = z.object({
  objectId: z.string(),
  name: z.string(),
  taggedObjectId: z.string(),
  message: z.string(),
  tagger: GitUserSchema,
});
export type AnnotatedTag = z.infer<typeof AnnotatedTagSchema>;

export const RepositorySchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  defaultBranch: z.string(),
  refs: z.array(RefSchema),
  commits: z.array(CommitSchema),
  pushes: z.array(PushSchema),
  pullRequests: z.array(PullRequestSchema),
  annotatedTags: z.array(AnnotatedTagSchema),
});
export type Repository = z.infer<typeof RepositorySchema>;

export const PolicySchema = z.object({
  id: z.number().int(),
  projectId: z.string(),
  typeId: z.string(),
  revision: z.number().int(),
  isEnabled: z.boolean(),
  isBlocking: z.boolean(),
  isDeleted: z.boolean(),
  settings: z.record(z.string(), JsonValueSchema),
  createdById: z.string(),
  createdDate: isoDate,
});
export type Policy = z.infer<typeof PolicySchema>;

export const WikiPageSchema = z.object({ id: z.number().int(), path: z.string(), content: z.string(), version: z.number().int(), order: z.number().int() });
export type WikiPage = z.infer<typeof WikiPageSchema>;

export const WikiSchema = z.object({
  id: z.string(),
  projectId: z.string(),
  name: z.string(),
  type: z.enum(['projectWiki', 'codeWiki']),
  repositoryId: z.string(),
  mappedPath: z.string(),
  pages: z.array(WikiPageSchema),
});
export type Wiki = z.infer<typeof WikiSchema>;

export const PipelineRunSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  createdDate: isoDate,
  /** Seconds spent queued, then running; the state at any moment follows from the clock. */
  queuedSeconds: z.number().nonnegative(),
  runSeconds: z.number().nonnegative(),
  result: z.enum(['succeeded', 'failed', 'canceled']),
  refName: z.string(),
  /** The commit the run built, fixed when it was queued. */
  sourceVersion: z.string().optional(),
  requestedById: z.string(),
  templateParameters: z.record(z.string(), JsonValueSchema),
  variables: z.record(z.string(), z.object({ value: z.string(), isSecret: z.boolean().optional() })),
  /**
   * The answers given to the approvals its stages waited on (Approvals and checks), by stage name,
   * in the order given; whether an approval is pending, approved, rejected or timed out follows
   * from these, the environment's Approval check and the clock (see runSchedule.ts).
   */
  approvals: z
    .array(z.object({ stage: z.string(), byId: z.string(), status: z.enum(['approved', 'rejected']), comment: z.string(), on: isoDate }))
    .optional(),
});
export type PipelineRun = z.infer<typeof PipelineRunSchema>;

export const PipelineSchema = z.object({
  id: z.number().int(),
  projectId: z.string(),
  name: z.string(),
  folder: z.string(),
  revision: z.number().int(),
  repositoryId: z.string(),
  yamlPath: z.string(),
  /** The template parameters its YAML declares; when known, a run given another is refused as the service does. */
  parameters: z.array(z.string()).optional(),
  /**
   * The stages its YAML declares, each with one job and its steps, for the run's timeline (Build
   * Timeline API) and logs; a pipeline without them has one stage, Build.
   */
  stages: z
    .array(
      z.object({
        name: z.string().min(1),
        job: z.string().min(1),
        steps: z.array(z.string().min(1)).min(1),
        /** The environment a deployment job of this stage targets: its checks (an Approval) gate the stage. */
        environment: z.string().optional(),
      }),
    )
    .optional(),
  runs: z.array(PipelineRunSchema),
});
export type Pipeline = z.infer<typeof PipelineSchema>;

/**
 * A Pipelines environment (distributedtask/environments) with the Approval check configured on it
 * (pipelines/checks/configurations of type Approval): who may approve, how many must, how long a
 * run waits before the approval times out, and whether the one who queued the run may approve it.
 */
export const EnvironmentSchema = z.object({
  id: z.number().int(),
  projectId: z.string(),
  name: z.string().min(1),
  description: z.string(),
  createdById: z.string(),
  createdOn: isoDate,
  approval: z
    .object({
      approverIds: z.array(z.string()).min(1),
      minRequiredApprovers: z.number().int().min(1),
      timeoutMinutes: z.number().int().positive(),
      instructions: z.string(),
      requesterCannotBeApprover: z.boolean(),
    })
    .optional(),
});
export type Environment = z.infer<typeof EnvironmentSchema>;

export const TestResultSchema = z.object({
  id: z.number().int(),
  testCaseTitle: z.string(),
  automatedTestName: z.string(),
  automatedTestStorage: z.string(),
  outcome: z.string(),
  state: z.string(),
  durationInMs: z.number(),
  errorMessage: z.string().optional(),
  stackTrace: z.string().optional(),
  priority: z.number().int(),
  startedDate: isoDate,
  completedDate: isoDate,
  workItemIds: z.array(z.number().int()),
});
export type TestResult = z.infer<typeof TestResultSchema>;

export const TestRunSchema = z.object({
  id: z.number().int(),
  projectId: z.string(),
  name: z.string(),
  state: z.enum(['Unspecified', 'NotStarted', 'InProgress', 'Completed', 'Aborted', 'Waiting', 'NeedsInvestigation']),
  isAutomated: z.boolean(),
  ownerId: z.string(),
  comment: z.string(),
  createdDate: isoDate,
  startedDate: isoDate.optional(),
  completedDate: isoDate.optional(),
  pipelineRunId: z.number().int().optional(),
  results: z.array(TestResultSchema),
});
export type TestRun = z.infer<typeof TestRunSchema>;

export const OperationSchema = z.object({
  id: z.string(),
  kind: z.literal('createProject'),
  projectId: z.string(),
  createdDate: isoDate,
  /** When the operation reports success; before that it is queued, then in progress. */
  completesAt: isoDate,
});
export type Operation = z.infer<typeof OperationSchema>;

export const CountersSchema = z.object({
  workItem: z.number().int(),
  node: z.number().int(),
  pullRequest: z.number().int(),
  push: z.number().int(),
  policy: z.number().int(),
  pipeline: z.number().int(),
  pipelineRun: z.number().int(),
  testRun: z.number().int(),
  testResult: z.number().int(),
  wikiPage: z.number().int(),
  environment: z.number().int().default(0),
});
export type Counters = z.infer<typeof CountersSchema>;

export const StateDocumentSchema = z.object({
  format: z.literal('ai-devops.sandbox.azure-devops/1'),
  identities: z.array(IdentitySchema),
  projects: z.array(ProjectSchema),
  teams: z.array(TeamSchema),
  workItems: z.array(WorkItemRecordSchema),
  repositories: z.array(RepositorySchema),
  policies: z.array(PolicySchema),
  wikis: z.array(WikiSchema),
  pipelines: z.array(PipelineSchema),
  environments: z.array(EnvironmentSchema).default([]),
  testRuns: z.array(TestRunSchema),
  operations: z.array(OperationSchema),
  counters: CountersSchema,
});
export type StateDocument = z.infer<typeof StateDocumentSchema>;
