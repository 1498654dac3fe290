import { type Sandbox } from '../../../../../src/sandbox/sandbox';
import { SANDBOX_GITHUB, SANDBOX_USER } from '../../../../../src/sandbox/identity';
import { parseNodeId } from '../../../../../src/sandbox/github/state/nodeIds';
import { stateWriteFor } from '../../../../../src/providers/boards/github/issueMapping';

/**
 * What the services hold at the end of a chaos run, read from the stand-ins' own state (not
 * through the clients under test): the judge of exactly-once and of the user's last intent.
 */
export class GroundTruth {
  constructor(private readonly sandbox: Sandbox) {}

  private get repo() {
    const repo = this.sandbox.github.repo(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.repo);
    if (!repo) throw new Error('The GitHub stand-in lost its demo repository.');
    return repo;
  }

  /** How many comments on AB#id carry `text`. */
  azureComments(id: number, text: string): number {
    return (this.sandbox.azureDevOps.workItem(id)?.comments ?? []).filter((c) => !c.isDeleted && c.text.includes(text)).length;
  }

  /** How many work items have this title. */
  azureCreated(title: string): number {
    return this.sandbox.azureDevOps.doc.workItems.filter((w) => w.fields['System.Title'] === title).length;
  }

  /** How many links to the branch AB#id has. */
  azureLinks(id: number, branch: string): number {
    const suffix = `GB${encodeURIComponent(branch)}`.toLowerCase();
    return (this.sandbox.azureDevOps.workItem(id)?.relations ?? []).filter((r) => r.rel === 'ArtifactLink' && r.url.toLowerCase().endsWith(suffix)).length;
  }

  azureState(id: number): string | undefined {
    const state = this.sandbox.azureDevOps.workItem(id)?.fields['System.State'];
    return typeof state === 'string' ? state : undefined;
  }

  azureAssignedToMe(id: number): boolean {
    const who = this.sandbox.azureDevOps.workItem(id)?.fields['System.AssignedTo'];
    return typeof who === 'object' && who !== null && !Array.isArray(who) && (who as { displayName?: unknown }).displayName === SANDBOX_USER.displayName;
  }

  githubComments(number: number, text: string): number {
    return (this.repo.issues.find((i) => i.number === number)?.comments ?? []).filter((c) => c.body.includes(text)).length;
  }

  githubCreated(title: string): number {
    return this.repo.issues.filter((i) => i.title === title).length;
  }

  /** Whether issue `number` is in the state the tracker names `state` (Open, Closed, Not planned). */
  githubInState(number: number, state: string): boolean {
    const issue = this.repo.issues.find((i) => i.number === number);
    const wanted = stateWriteFor(state);
    if (!issue || !wanted) return false;
    return issue.state === wanted.state && (wanted.state === 'open' || issue.stateReason === wanted.state_reason);
  }

  githubState(number: number): string {
    const issue = this.repo.issues.find((i) => i.number === number);
    return issue ? `${issue.state}${issue.stateReason ? `/${issue.stateReason}` : ''}` : 'missing';
  }

  githubAssignedToMe(number: number): boolean {
    return this.repo.issues.find((i) => i.number === number)?.assignees.includes(SANDBOX_USER.githubLogin) ?? false;
  }

  /** The Status option name of a project item (its GraphQL node id), or undefined. */
  projectStatus(itemNodeId: string): string | undefined {
    const project = this.sandbox.github.project(SANDBOX_GITHUB.owner, SANDBOX_GITHUB.projectNumber);
    const parsed = parseNodeId(itemNodeId);
    const item = project?.items.find((i) => String(i.id) === parsed?.id);
    const status = project?.fields.find((f) => f.name === 'Status');
    if (!item || !status) return undefined;
    const value = item.values[String(status.id)];
    const optionId = value && 'optionId' in value ? value.optionId : undefined;
    return status.options.find((o) => o.id === optionId)?.name;
  }
}
