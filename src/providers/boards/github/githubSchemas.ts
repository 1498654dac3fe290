import { z } from 'zod';

/**
 * The parts of GitHub's REST and GraphQL answers the provider reads, validated before use. Unknown
 * fields are dropped; a missing or mistyped field we rely on is a `badResponse`, not a crash later.
 */

const isoTime = z.iso.datetime({ offset: true });

export const GitHubUserSchema = z.object({ login: z.string().min(1), id: z.number().int().optional() });

const LabelSchema = z.union([z.string(), z.object({ name: z.string().nullish() })]);

export const MilestoneSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  due_on: isoTime.nullish(),
});
export type Milestone = z.infer<typeof MilestoneSchema>;

export const IssueSchema = z.object({
  id: z.number().int().positive(),
  node_id: z.string().optional(),
  number: z.number().int().positive(),
  title: z.string(),
  body: z.string().nullish(),
  state: z.enum(['open', 'closed']),
  state_reason: z.string().nullish(),
  html_url: z.url(),
  created_at: isoTime,
  updated_at: isoTime,
  user: GitHubUserSchema.nullish(),
  assignee: GitHubUserSchema.nullish(),
  assignees: z.array(GitHubUserSchema).nullish(),
  labels: z.array(LabelSchema).default([]),
  milestone: MilestoneSchema.nullish(),
  /** Present (an object) when the "issue" is a pull request. */
  pull_request: z.object({ merged_at: isoTime.nullish() }).nullish(),
  /** Served when the repository uses sub-issues: `…/repos/o/r/issues/12`. */
  parent_issue_url: z.string().nullish(),
});
export type GitHubIssue = z.infer<typeof IssueSchema>;

export const IssueListSchema = z.array(IssueSchema);

export const PullSchema = z.object({
  number: z.number().int().positive(),
  state: z.enum(['open', 'closed']),
  merged_at: isoTime.nullish(),
  updated_at: isoTime,
});

export const CommentSchema = z.object({
  id: z.number().int().positive(),
  body: z.string().nullish(),
  created_at: isoTime,
});
export const CommentListSchema = z.array(CommentSchema);

// ---- GraphQL (Projects v2) ----

const PageInfoSchema = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() });

export const ProjectSummaryNodeSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  url: z.url(),
  closed: z.boolean(),
});

const ProjectsConnectionSchema = z.object({
  nodes: z.array(ProjectSummaryNodeSchema.nullable()),
  pageInfo: PageInfoSchema,
});

/** `organization { projectsV2 }` or `user { projectsV2 }`. */
export const OwnerProjectsSchema = z.object({
  owner: z.object({ projectsV2: ProjectsConnectionSchema }).nullable(),
});

const LoginsSchema = z.object({ nodes: z.array(z.object({ login: z.string() }).nullable()) });
const LabelNamesSchema = z.object({ nodes: z.array(z.object({ name: z.string() }).nullable()) });
/**
 * A web address as GitHub gives it: http(s) only, checked with a pattern rather than a URL parse
 * (z.url() parses each one, a large share of a 50,000-item board read's validation), which also
 * keeps `command:` and `javascript:` links out of "Open in browser".
 */
const WebUrlSchema = z.string().regex(/^https?:\/\/[^\s]+$/, 'not an http(s) address');

/*
 * Project items: only the fields the board reads (toProjectItem), so the 100 nodes of each page are
 * validated without building what is thrown away. A missing or mistyped field is still a
 * badResponse naming its path.
 */
const IssueLikeFields = {
  number: z.number().int().positive(),
  title: z.string(),
  url: WebUrlSchema,
  repository: z.object({ nameWithOwner: z.string() }),
  assignees: LoginsSchema.nullish(),
  labels: LabelNamesSchema.nullish(),
};
const KnownContentSchema = z.discriminatedUnion('__typename', [
  z.object({ __typename: z.literal('Issue'), ...IssueLikeFields, issueState: z.string() }),
  z.object({ __typename: z.literal('PullRequest'), ...IssueLikeFields, prState: z.string() }),
  z.object({ __typename: z.literal('DraftIssue'), title: z.string(), assignees: LoginsSchema.nullish() }),
]);
const KNOWN_CONTENT = new Set(['Issue', 'PullRequest', 'DraftIssue']);
/**
 * A content type this schema does not know (GitHub may add one) is treated as none; one of the
 * three known types with a field missing or mistyped is a malformed answer, not an item to hide.
 * (Content the viewer may not see comes as null: the item's type is REDACTED.)
 */
const ItemContentSchema = z.union([
  KnownContentSchema,
  z.object({ __typename: z.string().refine((t) => !KNOWN_CONTENT.has(t), 'a known content type with a missing or mistyped field') }).transform(() => null),
]);
const ItemStatusValueSchema = z.object({ name: z.string().nullish() }).nullish();

export const ProjectItemNodeSchema = z.object({
  id: z.string().min(1),
  /** GitHub lists archived items too; the board leaves them out. */
  isArchived: z.boolean().optional(),
  status: ItemStatusValueSchema,
  content: ItemContentSchema.nullish(),
});
export type ProjectItemNode = z.infer<typeof ProjectItemNodeSchema>;

/** `field(name: "Status")`: empty when the project's Status is not a single-select field. */
const StatusFieldSchema = z.object({
  id: z.string().min(1).optional(),
  name: z.string().optional(),
  options: z.array(z.object({ id: z.string().min(1), name: z.string() })).optional(),
});

export const ProjectPageSchema = z.object({
  owner: z
    .object({
      projectV2: z
        .object({
          id: z.string().min(1),
          number: z.number().int().positive(),
          title: z.string(),
          url: WebUrlSchema,
          closed: z.boolean(),
          /** Only on the first page (the query asks for it with @include). */
          status: StatusFieldSchema.nullish(),
          items: z.object({
            totalCount: z.number().int().nonnegative().optional(),
            pageInfo: PageInfoSchema,
            nodes: z.array(ProjectItemNodeSchema.nullable()),
          }),
        })
        .nullable(),
    })
    .nullable(),
});
export type ProjectPage = z.infer<typeof ProjectPageSchema>;

export const ItemStatusSchema = z.object({
  node: z
    .object({
      id: z.string(),
      status: ItemStatusValueSchema,
      content: ItemContentSchema.nullish(),
    })
    .nullable(),
});

export const UpdateItemFieldSchema = z.object({
  updateProjectV2ItemFieldValue: z.object({ projectV2Item: z.object({ id: z.string() }).nullable() }).nullable(),
});
