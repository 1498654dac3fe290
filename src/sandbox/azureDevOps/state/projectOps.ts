import { type ClassificationNode, type Project, type Team } from './model';
import { processById } from './processes';
import { newGuid } from './ids';
import { type AzureDevOpsState } from './state';

export interface NewProject {
  readonly name: string;
  readonly description: string;
  readonly processId: string;
  readonly visibility: 'private' | 'public';
  /** Fixed ids for demo data; fresh GUIDs otherwise. */
  readonly ids?: { readonly project: string; readonly team: string; readonly repository: string };
}

function node(state: AzureDevOpsState, name: string, children: ClassificationNode[] = [], dates?: { start: string; finish: string }): ClassificationNode {
  return {
    id: state.next('node'),
    identifier: newGuid(),
    name,
    ...(dates ? { startDate: dates.start, finishDate: dates.finish } : {}),
    children,
  };
}

/**
 * A project as the service sets one up: default team, root area and iteration with three
 * iterations, and a Git repository of the same name. `pending` leaves it in createPending for the
 * operation that creates it to finish.
 */
export function addProject(state: AzureDevOpsState, input: NewProject, pending: boolean): { project: Project; team: Team } {
  if (!processById(input.processId)) throw new Error(`Unknown process ${input.processId}.`);
  const ids = input.ids ?? { project: newGuid(), team: newGuid(), repository: newGuid() };
  const iterations = node(state, input.name, ['Iteration 1', 'Iteration 2', 'Iteration 3'].map((n) => node(state, n)));
  const project: Project = {
    id: ids.project,
    name: input.name,
    description: input.description,
    processId: input.processId,
    visibility: input.visibility,
    state: pending ? 'createPending' : 'wellFormed',
    revision: 1,
    lastUpdateTime: state.nowIso(),
    defaultTeamId: ids.team,
    areas: node(state, input.name),
    iterations,
  };
  const team: Team = {
    id: ids.team,
    projectId: project.id,
    name: `${input.name} Team`,
    description: `The default project team.`,
    memberIds: [state.doc.identities[0]?.id ?? ''],
    iterationIds: iterations.children.map((c) => c.identifier),
    bugsBehavior: 'asRequirements',
    workingDays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
    capacities: [],
    daysOff: [],
  };
  state.doc.projects.push(project);
  state.doc.teams.push(team);
  state.doc.repositories.push({
    id: ids.repository,
    projectId: project.id,
    name: input.name,
    defaultBranch: 'refs/heads/main',
    refs: [],
    commits: [],
    pushes: [],
    pullRequests: [],
    annotatedTags: [],
  });
  return { project, team };
}
