import { SANDBOX_USER } from '../../identity';
import { type Clock, parseSavedState, SandboxState } from '../../sandboxState';
import { findNodeByIdentifier, timeFrameOf } from './classification';
import {
  StateDocumentSchema,
  type Counters,
  type Identity,
  type Project,
  type StateDocument,
  type Team,
  type WorkItemRecord,
} from './model';
import { seedDemo } from './demo';
import { processById, type ProcessDef } from './processes';

export type { Clock } from '../../sandboxState';

export interface StateOptions {
  /** Drives pipeline runs, project creation and dates; tests inject one so nothing sleeps. */
  readonly clock?: Clock;
}

/** The sandbox user and two teammates, so assignment and @Me have someone else to tell apart. */
export const SANDBOX_TEAMMATES: readonly Identity[] = [
  { id: SANDBOX_USER.adoId, displayName: SANDBOX_USER.displayName, uniqueName: SANDBOX_USER.email },
  { id: 'c0f1e7a2-5b8d-4e37-9d61-2a4b6c8e0f13', displayName: 'Avery Chen', uniqueName: 'avery.chen@example.com' },
  { id: 'e3b9d4c6-1a2f-4d58-8c7e-6f0a1b2c3d4e', displayName: 'Jordan Patel', uniqueName: 'jordan.patel@example.com' },
];

/**
 * Everything the Azure DevOps stand-in knows, in memory. Handlers change it through the methods
 * here and in the *Ops modules and then call `changed()`.
 */
export class AzureDevOpsState extends SandboxState<StateDocument> {
  /** Work item positions in doc.workItems by id (see workItem). */
  private readonly positions = new Map<number, number>();

  constructor(doc: StateDocument, options: StateOptions = {}) {
    super(doc, options.clock);
  }

  /** An organization with the sandbox's people and no projects. */
  static empty(options: StateOptions = {}): AzureDevOpsState {
    return new AzureDevOpsState(
      {
        format: 'ai-devops.sandbox.azure-devops/1',
        identities: SANDBOX_TEAMMATES.map((i) => ({ ...i })),
        projects: [],
        teams: [],
        workItems: [],
        repositories: [],
        policies: [],
        wikis: [],
        pipelines: [],
        environments: [],
        testRuns: [],
        operations: [],
        counters: { workItem: 0, node: 0, pullRequest: 0, push: 0, policy: 0, pipeline: 0, pipelineRun: 0, testRun: 0, testResult: 0, wikiPage: 0, environment: 0 },
      },
      options,
    );
  }

  /**
   * The demo organization (see demo.ts), with dates relative to `now`. The clock defaults to the
   * real time; tests pass one.
   */
  static demo(now: Date = new Date(), options: StateOptions = {}): AzureDevOpsState {
    const state = AzureDevOpsState.empty(options);
    seedDemo(state, now);
    return state;
  }

  /** Reads what toJSON() wrote; anything else is refused with what is wrong and where. */
  static fromJSON(json: unknown, options: StateOptions = {}): AzureDevOpsState {
    return new AzureDevOpsState(parseSavedState(StateDocumentSchema, json, 'Azure DevOps'), options);
  }

  next(counter: keyof Counters): number {
    this.doc.counters[counter] += 1;
    return this.doc.counters[counter];
  }

  // ----- people -----

  identity(id: string): Identity {
    return this.doc.identities.find((i) => i.id === id) ?? { id, displayName: 'Unknown user', uniqueName: id };
  }

  /**
   * Resolves what a client writes into an identity field: `Display Name <email>`, the email, the
   * display name, or the id.
   */
  findIdentity(text: string): Identity | undefined {
    const trimmed = text.trim();
    const bracket = /<([^>]+)>\s*$/.exec(trimmed)?.[1]?.toLowerCase();
    const lower = trimmed.toLowerCase();
    return this.doc.identities.find(
      (i) => i.uniqueName.toLowerCase() === (bracket ?? lower) || i.displayName.toLowerCase() === lower || i.id.toLowerCase() === lower,
    );
  }

