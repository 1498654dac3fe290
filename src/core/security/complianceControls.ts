/**
 * Which check of the compliance report is evidence for which control. The mapping is ours, made
 * from the texts named here; an auditor decides what suffices. SOX has no control catalogue of its
 * own: its IT general controls (ITGC) for section 404 are grouped as access to programs and data,
 * program changes and computer operations, which is how they are named here.
 */
export const COMPLIANCE_CHECKS = ['secrets', 'dependencies', 'branchProtection', 'requiredReviewers', 'auditTrail', 'license'] as const;
export type ComplianceCheckId = (typeof COMPLIANCE_CHECKS)[number];

export interface ControlMapping {
  readonly title: string;
  /** What passing means, one sentence. */
  readonly criterion: string;
  readonly sox: readonly string[];
  readonly gdpr: readonly string[];
  readonly hipaa: readonly string[];
}

export const CONTROL_MAP: Readonly<Record<ComplianceCheckId, ControlMapping>> = {
  secrets: {
    title: 'No secrets committed',
    criterion: 'No credential, key or token is committed in the workspace (accepted findings are listed as suppressed).',
    sox: ['ITGC access to programs and data: credentials kept out of source'],
    gdpr: ['Art. 32(1)(b) confidentiality of processing systems'],
    hipaa: ['§164.312(a)(1) access control', '§164.312(d) person or entity authentication'],
  },
  dependencies: {
    title: 'No high or critical vulnerable dependency',
    criterion: 'No locked package has an open advisory of high or critical severity (npm registry and OSV).',
    sox: ['ITGC computer operations: vulnerability management'],
    gdpr: ['Art. 32(1)(d) regular testing and evaluation of security measures'],
    hipaa: ['§164.308(a)(1)(ii)(A) risk analysis', '§164.308(a)(1)(ii)(B) risk management'],
  },
  branchProtection: {
    title: 'Default branch protected',
    criterion: 'The default branch cannot be changed without the policies the service enforces (blocking branch policies, branch protection or an active ruleset).',
    sox: ['ITGC program changes: changes are authorised before they reach production code'],
    gdpr: ['Art. 25 data protection by design', 'Art. 32(1)(b) integrity of processing systems'],
    hipaa: ['§164.312(c)(1) integrity'],
  },
  requiredReviewers: {
    title: 'A reviewer other than the author is required',
    criterion: 'Pull requests into the default branch need at least one approving reviewer, enforced by the service.',
    sox: ['ITGC program changes: segregation of duties (independent review and approval)'],
    gdpr: ['Art. 32(1)(b) integrity of processing systems'],
    hipaa: ['§164.312(c)(1) integrity', '§164.308(a)(1)(ii)(D) information system activity review'],
  },
  auditTrail: {
    title: 'Audit trail intact',
    criterion: 'Every event in .devops/audit verifies against its hash chain (nothing edited, dropped, reordered or truncated).',
    sox: ['ITGC computer operations: logging and monitoring of changes', 'Section 404: evidence of control operation'],
    gdpr: ['Art. 5(2) accountability', 'Art. 30 records of processing activities'],
    hipaa: ['§164.312(b) audit controls'],
  },
  license: {
    title: 'License file present',
    criterion: 'The workspace states its license in a LICENSE or COPYING file.',
    sox: [],
    gdpr: [],
    hipaa: [],
  },
};

export type CheckStatus = 'passed' | 'failed' | 'notChecked';

/** One row of the report: a check against one subject (the workspace, or one repository). */
export interface ComplianceCheck {
  readonly id: ComplianceCheckId;
  /** What was checked when there is more than one subject (`GitHub contoso/web`). */
  readonly subject?: string;
  readonly status: CheckStatus;
  /** What the verdict rests on: counts, files and lines, policies by name, the chain's head. Never a secret's value. */
  readonly evidence: readonly string[];
  /** For notChecked: why, and what would make it checkable. */
  readonly why?: string;
}
