import { type AgentDefinition } from '../runtime/context';
import { emptyPlan } from '../runtime/plan';
import { decideRelease, releaseResult } from './planRelease';
import { RELEASE_OPTIONS, type ReleaseInput, ReleaseInputSchema } from './releaseInput';
import { shipSteps } from './shipSteps';
import { promoteAction, rollbackAction } from './promotion';
import { approvalsAction } from './approvals';

/**
 * The release agent: from the conventional commits since the last release tag, the next version,
 * the notes (grouped by type, linked to commits and work items), CHANGELOG.md and every manifest's
 * version; then, approved step by step, the release commit, the annotated tag and its push, the
 * notes published, the deployment run, promotion through the environments (and any pending approval answered by
 * id), and rollback.
 */
export const releaseAgent: AgentDefinition = {
  id: 'release',
  title: 'Release',
  description: 'Version, notes, changelog, tag, deploy, promote and roll back from conventional commits',
  defaultAction: 'plan',
  actions: [
    {
      name: 'plan',
      description: 'Work out the next version, the notes and the changelog; change nothing.',
      input: ReleaseInputSchema,
      options: RELEASE_OPTIONS,
      plan: async (ctx, input: ReleaseInput) => {
        const d = await decideRelease(ctx, input);
        const title = d.nextVersion ? `Release ${d.tag}` : 'Nothing to release';
        return {
          ...emptyPlan('release', 'plan', title),
          summary: d.nextVersion ? `${d.currentVersion} → ${d.nextVersion} (${d.releaseType}). ${d.reason}` : d.reason,
          facts: [...d.facts],
          findings: [...d.findings],
          notes: [...d.remarks, ...(d.nextVersion ? [`Run "release apply" to write ${d.edits.map((e) => e.path).join(', ')}, commit, tag ${d.tag} and publish it.`] : [])],
          result: releaseResult(d),
        };
      },
    },
    {
      name: 'apply',
      description: 'Write the changelog and versions, commit, tag, push, publish the notes and (with --deploy) start the deployment.',
      input: ReleaseInputSchema,
      options: RELEASE_OPTIONS,
      plan: async (ctx, input: ReleaseInput) => {
        const d = await decideRelease(ctx, input);
        if (!d.nextVersion) {
          return { ...emptyPlan('release', 'apply', 'Nothing to release'), summary: d.reason, facts: [...d.facts], findings: [...d.findings], notes: [...d.remarks], result: releaseResult(d) };
        }
        const ship = await shipSteps(ctx, input, d);
        return {
          ...emptyPlan('release', 'apply', `Release ${d.tag}`),
          summary: `${d.currentVersion} → ${d.nextVersion} (${d.releaseType}). ${d.reason}`,
          facts: [...d.facts],
          findings: [...d.findings],
          edits: [...d.edits],
          commands: ship.commands,
          remote: ship.remote,
          notes: [...d.remarks, ...ship.notes],
          result: releaseResult(d),
        };
      },
    },
    promoteAction,
    approvalsAction,
    rollbackAction,
  ],
};
