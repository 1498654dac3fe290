import { z } from 'zod';
import { type AgentContext, type AgentDefinition } from '../../../../src/agents/runtime/context';
import { type AgentPlan, emptyPlan } from '../../../../src/agents/runtime/plan';

/** Agents made for the runtime's tests: each returns the plan (or does the planning work) the test gives it. */
export function planAgent(make: (ctx: AgentContext) => Promise<AgentPlan> | AgentPlan, id = 'scaffold'): AgentDefinition {
  return {
    id,
    title: 'Test agent',
    description: 'returns the plan the test gives it',
    actions: [
      {
        name: 'go',
        description: 'plan',
        input: z.object({ note: z.string().optional() }).strict(),
        plan: async (ctx) => make(ctx),
      },
    ],
  };
}

export const planOf = (parts: Partial<AgentPlan>): AgentPlan => ({ ...emptyPlan('scaffold', 'go', 'Test plan'), ...parts });
