import { z } from 'zod';

/**
 * The GraphQL documents and answer schemas of GitHub sprint planning: a Project (v2)'s fields
 * (the iteration field's iterations and completed iterations, the estimate, priority, status and
 * date fields) and every item with its field values and its issue (state, close date, assignees,
 * labels, parent, sub-issue count), 100 items a page, GitHub's maximum.
 */
export type OwnerKind = 'organization' | 'user';

const FIELD_ID = (type: string): string => `field { ... on ${type} { id } }`;

export const sprintProjectQuery = (kind: OwnerKind): string => `
query ($login: String!, $number: Int!, $cursor: String, $withFields: Boolean!) {
  owner: ${kind}(login: $login) {
    projectV2(number: $number) {
      id number title url
      fields(first: 50) @include(if: $withFields) {
        nodes {
          __typename
          ... on ProjectV2Field { id name dataType }
          ... on ProjectV2SingleSelectField { id name dataType options { id name } }
          ... on ProjectV2IterationField {
            id name dataType
            configuration {
              duration startDay
              iterations { id title startDate duration }
              completedIterations { id title startDate duration }
            }
          }
        }
      }
      items(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id isArchived
          fieldValues(first: 50) {
            nodes {
              __typename
              ... on ProjectV2ItemFieldIterationValue { iterationId title ${FIELD_ID('ProjectV2IterationField')} }
              ... on ProjectV2ItemFieldNumberValue { number ${FIELD_ID('ProjectV2Field')} }
              ... on ProjectV2ItemFieldSingleSelectValue { name optionId ${FIELD_ID('ProjectV2SingleSelectField')} }
              ... on ProjectV2ItemFieldDateValue { date ${FIELD_ID('ProjectV2Field')} }
            }
          }
          content {
            __typename
            ... on Issue {
              number title url state stateReason closedAt updatedAt
              repository { nameWithOwner }
              assignees(first: 10) { nodes { login } }
              labels(first: 50) { nodes { name } }
              parent { number }
              subIssuesSummary { total }
            }
          }
        }
      }
    }
  }
}`;

const IterationSchema = z.object({ id: z.string(), title: z.string(), startDate: z.string(), duration: z.number().int().positive() }).loose();
export type ProjectIteration = z.infer<typeof IterationSchema>;

const FieldNodeSchema = z
  .object({
    __typename: z.string(),
    id: z.string().optional(),
    name: z.string().optional(),
    dataType: z.string().optional(),
    options: z.array(z.object({ id: z.string(), name: z.string() }).loose()).nullish(),
    configuration: z.object({ duration: z.number().int(), startDay: z.number().int(), iterations: z.array(IterationSchema), completedIterations: z.array(IterationSchema) }).loose().nullish(),
  })
  .loose();
export type ProjectFieldNode = z.infer<typeof FieldNodeSchema>;

const ValueSchema = z
  .object({
    __typename: z.string(),
    iterationId: z.string().optional(),
    title: z.string().nullish(),
    number: z.number().nullish(),
    name: z.string().nullish(),
    date: z.string().nullish(),
    field: z.object({ id: z.string().optional() }).loose().nullish(),
  })
  .loose();

const IssueContentSchema = z
  .object({
    __typename: z.literal('Issue'),
    number: z.number().int().positive(),
    title: z.string(),
    url: z.string(),
    state: z.enum(['OPEN', 'CLOSED']),
    stateReason: z.string().nullish(),
    closedAt: z.string().nullish(),
    updatedAt: z.string(),
    repository: z.object({ nameWithOwner: z.string() }).loose(),
    assignees: z.object({ nodes: z.array(z.object({ login: z.string() }).loose().nullable()).nullish() }).loose().nullish(),
    labels: z.object({ nodes: z.array(z.object({ name: z.string() }).loose().nullable()).nullish() }).loose().nullish(),
    parent: z.object({ number: z.number().int().positive() }).loose().nullish(),
    subIssuesSummary: z.object({ total: z.number().int().nonnegative() }).loose().nullish(),
  })
  .loose();
export type IssueContent = z.infer<typeof IssueContentSchema>;

const ItemNodeSchema = z
  .object({
    id: z.string(),
    isArchived: z.boolean(),
    fieldValues: z.object({ nodes: z.array(ValueSchema.nullable()).nullish() }).loose().nullish(),
    // Pull requests and draft issues are read as "not an issue" and left out of planning.
    content: z.union([IssueContentSchema, z.object({ __typename: z.string() }).loose()]).nullish(),
  })
  .loose();
export type SprintItemNode = z.infer<typeof ItemNodeSchema>;

export const SprintProjectSchema = z.object({
  owner: z
    .object({
      projectV2: z
        .object({
          id: z.string(),
          number: z.number().int().positive(),
          title: z.string(),
          url: z.string(),
          fields: z.object({ nodes: z.array(FieldNodeSchema.nullable()).nullish() }).loose().nullish(),
          items: z.object({ pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }).loose(), nodes: z.array(ItemNodeSchema.nullable()).nullish() }).loose(),
        })
        .loose()
        .nullish(),
    })
    .loose()
    .nullish(),
});

export const isIssueContent = (c: SprintItemNode['content']): c is IssueContent => c?.__typename === 'Issue' && 'number' in c;

export const itemIterationQuery = `
query ($id: ID!, $field: String!) {
  node(id: $id) {
    ... on ProjectV2Item {
      id isArchived
      iteration: fieldValueByName(name: $field) { ... on ProjectV2ItemFieldIterationValue { iterationId title } }
      content { __typename ... on Issue { number title url } }
    }
  }
}`;

export const ItemIterationSchema = z.object({
  node: z
    .object({
      id: z.string(),
      isArchived: z.boolean().optional(),
      iteration: z.object({ iterationId: z.string().optional(), title: z.string().optional() }).loose().nullish(),
      content: z.object({ __typename: z.string(), number: z.number().int().optional(), title: z.string().optional(), url: z.string().optional() }).loose().nullish(),
    })
    .loose()
    .nullish(),
});

export const setIterationMutation = `
mutation ($projectId: ID!, $itemId: ID!, $fieldId: ID!, $iterationId: String!) {
  updateProjectV2ItemFieldValue(input: { projectId: $projectId, itemId: $itemId, fieldId: $fieldId, value: { iterationId: $iterationId } }) {
    projectV2Item { id }
  }
}`;
