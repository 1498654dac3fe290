import { z } from 'zod';
import { COMPLIANCE_CHECKS, CONTROL_MAP, type CheckStatus, type ComplianceCheck } from '../../../core/security/complianceControls';
import { renderHtml, renderMarkdown, type ReportDocument, type ReportSection } from '../../../core/security/reportDocument';
import { type AgentAction } from '../../runtime/context';
import { emptyPlan } from '../../runtime/plan';
import { runScan } from '../scan';
import { auditTrailCheck, dependenciesCheck, licenseCheck, repositoryChecks, secretsCheck } from './complianceChecks';
import { reportEdit } from './reportFiles';

export const COMPLIANCE_MARKDOWN = '.devops/reports/compliance.md';
export const COMPLIANCE_HTML = '.devops/reports/compliance.html';

const STATUS_WORD: Readonly<Record<CheckStatus, string>> = { passed: 'Passed', failed: 'Failed', notChecked: 'Not checked' };

const titleOf = (c: ComplianceCheck): string => `${CONTROL_MAP[c.id].title}${c.subject ? ` (${c.subject})` : ''}`;
const orNone = (list: readonly string[]): string => (list.length ? list.join('; ') : '(none)');

/** The report as data: the verdicts, the control map, and the evidence for each check. */
export function complianceDocument(checks: readonly ComplianceCheck[], meta: { generatedAt: string; workspace: string; by: string }): ReportDocument {
  const count = (s: CheckStatus): number => checks.filter((c) => c.status === s).length;
  const sections: ReportSection[] = [
    {
      heading: 'Checks',
      blocks: [{ kind: 'table', headers: ['Check', 'Result', 'SOX', 'GDPR', 'HIPAA'], rows: checks.map((c) => [titleOf(c), STATUS_WORD[c.status], orNone(CONTROL_MAP[c.id].sox), orNone(CONTROL_MAP[c.id].gdpr), orNone(CONTROL_MAP[c.id].hipaa)]) }],
    },
    ...checks.map(
      (c): ReportSection => ({
        heading: `${titleOf(c)}: ${STATUS_WORD[c.status]}`,
        blocks: [
          { kind: 'paragraph', text: CONTROL_MAP[c.id].criterion },
          ...(c.why ? [{ kind: 'paragraph' as const, text: `Not checked: ${c.why}` }] : []),
          { kind: 'list', items: c.evidence },
        ],
      }),
    ),
    {
      heading: 'How the controls are mapped',
      blocks: [
        {
          kind: 'paragraph',
          text: 'The mapping names the control each check gives evidence for: SOX IT general controls (access to programs and data, program changes, computer operations), GDPR articles and HIPAA Security Rule sections (45 CFR Part 164). A passed check is evidence, not certification; a check not checked says nothing either way. The license check maps to none of the three and is here because audits ask for it.',
        },
      ],
    },
  ];
  return {
    title: 'Compliance report',
    facts: [
      ['Generated', meta.generatedAt],
      ['Workspace', meta.workspace],
      ['By', meta.by],
      ['Result', `${count('passed')} passed, ${count('failed')} failed, ${count('notChecked')} not checked`],
    ],
    sections,
  };
}

const ReportInput = z.object({}).strict();

/**
 * `security report`: secrets and dependency advisories scanned, branch policies and required
 * reviewers read from the connected services, the audit trail verified, the license file found;
 * written as Markdown and HTML under .devops/reports/ (file writes, approved like any other).
 */
export const reportAction: AgentAction<z.infer<typeof ReportInput>> = {
  name: 'report',
  description: `Compliance report (${COMPLIANCE_MARKDOWN} and .html): checks mapped to SOX, GDPR and HIPAA controls, passed, failed or not checked, with the evidence.`,
  input: ReportInput,
  plan: async (ctx) => {
    const outcome = await runScan(ctx, { categories: ['secrets', 'dependencies'] });
    await ctx.step('Reading branch policies and verifying the audit trail');
    const checks: ComplianceCheck[] = [secretsCheck(outcome), dependenciesCheck(outcome), ...(await repositoryChecks(ctx)), await auditTrailCheck(ctx), await licenseCheck(ctx)];
    checks.sort((a, b) => COMPLIANCE_CHECKS.indexOf(a.id) - COMPLIANCE_CHECKS.indexOf(b.id));
    const doc = complianceDocument(checks, { generatedAt: ctx.now().toISOString(), workspace: ctx.files.root.split(/[\\/]/).filter(Boolean).at(-1) ?? ctx.files.root, by: ctx.user ?? 'unknown' });
    const failed = checks.filter((c) => c.status === 'failed');
    const notChecked = checks.filter((c) => c.status === 'notChecked');
    return {
      ...emptyPlan('security', 'report', 'Compliance report'),
      summary: `${checks.length - failed.length - notChecked.length} of ${checks.length} checks passed${failed.length ? `; failed: ${failed.map(titleOf).join(', ')}` : ''}${notChecked.length ? `; not checked: ${notChecked.map(titleOf).join(', ')}` : ''}.`,
      facts: [...outcome.facts, ...checks.map((c) => ({ label: titleOf(c), value: c.status === 'notChecked' ? `not checked: ${c.why ?? ''}` : STATUS_WORD[c.status] }))],
      findings: outcome.findings,
      checkedCategories: ['secrets', 'dependencies'],
      notes: outcome.notes,
      edits: [await reportEdit(ctx.files, COMPLIANCE_MARKDOWN, renderMarkdown(doc), 'the compliance report'), await reportEdit(ctx.files, COMPLIANCE_HTML, renderHtml(doc), 'the compliance report as a page')],
      result: { checks: checks.map((c) => ({ id: c.id, title: CONTROL_MAP[c.id].title, subject: c.subject ?? null, status: c.status, evidence: c.evidence, why: c.why ?? null, sox: CONTROL_MAP[c.id].sox, gdpr: CONTROL_MAP[c.id].gdpr, hipaa: CONTROL_MAP[c.id].hipaa })), reports: [COMPLIANCE_MARKDOWN, COMPLIANCE_HTML] },
    };
  },
};
