import { ReleaseInputSchema, type ReleaseInput } from './releaseInput';

/**
 * `@devops /release …` sentences to the release input, by keywords: the choices are few and named,
 * so no model is needed and the same sentence always means the same. Anything the sentence names
 * is checked by the input's own schema, so a workflow name or prefix the agent would refuse is
 * refused here, with what was wrong.
 */
export type ParsedRelease = { readonly ok: true; readonly input: ReleaseInput; readonly understood: string[] } | { readonly ok: false; readonly message: string };

export function parseReleaseRequest(prompt: string): ParsedRelease {
  const text = prompt.trim();
  const lower = text.toLowerCase();
  const input: Record<string, unknown> = {};
  const understood: string[] = [];

  const as = /\b(?:as|to)\s+(?:a\s+)?(major|minor|patch)\b/.exec(lower) ?? /\b(major|minor|patch)\s+(?:release|version|bump)\b/.exec(lower);
  const version = /\b(?:as|version|to)\s+v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\b/i.exec(text);
  if (version) input['releaseAs'] = version[1];
  else if (as) input['releaseAs'] = as[1];
  const preid = /\b(rc|beta|alpha|preview)\b/.exec(lower)?.[1] ?? (/\bpre-?release\b/.test(lower) ? 'rc' : undefined);
  if (preid && !version) input['preid'] = preid;
  if (/\bstable\b/.test(lower) && !/\bpre-?release\b/.test(lower)) input['stable'] = true;
  const pkg = /\bpackage\s+([\w./@-]+\/[\w.@-]+|[\w.@-]+)/i.exec(text);
  if (pkg && !/^(json|lock)$/i.test(pkg[1]!)) input['package'] = pkg[1]!.replace(/\/$/, '');
  const prefix = /\bprefix\s+["'`]?([A-Za-z0-9._@/-]+)["'`]?/i.exec(text);
  if (prefix) input['tagPrefix'] = prefix[1];
  const deploy = /\bdeploy(?:ing)?\s+(?:it\s+)?(?:with|using|through|via)\s+["'`]?([\w .\\/@+-]+?\.ya?ml|[\w.\\/@+-]+)["'`]?(?=$|[\s,.;])/i.exec(text);
  if (deploy) input['deploy'] = deploy[1];
  if (/\b(?:no|without)\s+(?:publishing|publish|release notes online)\b|\bpublish(?:\s+them)?\s+nowhere\b/.test(lower)) input['publish'] = 'none';
  else if (/\b(?:on|to)\s+(?:the\s+)?(?:azure devops\s+)?wiki\b/.test(lower)) input['publish'] = 'wiki';
  else if (/\b(?:github release|on github|to github)\b/.test(lower)) input['publish'] = 'github';

  const parsed = ReleaseInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `I could not use that: ${issue?.path.join('.') || 'the request'}: ${issue?.message}. Try for example \`@devops /release\`, \`/release as minor\`, \`/release rc\` or \`/release and deploy with deploy.yml\`.` };
  }
  const r = parsed.data;
  understood.push(r.releaseAs ? `version: ${r.releaseAs} (instead of the recommendation)` : r.preid ? `a pre-release (${r.preid})` : r.stable ? 'the stable version (leaving the pre-release series)' : 'the version the commits recommend');
  if (r.package) understood.push(`package: ${r.package}`);
  if (r.tagPrefix !== undefined) understood.push(`tag prefix: ${r.tagPrefix}`);
  understood.push(`notes: ${r.publish === 'none' ? 'not published' : r.publish === 'wiki' ? 'an Azure DevOps wiki page' : r.publish === 'github' ? 'a GitHub release' : 'published where the project is connected'}`);
  understood.push(r.deploy ? `then deploy with ${r.deploy}` : 'no deployment');
  return { ok: true, input: r, understood };
}

/** What `@devops /release …` means: a release (the default), the pending approvals, or a rollback. */
export type ParsedReleaseChat = { readonly ok: true; readonly input: unknown; readonly understood: string[]; readonly action?: 'approvals' | 'rollback' } | { readonly ok: false; readonly message: string };

const APPROVAL_ID = /^(?:[0-9A-Fa-f-]{6,64}|gh-\d+-\d+)$/;

