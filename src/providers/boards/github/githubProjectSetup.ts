import { z } from 'zod';
import {
  completedStatusOptions,
  GITHUB_ESTIMATE_FIELD,
  type GitHubProjectFacts,
  type GitHubProjectSetup,
  type GitHubProjectSurvey,
  type GitHubProjectTarget,
  type GitHubSetupStep,
  LIFECYCLE_STATUS_OPTIONS,
  missingLifecycleStates,
  type OptionColor,
  statusReplaceRisk,
} from '../../../core/bootstrap/githubProjectSetup';
import { type StepOutcome } from '../../../core/bootstrap/projectSetup';
import { DevOpsError } from '../../../core/errors';
import { type GitHubClient } from './githubClient';

/**
 * Bootstrap's GitHub side over GraphQL: finds the owner's Project (by the configured number, or by
 * title), reads its fields and whether the repository is linked, and applies one step at a time
 * (createProjectV2, linkProjectV2ToRepository, createProjectV2Field, updateProjectV2Field), each
 * after reading again what is there, so a step someone already did is said to be and not redone.
 */

const OWNER_QUERY = `
query BootstrapOwner($owner: String!, $repo: String!, $search: String, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    id
    nameWithOwner
    owner {
      __typename
      id
      login
      ... on ProjectV2Owner {
        projectsV2(first: 100, after: $cursor, query: $search) {
          nodes { id number title closed }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
}`;

const PROJECT_QUERY = `
query BootstrapProject($id: ID!) {
  node(id: $id) {
    ... on ProjectV2 {
      id number title url closed
      repositories(first: 100) { nodes { nameWithOwner } }
      fields(first: 50) {
        nodes {
          __typename
          ... on ProjectV2FieldCommon { id name dataType }
          ... on ProjectV2SingleSelectField { options { id name color description } }
          ... on ProjectV2IterationField { configuration { iterations { title startDate } completedIterations { title startDate } } }
        }
      }
      items(first: 100) {
        totalCount
        nodes { fieldValues(first: 30) { nodes { __typename ... on ProjectV2ItemFieldSingleSelectValue { field { ... on ProjectV2FieldCommon { id } } } } } }
      }
    }
  }
}`;

const CREATE_PROJECT = `
mutation BootstrapCreateProject($ownerId: ID!, $repositoryId: ID!, $title: String!) {
  createProjectV2(input: { ownerId: $ownerId, repositoryId: $repositoryId, title: $title }) { projectV2 { id number url } }
}`;

const LINK_PROJECT = `
mutation BootstrapLinkProject($projectId: ID!, $repositoryId: ID!) {
  linkProjectV2ToRepository(input: { projectId: $projectId, repositoryId: $repositoryId }) { repository { id } }
}`;

const CREATE_FIELD = `
mutation BootstrapCreateField($input: CreateProjectV2FieldInput!) {
  createProjectV2Field(input: $input) { projectV2Field { ... on ProjectV2FieldCommon { id name } } }
}`;

const UPDATE_FIELD = `
mutation BootstrapUpdateField($input: UpdateProjectV2FieldInput!) {
  updateProjectV2Field(input: $input) { projectV2Field { ... on ProjectV2FieldCommon { id name } } }
}`;

const Color = z.enum(['GRAY', 'BLUE', 'GREEN', 'YELLOW', 'ORANGE', 'RED', 'PINK', 'PURPLE']);
const OwnerSchema = z.object({
  repository: z.object({
    id: z.string(),
    nameWithOwner: z.string(),
    owner: z.object({
      __typename: z.enum(['User', 'Organization']),
      id: z.string(),
      login: z.string(),
      projectsV2: z.object({
        nodes: z.array(z.object({ id: z.string(), number: z.number().int(), title: z.string(), closed: z.boolean() }).nullable()),
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
      }),
    }),
  }),
});
const FieldNode = z
  .object({
    __typename: z.string(),
    id: z.string().optional(),
    name: z.string().optional(),
    dataType: z.string().optional(),
    options: z.array(z.object({ id: z.string(), name: z.string(), color: Color, description: z.string().nullish() })).optional(),
    configuration: z.object({ iterations: z.array(z.object({ title: z.string(), startDate: z.string() })), completedIterations: z.array(z.object({ title: z.string(), startDate: z.string() })) }).nullish(),
  })
  .nullable();
const ProjectSchema = z.object({
  node: z
    .object({
      id: z.string(),
      number: z.number().int(),
      title: z.string(),
      url: z.string(),
      closed: z.boolean(),
      repositories: z.object({ nodes: z.array(z.object({ nameWithOwner: z.string() }).nullable()) }),
      fields: z.object({ nodes: z.array(FieldNode) }),
      items: z.object({
        totalCount: z.number().int(),
        nodes: z.array(z.object({ fieldValues: z.object({ nodes: z.array(z.object({ __typename: z.string(), field: z.object({ id: z.string().optional() }).nullish() }).loose().nullable()) }) }).nullable()),
      }),
    })
    .nullable(),
});
const CreatedProject = z.object({ createProjectV2: z.object({ projectV2: z.object({ id: z.string(), number: z.number().int(), url: z.string() }) }) });
const FieldWritten = (key: 'createProjectV2Field' | 'updateProjectV2Field') => z.object({ [key]: z.object({ projectV2Field: z.object({ id: z.string(), name: z.string() }) }) });

