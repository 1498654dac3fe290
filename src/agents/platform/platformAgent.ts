import { type AgentDefinition } from '../runtime/context';
import { hardenAction } from './hardenAction';
import { iacAction } from './iacAction';
import { observabilityAction } from './observabilityAction';

/**
 * The platform agent: infrastructure as code, observability and hardening for the project in the
 * workspace. Deterministic: everything follows from the workspace facts and the rules; it returns
 * plans and never writes, runs or calls anything itself.
 */
export const platformAgent: AgentDefinition = {
  id: 'platform',
  title: 'Platform',
  description: 'Infrastructure as code, observability and hardening for the project in the workspace.',
  actions: [iacAction, observabilityAction, hardenAction],
};