  // ----- projects and teams -----

  findProject(nameOrId: string): Project | undefined {
    const wanted = nameOrId.toLowerCase();
    return this.doc.projects.find((p) => p.id.toLowerCase() === wanted || p.name.toLowerCase() === wanted);
  }

  processOf(project: Project): ProcessDef {
    const process = processById(project.processId);
    if (!process) throw new Error(`Project ${project.name} has an unknown process ${project.processId}.`);
    return process;
  }

  teamsOf(project: Project): Team[] {
    return this.doc.teams.filter((t) => t.projectId === project.id);
  }

  findTeam(project: Project, nameOrId: string): Team | undefined {
    const wanted = nameOrId.toLowerCase();
    return this.teamsOf(project).find((t) => t.id.toLowerCase() === wanted || t.name.toLowerCase() === wanted);
  }

  defaultTeam(project: Project): Team | undefined {
    return this.doc.teams.find((t) => t.id === project.defaultTeamId);
  }

  /** The team's iteration whose dates hold today: what @CurrentIteration means. */
  currentIterationPath(project: Project, team: Team | undefined): string | undefined {
    const paths = this.teamIterationPaths(project, team);
    return paths.find((p) => p.timeFrame === 'current')?.path;
  }

  /** The team's iterations in date order, with their paths and time frames. */
  teamIterationPaths(project: Project, team: Team | undefined): { path: string; identifier: string; timeFrame: 'past' | 'current' | 'future'; start: number }[] {
    const chosen = team ?? this.defaultTeam(project);
    if (!chosen) return [];
    const now = this.now();
    return chosen.iterationIds
      .map((identifier) => findNodeByIdentifier(project.iterations, identifier))
      .filter((hit) => hit !== undefined)
      .map((hit) => ({
        // The iteration path drops the structure root ("Iteration") that node paths carry.
        path: hit.path,
        identifier: hit.node.identifier,
        timeFrame: timeFrameOf(hit.node, now),
        start: hit.node.startDate ? Date.parse(hit.node.startDate) : Number.POSITIVE_INFINITY,
      }))
      .sort((a, b) => a.start - b.start);
  }

  // ----- work items -----

  workItem(id: number): WorkItemRecord | undefined {
    // Positions by id, checked on use and rebuilt when the list changed under them (pushes, removals,
    // a bench growing the list): a batch of 200 ids in a 200,000-item project stays 200 look-ups.
    const items = this.doc.workItems;
    const at = this.positions.get(id);
    if (at !== undefined && items[at]?.id === id) return items[at];
    // A miss or a moved item: index again (what every look-up cost before).
    this.positions.clear();
    items.forEach((w, i) => this.positions.set(w.id, i));
    const found = this.positions.get(id);
    return found === undefined ? undefined : items[found];
  }

  /**
   * Takes a work item out of every query and read, as DELETE workitems/{id} does (the service keeps
   * it in a recycle bin the sandbox does not serve). Links to it on other items stay, dangling, and
   * are skipped where they are followed.
   */
  removeWorkItem(id: number): WorkItemRecord | undefined {
    const at = this.doc.workItems.findIndex((w) => w.id === id);
    if (at < 0) return undefined;
    const [removed] = this.doc.workItems.splice(at, 1);
    return removed;
  }

  /** Finishes long-running operations whose time has come (project creation). */
  settle(): void {
    const now = this.now().getTime();
    let any = false;
    for (const op of this.doc.operations) {
      const project = this.doc.projects.find((p) => p.id === op.projectId);
      if (project && project.state === 'createPending' && Date.parse(op.completesAt) <= now) {
        project.state = 'wellFormed';
        project.revision += 1;
        project.lastUpdateTime = op.completesAt;
        any = true;
      }
    }
    if (any) this.changed();
  }
}
