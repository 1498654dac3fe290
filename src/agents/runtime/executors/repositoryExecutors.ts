import { z } from 'zod';
import { CODE_HOSTS, type CodeHostKind, type CodeHosts } from '../../../core/boards/codeHost';
import { DevOpsError } from '../../../core/errors';
import { type RemoteExecutor } from '../remote';
import { payloadOf } from './payload';

const BRANCH = z.string().min(1).max(250).regex(/^(?!-)(?!.*\.\.)[^\s~^:?*[\\]+$/, 'a branch name');
const PullRequestPayload = z
  .object({
    host: z.enum(CODE_HOSTS),
    repository: z.string().min(1).max(200).optional(),
    sourceBranch: BRANCH,
    targetBranch: BRANCH,
    title: z.string().min(1).max(400),
    description: z.string().max(4_000),
    workItemIds: z.array(z.number().int().positive()).max(50).optional(),
    isDraft: z.boolean().optional(),
  })
  .strict();
const WikiPagePayload = z
  .object({
    path: z
      .string()
      .min(2)
      .max(235)
      .regex(/^\/[^#?]*$/, 'a wiki path such as /Folder/Page (no # or ?)'),
    content: z.string().max(2_000_000),
  })
  .strict();

const HOST_NAME: Record<CodeHostKind, string> = { azureRepos: 'Azure DevOps', github: 'GitHub' };

/** `pullRequest.create` (Azure Repos or GitHub) and `wiki.page` (the Azure DevOps project wiki). */
export function repositoryExecutors(hosts: CodeHosts | undefined): RemoteExecutor[] {
  return [
    {
      kind: 'pullRequest.create',
      execute: async (change, context) => {
        const p = payloadOf(change, PullRequestPayload);
        if (!hosts) throw new DevOpsError('notConfigured', `${HOST_NAME[p.host]} is not connected; sign in (AI DevOps: Sign In) and run the agent again.`);
        const arrow = `${p.sourceBranch} → ${p.targetBranch}`;
        const outcome = await hosts.openPullRequest(
          p.host,
          {
            sourceBranch: p.sourceBranch,
            targetBranch: p.targetBranch,
            title: p.title,
            description: p.description,
            ...(p.repository ? { repository: p.repository } : {}),
            ...(p.workItemIds ? { workItemIds: p.workItemIds } : {}),
            ...(p.isDraft !== undefined ? { isDraft: p.isDraft } : {}),
          },
          // Stable across a resumed plan: the outbox makes the same change once.
          { clientId: `${context.runId}:${change.id}`, correlationId: context.runId, signal: context.signal },
        );
        switch (outcome.kind) {
          case 'applied':
            return { kind: 'applied', detail: `${outcome.existed ? 'pull request already open' : 'opened pull request'} !${outcome.id} (${arrow})`, url: outcome.url, result: { id: outcome.id, url: outcome.url } };
          case 'queued':
            return { kind: 'queued', detail: `pull request ${arrow}: waiting in the outbox (${outcome.reason})` };
          case 'refused':
            return { kind: 'refused', detail: `pull request ${arrow}: ${outcome.message}` };
        }
      },
    },
    {
      kind: 'wiki.page',
      execute: async (change, context) => {
        const p = payloadOf(change, WikiPagePayload);
        if (!hosts) throw new DevOpsError('notConfigured', 'Azure DevOps is not connected, so there is no project wiki to write to; sign in (AI DevOps: Sign In) and run the agent again.');
        const outcome = await hosts.writeWikiPage(p.path, p.content, { clientId: `${context.runId}:${change.id}`, correlationId: context.runId, signal: context.signal });
        switch (outcome.kind) {
          case 'applied': {
            const verb = outcome.created === undefined ? 'wrote' : outcome.created ? 'created' : 'updated';
            return { kind: 'applied', detail: `${verb} the wiki page ${p.path}`, ...(outcome.url ? { url: outcome.url, result: { url: outcome.url } } : {}) };
          }
          case 'queued':
            return { kind: 'queued', detail: `wiki page ${p.path}: waiting in the outbox (${outcome.reason})` };
          case 'refused':
            return { kind: 'refused', detail: `wiki page ${p.path}: ${outcome.message}` };
        }
      },
    },
  ];
}
