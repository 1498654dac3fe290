/**
 * The GraphQL documents for Projects (v2). Pages are 100 nodes, GitHub's maximum; the owner is
 * asked for as `organization` first and as `user` when there is no such organization, aliased to
 * `owner` so one schema reads both answers.
 */
export type OwnerKind = 'organization' | 'user';

// Issue.state and PullRequest.state have different types, so GraphQL wants them apart (aliases).
const CONTENT_FIELDS = `number title url repository { nameWithOwner } assignees(first: 10) { nodes { login } } labels(first: 20) { nodes { name } }`;

export const ITEM_FIELDS = `
  id
  isArchived
  status: fieldValueByName(name: "Status") { ... on ProjectV2ItemFieldSingleSelectValue { name } }
  content {
    __typename
    ... on Issue { ${CONTENT_FIELDS} issueState: state }
    ... on PullRequest { ${CONTENT_FIELDS} prState: state }
    ... on DraftIssue { title assignees(first: 10) { nodes { login } } }
  }`;

export const projectsQuery = (kind: OwnerKind): string => `
query ($login: String!, $cursor: String) {
  owner: ${kind}(login: $login) {
    projectsV2(first: 100, after: $cursor) {
      nodes { number title url closed }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

export const boardPageQuery = (kind: OwnerKind): string => `
query ($login: String!, $number: Int!, $cursor: String, $withFields: Boolean!) {
  owner: ${kind}(login: $login) {
    projectV2(number: $number) {
      id number title url closed
      status: field(name: "Status") @include(if: $withFields) {
        ... on ProjectV2SingleSelectField { id name options { id name } }
      }
      items(first: 100, after: $cursor) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { ${ITEM_FIELDS} }
      }
    }
  }
}`;

export const itemQuery = `
query ($id: ID!) {
  node(id: $id) {
    ... on ProjectV2Item { ${ITEM_FIELDS} }
  }
}`;

export const setStatusMutation = `
mutation ($projectId: ID!, $itemId: ID!, $fieldId: ID!, $optionId: String!) {
  updateProjectV2ItemFieldValue(input: { projectId: $projectId, itemId: $itemId, fieldId: $fieldId, value: { singleSelectOptionId: $optionId } }) {
    projectV2Item { id }
  }
}`;