/**
 * `/release approvals` (list what waits), `/release approve <id> [comment]`, `/release reject <id>
 * because …`, `/release rollback [from v1.2.0] [to v1.1.0] [by revert] [with deploy.yml] [in
 * production] because …`; anything else is a release. The agent's input schema checks the rest.
 */
export function parseReleaseChat(prompt: string): ParsedReleaseChat {
  const text = prompt.trim();
  const lower = text.toLowerCase();
  if (/^(?:list\s+|show\s+)?(?:the\s+)?(?:pending\s+)?(?:deployment\s+)?approvals?\b(?!\s+\S)/.test(lower) || /^(?:what|which)\b.*\b(?:waits?|waiting|pending)\b.*\bapprov/.test(lower)) {
    return { ok: true, action: 'approvals', input: {}, understood: ['the deployments waiting for approval (nothing is answered)'] };
  }
  const answer = /^(approve|reject)\s+(\S+)(?:\s+(?:because|with|:|-)?\s*([\s\S]*))?$/i.exec(text);
  if (answer) {
    const decision = answer[1]!.toLowerCase() as 'approve' | 'reject';
    const id = answer[2]!;
    const comment = (answer[3] ?? '').trim();
    if (!APPROVAL_ID.test(id)) return { ok: false, message: `\`${id}\` is not an approval id. List them with \`@devops /release approvals\`, then \`/release ${decision} <id>${decision === 'reject' ? ' because …' : ''}\`.` };
    if (decision === 'reject' && !comment) return { ok: false, message: `Say why: \`/release reject ${id} because the smoke tests failed\` (the reason is recorded with the answer).` };
    return { ok: true, action: 'approvals', input: { [decision]: id, ...(comment ? { comment: comment.slice(0, 1000) } : {}) }, understood: [`${decision} ${id}`, comment ? `comment: ${comment.slice(0, 200)}` : 'no comment'] };
  }
  const rollback = /^(?:roll\s*back|rollback)\b([\s\S]*)$/i.exec(text);
  if (rollback) {
    const rest = rollback[1]!;
    const reason = /\b(?:because|reason:?)\s+([\s\S]+)$/i.exec(rest)?.[1]?.trim();
    const head = reason ? rest.slice(0, rest.search(/\b(?:because|reason:?)\s+/i)) : rest;
    if (!reason) return { ok: false, message: 'Say why: `/release rollback because checkout fails on Safari` (the reason goes on each work item that goes back and in the audit trail). Add `by revert` to revert the commits, `with deploy.yml` for the pipeline, `in production` for the environment.' };
    const input: Record<string, unknown> = { reason: reason.slice(0, 1000) };
    const from = /\bfrom\s+(\S+)/i.exec(head)?.[1];
    const to = /\b(?:back\s+)?to\s+(\S+)/i.exec(head)?.[1];
    if (from) input['from'] = from;
    if (to) input['to'] = to;
    if (/\b(?:by\s+)?revert(?:ing)?\b/i.test(head)) input['method'] = 'revert';
    const deploy = /\b(?:with|using|through|via)\s+["'`]?([\w.\\/@+-]+)["'`]?/i.exec(head)?.[1];
    if (deploy) input['deploy'] = deploy;
    const environment = /\bin\s+([A-Za-z0-9_.-]+)/i.exec(head)?.[1];
    if (environment) input['environment'] = environment;
    if (input['method'] !== 'revert' && !deploy) return { ok: false, message: 'A rollback deploys the earlier release again through its pipeline: name it (`/release rollback with deploy.yml because …`), or roll back `by revert` (a revert commit, pushed).' };
    return {
      ok: true,
      action: 'rollback',
      input,
      understood: [
        `roll back ${from ?? 'the latest release'} to ${to ?? 'the release before it'}`,
        input['method'] === 'revert' ? `by reverting its commits${deploy ? `, then deploy with ${deploy}` : ''}` : `by deploying the earlier release again with ${deploy}`,
        ...(environment ? [`in ${environment}`] : []),
        `reason: ${reason.slice(0, 200)}`,
      ],
    };
  }
  return parseReleaseRequest(prompt);
}
