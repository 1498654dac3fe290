import { type GitHubProjectSetupReader } from '../../core/bootstrap/githubProjectSetup';
import { type ProjectSetupReader } from '../../core/bootstrap/projectSetup';

/** What the orchestrator reads from outside, supplied by the host (editor or CLI) over the tracker's connection. */
declare module '../runtime/context' {
  interface AgentProviders {
    /** The connected Azure DevOps project as bootstrap sees it (undefined when Azure DevOps is not configured). */
    projectSetup: ProjectSetupReader;
    /** The repository's GitHub Project as bootstrap sees it (undefined when GitHub is not configured). */
    githubProjectSetup: GitHubProjectSetupReader;
  }
}
