/**
 * What the editor loads when the first agent runs (one lazy chunk): the run lifecycle, the policy
 * loader and the remote executors. Activation loads only types and the small plan module.
 */
export { runAgent } from './runAgent';
export { loadApprovalPolicy } from './loadPolicy';
export { defaultRemoteExecutors } from './executors/defaultExecutors';
export { lifecycleFollowUp } from './lifecycleFollowUp';
export { AttentionStore, undecidedOf } from './attentionStore';
