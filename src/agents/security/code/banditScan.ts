import { z } from 'zod';
import { isDevOpsError } from '../../../core/errors';
import { type AgentContext } from '../../runtime/context';
import { type Finding, type Severity } from '../../runtime/plan';
import { digestOf, fingerprintOf } from '../fingerprint';
import { type Skipped } from '../dependencies/dependencyScan';

const BanditReportSchema = z.object({
  results: z.array(
    z.object({
      filename: z.string(),
      line_number: z.number().int(),
      col_offset: z.number().int().optional(),
      end_col_offset: z.number().int().optional(),
      line_range: z.array(z.number().int()).optional(),
      test_id: z.string(),
      test_name: z.string(),
      issue_severity: z.enum(['HIGH', 'MEDIUM', 'LOW', 'UNDEFINED']),
      issue_text: z.string(),
      more_info: z.string().optional(),
      code: z.string().optional(),
    }).loose(),
  ),
  errors: z.array(z.object({ filename: z.string(), reason: z.string() }).loose()).optional(),
}).loose();

const SEVERITY: Readonly<Record<string, Severity>> = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low', UNDEFINED: 'low' };
export const INSTALL_BANDIT = 'install bandit (Debian/Ubuntu: apt-get install bandit; elsewhere: pipx install bandit) and scan again';

/**
 * Python through bandit, run by the runtime's command runner (policy, approval, audit): one run
 * over the workspace's Python files, its JSON report turned into findings. bandit missing, refused
 * or declined: the category is skipped with why and how to install it.
 */
export async function scanPython(ctx: AgentContext, only?: readonly string[]): Promise<{ findings: Finding[]; skipped: Skipped[]; notes: string[]; files: number }> {
  const files = only ? only.filter((p) => p.endsWith('.py')) : (await ctx.files.list(['**/*.py'], { max: 20_000 })).paths;
  if (!files.length) return { findings: [], skipped: [], notes: [], files: 0 };
  let stdout: string;
  try {
    const result = await ctx.commands.run({ file: 'bandit', args: ['-f', 'json', '-q', ...(only ? [] : ['-r']), ...(only ? files : ['.'])], why: 'Check the Python code for insecure patterns (bandit reads the files and prints a report).', timeoutMs: 10 * 60_000 });
    stdout = result.stdout;
    if (result.timedOut) return { findings: [], skipped: [{ category: 'code', why: `Python (${files.length} files) not checked: bandit did not finish within 10 minutes.` }], notes: [], files: 0 };
  } catch (error) {
    if (isDevOpsError(error) && error.code === 'cancelled') throw error;
    const why = isDevOpsError(error) ? error.message : (error as Error).message;
    return { findings: [], skipped: [{ category: 'code', why: `Python (${files.length} file${files.length === 1 ? '' : 's'}) not checked: ${why.replace(/\.$/, '')}${isDevOpsError(error) && error.code === 'notFound' ? `; ${INSTALL_BANDIT}` : ''}.` }], notes: [], files: 0 };
  }
  let report: z.infer<typeof BanditReportSchema>;
  try {
    report = BanditReportSchema.parse(JSON.parse(stdout));
  } catch {
    return { findings: [], skipped: [{ category: 'code', why: `Python not checked: bandit's report could not be read (${stdout.slice(0, 120).replace(/\s+/g, ' ') || 'no output'}).` }], notes: [], files: 0 };
  }
  const seen = new Map<string, number>();
  const findings = report.results.map((r): Finding => {
    const file = r.filename.replace(/^\.\//, '');
    const snippet = (r.code ?? '').split('\n').find((l) => l.startsWith(`${r.line_number} `))?.slice(String(r.line_number).length + 1).trim() ?? '';
    const key = `${r.test_id}\u0000${file}\u0000${snippet}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return {
      ruleId: `bandit/${r.test_id}`,
      category: 'code',
      severity: SEVERITY[r.issue_severity] ?? 'low',
      message: `${r.issue_text} (bandit ${r.test_id} ${r.test_name})`,
      file,
      line: r.line_number,
      ...(r.col_offset !== undefined ? { column: r.col_offset + 1 } : {}),
      fingerprint: fingerprintOf('code', `bandit/${r.test_id}`, file, digestOf(snippet), n),
      ...(r.more_info ? { helpUri: r.more_info } : {}),
    };
  });
  const notes = (report.errors ?? []).length ? [`bandit could not read ${report.errors!.length} file(s): ${report.errors!.slice(0, 3).map((e) => `${e.filename.replace(/^\.\//, '')} (${e.reason})`).join('; ')}.`] : [];
  return { findings, skipped: [], notes, files: files.length };
}
