import { type ProjectSetupReader } from '../../core/bootstrap/projectSetup';

/** What the orchestrator reads from outside, supplied by the host (editor or CLI) over the tracker's connection. */
declare module '../runtime/context' {
  interface AgentProviders {
    /** The connected Azure DevOps project as bootstrap sees it (undefined when Azure DevOps is not configured). */
    projectSetup: ProjectSetupReader;
  }
}
