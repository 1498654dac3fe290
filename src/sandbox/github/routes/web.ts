import { type GhRouteDef } from '../http/routes';
import { type IssueRecord, type ProjectRecord, type RepoRecord } from '../state/model';
import { type GitHubState } from '../state/state';

export const WEB_ROUTE = 'web.page';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)} · GitHub sandbox</title>
<style>body{font:14px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}.note{color:#57606a;border-left:3px solid #d0d7de;padding-left:.75rem}.label{display:inline-block;border-radius:1em;padding:0 .6em;margin-right:.3em;font-size:12px;border:1px solid #d0d7de}pre{white-space:pre-wrap}</style>
</head><body>
<p class="note">This is the AI DevOps sandbox, a local stand-in for GitHub: nothing here is on github.com.</p>
${body}
</body></html>`;
}

function issuePage(repo: RepoRecord, i: IssueRecord): string {
  const kind = i.pull ? 'Pull request' : 'Issue';
  const state = i.pull?.merged ? 'merged' : i.state + (i.stateReason && i.state === 'closed' ? ` (${i.stateReason.replace('_', ' ')})` : '');
  const labels = i.labels.map((l) => `<span class="label">${escape(l)}</span>`).join('');
  const comments = i.comments.map((c) => `<h3>${escape(c.user)} · ${escape(c.createdAt)}</h3><pre>${escape(c.body)}</pre>`).join('\n');
  return page(
    `${i.title} · #${i.number}`,
    `<p>${escape(repo.owner)}/${escape(repo.name)} · ${kind} #${i.number} · ${escape(state)}</p>
<h1>${escape(i.title)}</h1>
<p>${labels}</p>
<p>Opened by ${escape(i.user)} · assignees: ${escape(i.assignees.join(', ') || 'none')}</p>
<pre>${escape(i.body ?? '')}</pre>
${comments}`,
  );
}

function projectPage(state: GitHubState, p: ProjectRecord): string {
  const status = p.fields.find((f) => f.name === 'Status');
  const columns = [...(status?.options ?? []).map((o) => ({ id: o.id, name: o.name })), { id: '', name: 'No Status' }];
  const titleOf = (it: ProjectRecord['items'][number]) => {
    if (it.draft) return `Draft: ${it.draft.title}`;
    const repo = it.repoId === null ? undefined : state.repoById(it.repoId);
    const issue = repo && it.number !== null ? state.issue(repo, it.number) : undefined;
    return issue ? `#${issue.number} ${issue.title}` : '(no access)';
  };
  const body = columns
    .map((c) => {
      const items = p.items.filter((it) => !it.archived && ((status && (it.values[String(status.id)] as { optionId?: string } | undefined)?.optionId) ?? '') === c.id);
      return `<h2>${escape(c.name)} (${items.length})</h2><ul>${items.map((it) => `<li>${escape(titleOf(it))}</li>`).join('')}</ul>`;
    })
    .join('\n');
  return page(p.title, `<h1>${escape(p.title)}</h1><p>${escape(p.shortDescription ?? '')}</p>${body}`);
}

/**
 * The pages `html_url` and GraphQL `url` point at (`<base>/web/...`), so "open in browser" in the
 * sandbox shows the issue, pull request or project instead of an error. Served without a token
 * (a browser has none) and free of the rate limit; not part of GitHub's API.
 */
export const webRoutes: readonly GhRouteDef[] = [
  {
    name: WEB_ROUTE,
    method: 'GET',
    pattern: '/web/*rest',
    docs: 'https://docs.github.com',
    free: true,
    handler: (ctx) => {
      const parts = ctx.param('rest').split('/').filter((p) => p !== '');
      const html = (status: number, text: string) => ({ status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: text });
      const [a, b, c, d] = parts;
      if (a === 'orgs' && b && c === 'projects' && d) {
        const p = ctx.state.project(b, Number(d));
        if (p) return html(200, projectPage(ctx.state, p));
      }
      if (a && b && (c === 'issues' || c === 'pull') && d) {
        const repo = ctx.state.repo(a, b);
        const issue = repo ? ctx.state.issue(repo, Number(d)) : undefined;
        if (repo && issue) return html(200, issuePage(repo, issue));
      }
      return html(404, page('Not found', `<h1>Not found</h1><p>The sandbox has no page for <code>/${escape(parts.join('/'))}</code>; it serves issues, pull requests and projects.</p>`));
    },
  },
];