interface Owner {
  readonly type: 'User' | 'Organization';
  readonly id: string;
  readonly login: string;
  readonly repositoryId: string;
  readonly repository: string;
}

const MAX_OWNER_PAGES = 10;

export class GitHubProjectSetupClient implements GitHubProjectSetup {
  constructor(private readonly client: GitHubClient) {}

  private get owner(): string {
    return this.client.endpoint.owner;
  }

  private get repo(): string {
    return this.client.endpoint.repo;
  }

  async survey(title: string | undefined, signal?: AbortSignal): Promise<GitHubProjectSurvey> {
    const number = this.client.endpoint.projectNumber ?? undefined;
    const target: GitHubProjectTarget = { title: title ?? this.repo, ...(number !== undefined ? { number } : {}) };
    const { owner, id } = await this.find(target, signal);
    const project = id ? await this.read(id, owner.repository, signal) : undefined;
    return { owner: owner.login, ownerType: owner.type, repository: owner.repository, target, ...(project ? { project } : {}) };
  }

  /** The owner, and the Project: the numbered one, or the open Project of exactly that title (the oldest when several). */
  private async find(target: GitHubProjectTarget, signal: AbortSignal | undefined): Promise<{ owner: Owner; id?: string }> {
    let cursor: string | null = null;
    let owner: Owner | undefined;
    const candidates: { id: string; number: number; title: string; closed: boolean }[] = [];
    for (let page = 0; page < MAX_OWNER_PAGES; page++) {
      const data: z.infer<typeof OwnerSchema> = await this.client.graphql(
        `reading the Projects of ${this.owner}`,
        OWNER_QUERY,
        { owner: this.owner, repo: this.repo, search: target.number === undefined ? target.title : null, cursor },
        OwnerSchema,
        signal ? { signal } : {},
      );
      const o = data.repository.owner;
      owner = { type: o.__typename, id: o.id, login: o.login, repositoryId: data.repository.id, repository: data.repository.nameWithOwner };
      candidates.push(...o.projectsV2.nodes.filter((n) => n !== null));
      if (!o.projectsV2.pageInfo.hasNextPage) break;
      cursor = o.projectsV2.pageInfo.endCursor;
    }
    if (!owner) throw new DevOpsError('badResponse', `GitHub did not answer for ${this.owner}/${this.repo}.`);
    if (target.number !== undefined) {
      const numbered = candidates.find((c) => c.number === target.number);
      if (!numbered) throw new DevOpsError('notFound', `${owner.login} has no Project ${target.number} (aiDevops.github.projectNumber), or the token cannot see it. Correct the setting, or clear it so bootstrap creates a Project.`);
      return { owner, id: numbered.id };
    }
    const titled = candidates.filter((c) => c.title.trim().toLowerCase() === target.title.trim().toLowerCase()).sort((a, b) => Number(a.closed) - Number(b.closed) || a.number - b.number);
    return { owner, ...(titled[0] ? { id: titled[0].id } : {}) };
  }

  private async read(id: string, repository: string, signal: AbortSignal | undefined): Promise<GitHubProjectFacts> {
    const { node } = await this.client.graphql(`reading the fields of Project ${id}`, PROJECT_QUERY, { id }, ProjectSchema, signal ? { signal } : {});
    if (!node) throw new DevOpsError('notFound', `The Project ${id} is gone, or the token cannot see it.`);
    const fields = node.fields.nodes.filter((f): f is NonNullable<typeof f> => f !== null && f.id !== undefined && f.name !== undefined);
    const status = fields.find((f) => f.dataType === 'SINGLE_SELECT' && f.name!.toLowerCase() === 'status');
    const iteration = fields.find((f) => f.dataType === 'ITERATION');
    const estimate = fields.find((f) => f.dataType === 'NUMBER' && GITHUB_ESTIMATE_FIELD.test(f.name!));
    const withStatus = status ? node.items.nodes.filter((i) => i?.fieldValues.nodes.some((v) => v?.field?.id === status.id)).length : 0;
    return {
      id: node.id,
      number: node.number,
      title: node.title,
      url: node.url,
      closed: node.closed,
      linked: node.repositories.nodes.some((r) => r?.nameWithOwner.toLowerCase() === repository.toLowerCase()),
      ...(status
        ? {
            status: {
              id: status.id!,
              name: status.name!,
              options: (status.options ?? []).map((o) => ({ id: o.id, name: o.name, color: o.color, description: o.description ?? '' })),
              itemsWithStatus: withStatus,
              itemsUnread: Math.max(0, node.items.totalCount - node.items.nodes.length),
            },
          }
        : {}),
      ...(iteration ? { iteration: { id: iteration.id!, name: iteration.name!, iterations: [...(iteration.configuration?.iterations ?? []), ...(iteration.configuration?.completedIterations ?? [])].sort((a, b) => a.startDate.localeCompare(b.startDate)).map((i) => i.title) } } : {}),
      ...(estimate ? { estimate: { id: estimate.id!, name: estimate.name! } } : {}),
    };
  }

