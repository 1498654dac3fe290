import { type PlannedCommand, type RemoteChange } from '../runtime/plan';
import { type AgentContext } from '../runtime/context';
import { type ReleaseDecision } from './planRelease';
import { type ReleaseInput } from './releaseInput';

/** Parameters given as `key=value`. */
export function parameters(list: readonly string[] | undefined): Record<string, string> {
  return Object.fromEntries((list ?? []).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

/** Where the notes go when the input says `auto`: GitHub when it is connected, else the Azure DevOps wiki, else nowhere. */
export function publishTarget(ctx: AgentContext, input: ReleaseInput): 'github' | 'wiki' | 'none' {
  const wanted = input.publish ?? 'auto';
  if (wanted !== 'auto') return wanted;
  if (ctx.trackers.github()) return 'github';
  if (ctx.trackers.azure()) return 'wiki';
  return 'none';
}

/**
 * The effects of shipping a release, in order: the release commit (CHANGELOG.md and manifests),
 * the annotated tag, the push of the branch and the tag, the notes published, the deployment run.
 * Each remote step waits for the one before it.
 */
export async function shipSteps(ctx: AgentContext, input: ReleaseInput, d: ReleaseDecision): Promise<{ commands: PlannedCommand[]; remote: RemoteChange[]; notes: string[] }> {
  const notes: string[] = [];
  const commands: PlannedCommand[] = [];
  const remote: RemoteChange[] = [];
  if (!d.tag || !d.nextVersion) return { commands, remote, notes };
  const status = await ctx.git!.status(ctx.signal);
  if (status.staged.length) notes.push(`Already staged before the release (${status.staged.slice(0, 5).join(', ')}${status.staged.length > 5 ? ', …' : ''}) goes into the release commit too.`);
  const files = d.edits.map((e) => e.path);
  if (files.length) {
    commands.push({ file: 'git', args: ['add', '--', ...files], why: 'stage the changelog and the version bump' });
    commands.push({ file: 'git', args: ['commit', '-m', `chore(release): ${d.dir ? d.tag : d.nextVersion}`], why: 'the release commit the tag points at' });
  }
  const remoteName = input.remote ?? 'origin';
  remote.push({ id: 'tag', kind: 'git.tag', approval: 'pushPublish', target: d.tag, summary: `Tag ${d.tag} (annotated) at the release commit`, payload: { name: d.tag, message: `Release ${d.tag}\n\n${d.notes}`.slice(0, 60_000) } });
  const branch = status.branch;
  if (!branch) notes.push('HEAD is detached: only the tag is pushed, no branch.');
  remote.push({ id: 'push', kind: 'git.push', approval: 'pushPublish', target: remoteName, summary: `Push ${branch ? `${branch} and ` : ''}${d.tag} to ${remoteName}`, payload: { remote: remoteName, refs: [...(branch ? [branch] : []), `refs/tags/${d.tag}`], atomic: true }, dependsOn: ['tag'] });
  const publish = publishTarget(ctx, input);
  const prerelease = d.nextVersion.includes('-');
  if (publish === 'github') {
    remote.push({ id: 'release', kind: 'github.release', approval: 'pushPublish', target: `GitHub release ${d.tag}`, summary: `Publish the GitHub release ${d.tag}${prerelease ? ' (pre-release)' : ''} with the notes`, payload: { tag: d.tag, name: d.tag, body: d.notes, prerelease }, dependsOn: ['push'] });
  } else if (publish === 'wiki') {
    remote.push({ id: 'release', kind: 'wiki.page', approval: 'pushPublish', target: `wiki /Releases/${d.tag}`, summary: `Publish the notes of ${d.tag} as the wiki page /Releases/${d.tag}`, payload: { path: `/Releases/${d.tag}`, content: d.notes }, dependsOn: ['push'] });
  } else notes.push('The notes are not published anywhere (no GitHub or Azure DevOps connection, or --publish none); they are in CHANGELOG.md and the tag message.');
  if (input.deploy) {
    const provider = publish === 'github' || (publish === 'none' && ctx.trackers.github()) ? 'github' : 'azure';
    remote.push({
      id: 'deploy',
      kind: 'pipeline.run',
      approval: 'pushPublish',
      target: `${provider === 'github' ? 'workflow' : 'pipeline'} ${input.deploy}`,
      summary: `Run ${input.deploy} for ${d.tag}`,
      payload: { provider, pipeline: input.deploy, ref: `refs/tags/${d.tag}`, parameters: { ...parameters(input.param), version: d.nextVersion }, optional: 'version' in parameters(input.param) ? [] : ['version'] },
      dependsOn: ['push'],
    });
  }
  return { commands, remote, notes };
}
