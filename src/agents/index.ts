import { type AgentDefinition } from './runtime/context';

/**
 * Every agent, loaded on first use (the editor loads an agent's code only when it runs; the
 * command line bundles them all). An agent issue adds its line here, its palette command and
 * slash command in package.json, and it is then reachable from the palette, `@devops` and
 * `ai-devops <agent>`.
 */
export const AGENT_LOADERS: Readonly<Record<string, () => Promise<AgentDefinition>>> = {
  scaffold: async () => (await import('./scaffold/scaffoldAgent')).scaffoldAgent,
  platform: async () => (await import('./platform/platformAgent')).platformAgent,
  release: async () => (await import('./release/releaseAgent')).releaseAgent,
  plan: async () => (await import('./planner/plannerAgent')).plannerAgent,
  security: async () => (await import('./security/securityAgent')).securityAgent,
  qa: async () => (await import('./qa/qaAgent')).qaAgent,
  bootstrap: async () => (await import('./orchestrator/orchestratorAgent')).orchestratorAgent,
  lifecycle: async () => (await import('./orchestrator/lifecycleAgent')).lifecycleAgent,
};

export const AGENT_IDS: readonly string[] = Object.keys(AGENT_LOADERS);

export async function loadAgent(id: string): Promise<AgentDefinition | undefined> {
  const load = AGENT_LOADERS[id];
  return load ? load() : undefined;
}
