import { isDevOpsError } from '../../../core/errors';
import { type ComplianceCheck } from '../../../core/security/complianceControls';
import { type AgentContext } from '../../runtime/context';
import { type Finding } from '../../runtime/plan';
import { type ScanOutcome } from '../scan';

const FAILING = new Set(['critical', 'high']);
const LICENSE_FILES = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE', 'LICENCE.md', 'COPYING', 'COPYING.md', 'UNLICENSE'];
const EVIDENCE_ROWS = 25;

const where = (f: Finding): string => `${f.file ?? '(no file)'}${f.line ? `:${f.line}` : ''}`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Up to EVIDENCE_ROWS lines, then how many more there are. */
function capped(lines: string[]): string[] {
  return lines.length <= EVIDENCE_ROWS ? lines : [...lines.slice(0, EVIDENCE_ROWS), `… and ${lines.length - EVIDENCE_ROWS} more (see the SARIF report)`];
}

/** Secrets: passed only when the whole workspace was read and nothing unaccepted was found. */
export function secretsCheck(outcome: ScanOutcome): ComplianceCheck {
  const fact = outcome.facts.find((f) => f.label === 'Secrets')?.value;
  if (outcome.incomplete.includes('secrets')) return { id: 'secrets', status: 'notChecked', evidence: fact ? [fact] : [], why: 'The file limit was reached, so part of the workspace was not read.' };
  const found = outcome.findings.filter((f) => f.category === 'secrets');
  const open = found.filter((f) => !f.suppressed);
  const accepted = found.filter((f) => f.suppressed);
  return {
    id: 'secrets',
    status: open.length ? 'failed' : 'passed',
    evidence: [
      ...(fact ? [fact] : []),
      ...capped(open.map((f) => `${f.ruleId} at ${where(f)} (fingerprint ${f.fingerprint})`)),
      ...capped(accepted.map((f) => `accepted in .devops/security-baseline.json: ${f.ruleId} at ${where(f)}`)),
    ],
  };
}

/** Dependencies: not checked when an advisory service could not be asked or no lockfile exists; failed at high or above. */
export function dependenciesCheck(outcome: ScanOutcome): ComplianceCheck {
  const fact = outcome.facts.find((f) => f.label === 'Dependencies')?.value;
  const skipped = outcome.skipped.filter((s) => s.category === 'dependencies');
  if (skipped.length) return { id: 'dependencies', status: 'notChecked', evidence: fact ? [fact] : [], why: skipped.map((s) => s.why).join(' ') };
  if (fact?.includes(' in 0 lockfiles')) return { id: 'dependencies', status: 'notChecked', evidence: [fact], why: 'No lockfile in the workspace (package-lock.json, yarn.lock, pnpm-lock.yaml, requirements*.txt, poetry.lock, uv.lock): the versions in use cannot be known.' };
  const open = outcome.findings.filter((f) => f.category === 'dependencies' && !f.suppressed);
  const failing = open.filter((f) => FAILING.has(f.severity));
  const bySeverity = ['critical', 'high', 'medium', 'low', 'info'].map((s) => [s, open.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  return {
    id: 'dependencies',
    status: failing.length ? 'failed' : 'passed',
    evidence: [
      ...(fact ? [fact] : []),
      ...(bySeverity.length ? [`open advisories by severity: ${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')}`] : []),
      ...capped(failing.map((f) => `${f.severity}: ${f.message}`)),
    ],
  };
}

/** Branch protection and required reviewers of each connected repository; a refusal is "not checked" with the service's reason. */
export async function repositoryChecks(ctx: AgentContext): Promise<ComplianceCheck[]> {
  const readers = ctx.providers.repositoryControls ?? [];
  if (!readers.length) {
    const why = 'No Azure DevOps project or GitHub repository is connected (aiDevops.azureDevOps.organizationUrl and project, or aiDevops.github.owner and repo), so branch policies could not be read.';
    return [
      { id: 'branchProtection', status: 'notChecked', evidence: [], why },
      { id: 'requiredReviewers', status: 'notChecked', evidence: [], why },
    ];
  }
  const checks: ComplianceCheck[] = [];
  for (const reader of readers) {
    try {
      const c = await reader.branchControls(ctx.signal);
      const policies = c.policies.length ? `policies on ${c.branch}: ${c.policies.join('; ')}` : `no policy applies to ${c.branch}`;
      const link = c.url ? [`settings: ${c.url}`] : [];
      checks.push({ id: 'branchProtection', subject: c.source, status: c.protected ? 'passed' : 'failed', evidence: [`${c.branch} is ${c.protected ? '' : 'not '}protected`, policies, ...link] });
      checks.push({ id: 'requiredReviewers', subject: c.source, status: c.requiredReviewers >= 1 ? 'passed' : 'failed', evidence: [`${plural(c.requiredReviewers, 'approving reviewer')} required on ${c.branch}`, ...link] });
    } catch (error) {
      if (isDevOpsError(error) && error.code === 'cancelled') throw error;
      const why = `${reader.name}: ${error instanceof Error ? error.message : String(error)}`;
      checks.push({ id: 'branchProtection', subject: reader.name, status: 'notChecked', evidence: [], why });
      checks.push({ id: 'requiredReviewers', subject: reader.name, status: 'notChecked', evidence: [], why });
    }
  }
  return checks;
}

/** The audit trail through the core chain verifier: damage fails, an empty trail proves nothing. */
export async function auditTrailCheck(ctx: AgentContext): Promise<ComplianceCheck> {
  const trail = ctx.providers.auditTrail;
  if (!trail) return { id: 'auditTrail', status: 'notChecked', evidence: [], why: 'The audit trail is not available to this run.' };
  try {
    const r = await trail.verify(ctx.signal);
    if (!r.ok) return { id: 'auditTrail', status: 'failed', evidence: [`${r.file} line ${r.line}: ${r.kind}. ${r.detail}`, `${plural(r.count, 'event')} verified before it`] };
    if (r.count === 0) return { id: 'auditTrail', status: 'notChecked', evidence: [], why: 'The audit trail (.devops/audit) holds no events yet, so there is nothing to verify.' };
    return { id: 'auditTrail', status: 'passed', evidence: [`${plural(r.count, 'event')} in ${plural(r.files, 'file')} verified against the hash chain`, `chain head ${r.head}`] };
  } catch (error) {
    if (isDevOpsError(error) && error.code === 'cancelled') throw error;
    return { id: 'auditTrail', status: 'notChecked', evidence: [], why: `The audit trail could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** A license file at the workspace's root. */
export async function licenseCheck(ctx: AgentContext): Promise<ComplianceCheck> {
  for (const name of LICENSE_FILES) {
    const file = await ctx.files.read(name).catch((e: unknown) => (isDevOpsError(e) && e.code === 'invalidInput' ? undefined : Promise.reject(e)));
    if (!file) continue;
    const first = file.text.split('\n').map((l) => l.trim()).find(Boolean) ?? '(empty)';
    return { id: 'license', status: file.text.trim() ? 'passed' : 'failed', evidence: [`${name}: ${first.slice(0, 120)}`] };
  }
  return { id: 'license', status: 'failed', evidence: [`none of ${LICENSE_FILES.join(', ')} at the workspace root`] };
}
