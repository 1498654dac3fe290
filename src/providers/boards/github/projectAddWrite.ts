import { z } from 'zod';
import { type Observation, type WriteKind } from '../../../core/boards/outbox';
import { DevOpsError } from '../../../core/errors';
import { type GitHubClient } from './githubClient';

/**
 * The outbox's adapter for adding an issue to the repository's Project with its estimate in the
 * Project's number field: `observe` reads the issue's Project items (already there, with that
 * estimate, is made: nothing is sent); `send` adds it (addProjectV2ItemById answers the existing
 * item when it is there, so a lost answer adds nothing twice) and sets the number.
 */
export const AddToProjectSchema = z.object({
  projectNumber: z.number().int().positive(),
  number: z.number().int().positive(),
  estimate: z.number().min(0).max(100_000).optional(),
  estimateField: z.string().min(1).max(200).optional(),
});
export type AddToProject = z.infer<typeof AddToProjectSchema>;

const LOOK = `
query AddToProjectLook($owner: String!, $repo: String!, $number: Int!, $field: String!, $withEstimate: Boolean!) {
  repository(owner: $owner, name: $repo) {
    issue(number: $number) {
      id url title
      projectItems(first: 50) {
        nodes {
          id
          project { id number owner { __typename ... on Organization { login } ... on User { login } } }
          estimate: fieldValueByName(name: $field) @include(if: $withEstimate) { ... on ProjectV2ItemFieldNumberValue { number } }
        }
      }
    }
  }
}`;

const TARGET = `
query AddToProjectTarget($login: String!, $number: Int!, $field: String!, $withEstimate: Boolean!) {
  repositoryOwner(login: $login) {
    ... on ProjectV2Owner {
      projectV2(number: $number) { id field(name: $field) @include(if: $withEstimate) { ... on ProjectV2Field { id dataType } } }
    }
  }
}`;

const ADD = `
mutation AddToProject($projectId: ID!, $contentId: ID!) {
  addProjectV2ItemById(input: { projectId: $projectId, contentId: $contentId }) { item { id } }
}`;

const SET_NUMBER = `
mutation SetProjectNumber($projectId: ID!, $itemId: ID!, $fieldId: ID!, $value: Float!) {
  updateProjectV2ItemFieldValue(input: { projectId: $projectId, itemId: $itemId, fieldId: $fieldId, value: { number: $value } }) { projectV2Item { id } }
}`;

const LookSchema = z.object({
  repository: z.object({
    issue: z.object({
      id: z.string(),
      url: z.string(),
      title: z.string(),
      projectItems: z.object({
        nodes: z.array(
          z
            .object({
              id: z.string(),
              project: z.object({ id: z.string(), number: z.number().int(), owner: z.object({ login: z.string().optional() }).loose() }),
              estimate: z.object({ number: z.number().optional() }).loose().nullish(),
            })
            .nullable(),
        ),
      }),
    }),
  }),
});
const TargetSchema = z.object({
  repositoryOwner: z.object({ projectV2: z.object({ id: z.string(), field: z.object({ id: z.string().optional(), dataType: z.string().optional() }).loose().nullish() }).optional() }).nullable(),
});
const AddedSchema = z.object({ addProjectV2ItemById: z.object({ item: z.object({ id: z.string() }) }) });
const SetSchema = z.object({ updateProjectV2ItemFieldValue: z.object({ projectV2Item: z.object({ id: z.string() }) }) });

/** What the write answers: the Project item and the issue it holds. */
export interface AddedToProject {
  readonly itemId: string;
  readonly number: number;
  readonly url: string;
}

export function addToProjectWriteKind(client: GitHubClient): WriteKind<AddToProject> {
  const { owner, repo } = client.endpoint;
  const withSignal = (signal: AbortSignal | undefined) => (signal ? { signal } : {});
  const look = async (p: AddToProject, signal: AbortSignal | undefined) => {
    const data = await client.graphql(`reading the Projects of ${owner}/${repo}#${p.number}`, LOOK, { owner, repo, number: p.number, field: p.estimateField ?? '', withEstimate: p.estimateField !== undefined }, LookSchema, withSignal(signal));
    const issue = data.repository.issue;
    const item = issue.projectItems.nodes.find((n) => n !== null && n.project.number === p.projectNumber && (n.project.owner.login ?? owner).toLowerCase() === owner.toLowerCase()) ?? undefined;
    return { issue, item };
  };
  return {
    kind: 'addToProject',
    payload: AddToProjectSchema,
    observe: async (p, context): Promise<Observation> => {
      const { issue, item } = await look(p, context.signal);
      const estimateSet = p.estimate === undefined || p.estimateField === undefined || item?.estimate?.number === p.estimate;
      const result: AddedToProject | undefined = item ? { itemId: item.id, number: p.number, url: issue.url } : undefined;
      return { made: item !== undefined && estimateSet, ...(result ? { result } : {}), url: issue.url };
    },
    send: async (p, _observed, context) => {
      const write = { write: true, ...withSignal(context.signal) };
      const target = await client.graphql(`reading Project ${p.projectNumber} of ${owner}`, TARGET, { login: owner, number: p.projectNumber, field: p.estimateField ?? '', withEstimate: p.estimateField !== undefined }, TargetSchema, withSignal(context.signal));
      const project = target.repositoryOwner?.projectV2;
      if (!project) throw new DevOpsError('notFound', `${owner} has no Project ${p.projectNumber} (aiDevops.github.projectNumber), or the token cannot see it.`);
      const withEstimate = p.estimate !== undefined && p.estimateField !== undefined;
      const fieldId = project.field?.dataType === 'NUMBER' ? project.field.id : undefined;
      if (withEstimate && !fieldId) throw new DevOpsError('invalidInput', `Project ${p.projectNumber} has no number field ${p.estimateField} (it was removed or renamed); #${p.number} was not added. Plan again to add it without the estimate.`);
      const { issue, item } = await look(p, context.signal);
      const itemId = item?.id ?? (await client.graphql(`adding #${p.number} to Project ${p.projectNumber}`, ADD, { projectId: project.id, contentId: issue.id }, AddedSchema, write)).addProjectV2ItemById.item.id;
      if (withEstimate && fieldId && p.estimate !== undefined) {
        await client.graphql(`setting the ${p.estimateField} of #${p.number} in Project ${p.projectNumber}`, SET_NUMBER, { projectId: project.id, itemId, fieldId, value: p.estimate }, SetSchema, write);
      }
      const added: AddedToProject = { itemId, number: p.number, url: issue.url };
      return added;
    },
  };
}
