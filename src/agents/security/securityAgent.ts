import { z } from 'zod';
import { DevOpsError } from '../../core/errors';
import { version } from '../../../package.json';
import { type AgentAction, type AgentContext, type AgentDefinition } from '../runtime/context';
import { type AgentPlan, emptyPlan, type Finding, type FileEdit } from '../runtime/plan';
import { toSarif } from '../runtime/sarif';
import { BASELINE_PATH, loadBaseline, suppressionEdit } from './baseline';
import { CATEGORIES, type Category, runScan, type ScanOutcome } from './scan';
import { exportAction } from './compliance/auditExport';
import { reportAction } from './compliance/complianceReport';
import { workItemsAction } from './workItems';

export const SARIF_REPORT_PATH = '.devops/reports/security.sarif';

const CategoryList = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(CATEGORIES)).min(1));

const ScanInput = z
  .object({
    /** Categories to scan (default all); the CLI takes `--only secrets,code`. */
    only: CategoryList.optional(),
    /** Workspace-relative files to scan instead of the whole workspace (the editor's re-scan on save). */
    files: z.array(z.string().min(1).max(1000)).max(1000).optional(),
    /** Also the git history: `unpushed` (commits not yet pushed) or `all`. */
    history: z.enum(['unpushed', 'all']).optional(),
    /** Write the SARIF report to .devops/reports/security.sarif (a file change, approved like any other). */
    reports: z.boolean().optional(),
  })
  .strict();
type ScanInput = z.infer<typeof ScanInput>;

/** The JSON the CLI prints (the issue's shape): never a secret, only where it is. */
function slim(f: Finding): Record<string, string | number | boolean | null> {
  return { ruleId: f.ruleId, category: f.category ?? null, severity: f.severity, file: f.file ?? null, line: f.line ?? null, fingerprint: f.fingerprint, suppressed: Boolean(f.suppressed), message: f.message, helpUri: f.helpUri ?? null };
}

export function sarifEdit(existing: { sha256: string } | undefined, findings: readonly Finding[]): FileEdit {
  const content = `${JSON.stringify(toSarif(findings, { name: 'ai-devops security', version, informationUri: 'https://github.com/secretlint/secretlint' }), null, 2)}\n`;
  return existing ? { path: SARIF_REPORT_PATH, action: 'modify', content, baseSha256: existing.sha256, why: 'the scan as SARIF 2.1.0' } : { path: SARIF_REPORT_PATH, action: 'create', content, why: 'the scan as SARIF 2.1.0' };
}

function summaryOf(outcome: ScanOutcome): string {
  const open = outcome.findings.filter((f) => !f.suppressed);
  const by = (c: Category): number => open.filter((f) => f.category === c).length;
  const parts = CATEGORIES.map((c) => `${by(c)} ${c}`).join(', ');
  return `${open.length} open finding${open.length === 1 ? '' : 's'} (${parts})${outcome.findings.length > open.length ? `, ${outcome.findings.length - open.length} suppressed` : ''}${outcome.skipped.length ? `; ${outcome.skipped.length} part${outcome.skipped.length === 1 ? '' : 's'} not checked` : ''}.`;
}

const scan: AgentAction<ScanInput> = {
  name: 'scan',
  description: 'Scan the workspace for secrets, vulnerable dependencies, insecure code and infrastructure; findings, SARIF and what was not checked.',
  input: ScanInput,
  options: {
    only: { type: 'string', description: `Comma-separated categories to scan (${CATEGORIES.join(', ')}; default all).` },
    files: { type: 'string', multiple: true, description: 'Scan only this workspace file (repeatable).' },
    history: { type: 'string', description: 'Also scan git history for secrets: unpushed (commits not yet pushed) or all.' },
    reports: { type: 'boolean', description: `Also write ${SARIF_REPORT_PATH}.` },
  },
  plan: async (ctx, input) => {
    const outcome = await runScan(ctx, { categories: input.only ?? [...CATEGORIES], ...(input.files ? { files: input.files } : {}), ...(input.history ? { history: input.history } : {}) });
    const plan: AgentPlan = { ...emptyPlan('security', 'scan', 'Security scan'), summary: summaryOf(outcome), facts: outcome.facts, findings: outcome.findings, notes: outcome.notes, ...(input.only ? { checkedCategories: input.only } : {}) };
    if (input.reports) plan.edits.push(sarifEdit(await ctx.files.read(SARIF_REPORT_PATH), outcome.findings));
    plan.result = { findings: outcome.findings.map(slim), skipped: outcome.skipped.map((s) => ({ category: s.category, why: s.why })) };
    return plan;
  },
};

const SuppressInput = z
  .object({
    fingerprint: z.string().regex(/^[0-9a-f]{32}$/, 'a finding fingerprint (32 hex digits, from the scan)'),
    reason: z.string().trim().min(3, 'a reason of at least three characters').max(1000),
    ruleId: z.string().min(1).max(200).optional(),
    file: z.string().max(1000).optional(),
  })
  .strict();

/** The finding a fingerprint names, found by scanning again (the CLI knows only the fingerprint). */
async function findingFor(ctx: AgentContext, fingerprint: string, file: string | undefined): Promise<Finding> {
  const outcome = await runScan(ctx, { categories: [...CATEGORIES], ...(file ? { files: [file] } : {}) });
  const found = outcome.findings.find((f) => f.fingerprint === fingerprint);
  if (!found) throw new DevOpsError('notFound', `No current finding has the fingerprint ${fingerprint}; scan again (ai-devops security scan --json) and copy it from there.`);
  return found;
}

const suppress: AgentAction<z.infer<typeof SuppressInput>> = {
  name: 'suppress',
  description: `Accept one finding with a reason: recorded in ${BASELINE_PATH} with who and when; it stays in reports as suppressed.`,
  input: SuppressInput,
  positionals: ['fingerprint'],
  options: {
    reason: { type: 'string', description: 'Why the finding is accepted (required).' },
    ruleId: { type: 'string', description: 'The rule of the finding (found by scanning again when omitted).' },
    file: { type: 'string', description: 'The file of the finding (scans only that file to find it).' },
  },
  plan: async (ctx, input) => {
    const loaded = await loadBaseline(ctx.files);
    const finding = input.ruleId ? undefined : await findingFor(ctx, input.fingerprint, input.file);
    const ruleId = input.ruleId ?? finding!.ruleId;
    const file = input.file ?? finding?.file;
    const by = ctx.user ?? 'unknown';
    const edit = suppressionEdit(loaded, { fingerprint: input.fingerprint, ruleId, ...(file ? { file } : {}), reason: input.reason, by, at: ctx.now().toISOString() });
    return {
      ...emptyPlan('security', 'suppress', `Suppress ${ruleId}${file ? ` in ${file}` : ''}`),
      summary: `Records in ${BASELINE_PATH} that ${by} accepted this finding: "${input.reason}". It stays in reports, marked suppressed.`,
      edits: [edit],
    };
  },
};

export const securityAgent: AgentDefinition = {
  id: 'security',
  title: 'Security',
  description: 'Secrets, vulnerable dependencies, insecure code and infrastructure: findings in Problems and SARIF, suppressions, work items, compliance.',
  defaultAction: 'scan',
  actions: [scan, suppress, workItemsAction, reportAction, exportAction],
};

