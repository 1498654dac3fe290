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