  async apply(step: GitHubSetupStep, signal?: AbortSignal): Promise<StepOutcome> {
    const target: GitHubProjectTarget = { title: step.title, ...(step.number !== undefined ? { number: step.number } : {}) };
    const found = await this.find(target, signal);
    const write = { write: true, ...(signal ? { signal } : {}) };
    if (step.step === 'project') {
      if (found.id) {
        const p = await this.read(found.id, found.owner.repository, signal);
        return { made: false, detail: `the Project "${p.title}" (#${p.number})`, url: p.url, number: p.number };
      }
      const { createProjectV2: made } = await this.client.graphql(`creating the Project "${step.title}"`, CREATE_PROJECT, { ownerId: found.owner.id, repositoryId: found.owner.repositoryId, title: step.title }, CreatedProject, write);
      return { made: true, detail: `created the Project "${step.title}" (#${made.projectV2.number}) of ${found.owner.login}, linked to ${found.owner.repository}`, url: made.projectV2.url, number: made.projectV2.number };
    }
    if (!found.id) throw new DevOpsError('notFound', `The Project "${step.title}" of ${found.owner.login} is not there (it was deleted, or its creation failed); run bootstrap again.`);
    const project = await this.read(found.id, found.owner.repository, signal);
    const name = `the Project "${project.title}" (#${project.number})`;
    switch (step.step) {
      case 'link': {
        if (project.linked) return { made: false, detail: `${name} is linked to ${found.owner.repository}`, url: project.url };
        await this.client.graphql(`linking ${name} to ${found.owner.repository}`, LINK_PROJECT, { projectId: project.id, repositoryId: found.owner.repositoryId }, z.unknown(), write);
        return { made: true, detail: `linked ${name} to ${found.owner.repository}`, url: project.url };
      }
      case 'status': {
        if (!project.status) {
          const options = LIFECYCLE_STATUS_OPTIONS.map((o) => ({ name: o.name, color: o.color, description: o.description }));
          await this.client.graphql(`adding a Status field to ${name}`, CREATE_FIELD, { input: { projectId: project.id, dataType: 'SINGLE_SELECT', name: 'Status', singleSelectOptions: options } }, FieldWritten('createProjectV2Field'), write);
          return { made: true, detail: `added the Status field to ${name} with ${options.map((o) => o.name).join(', ')}`, url: project.url };
        }
        const missing = missingLifecycleStates(project.status.options);
        if (missing.length === 0) return { made: false, detail: `${name}'s Status has an option for every lifecycle state`, url: project.url };
        const blocked = statusReplaceRisk(project);
        if (blocked) throw new DevOpsError('conflict', blocked);
        const options = completedStatusOptions(project.status.options);
        const added = options.filter((o) => !project.status!.options.some((e) => e.name === o.name)).map((o) => o.name);
        await this.client.graphql(
          `adding Status options to ${name}`,
          UPDATE_FIELD,
          { input: { fieldId: project.status.id, singleSelectOptions: options.map((o) => ({ name: o.name, color: o.color as OptionColor, description: o.description })) } },
          FieldWritten('updateProjectV2Field'),
          write,
        );
        return { made: true, detail: `added ${added.join(', ')} to ${name}'s Status`, url: project.url };
      }
      case 'iteration': {
        if (project.iteration) return { made: false, detail: `${name} has the iteration field ${project.iteration.name}`, url: project.url };
        const input = { projectId: project.id, dataType: 'ITERATION', name: step.name, iterationConfiguration: { startDate: step.startDate, duration: step.duration, iterations: step.iterations } };
        await this.client.graphql(`adding the iteration field ${step.name} to ${name}`, CREATE_FIELD, { input }, FieldWritten('createProjectV2Field'), write);
        return { made: true, detail: `added the iteration field ${step.name} to ${name} (${step.iterations.map((i) => i.title).join(', ') || 'no iterations'})`, url: project.url };
      }
      case 'estimate': {
        if (project.estimate) return { made: false, detail: `${name} has the number field ${project.estimate.name}`, url: project.url };
        await this.client.graphql(`adding the number field ${step.name} to ${name}`, CREATE_FIELD, { input: { projectId: project.id, dataType: 'NUMBER', name: step.name } }, FieldWritten('createProjectV2Field'), write);
        return { made: true, detail: `added the number field ${step.name} to ${name}`, url: project.url };
      }
    }
  }
}
