import * as vscode from 'vscode';
import { type AgentCommand } from './agentCommands';

/** A finding passed by a quick fix or a test: enough to record a suppression without scanning again. */
interface FindingRef {
  readonly fingerprint: string;
  readonly ruleId?: string;
  readonly file?: string;
  readonly reason?: string;
}

const DAY = 86_400_000;
const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

/** The period of an audit export: a few common ones, or days typed in. */
async function pickPeriod(): Promise<{ since?: string; until?: string; days?: number } | undefined> {
  const now = new Date();
  const picks: (vscode.QuickPickItem & { input?: { since?: string; until?: string; days?: number } })[] = [
    { label: 'Last 7 days', input: { days: 7 } },
    { label: 'Last 30 days', input: { days: 30 } },
    { label: 'Last 90 days', input: { days: 90 } },
    { label: 'This month', input: { since: `${dayOf(now).slice(0, 8)}01` } },
    { label: 'Last month', input: { since: dayOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))), until: dayOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - DAY)) } },
    { label: 'Choose the days…' },
  ];
  const picked = await vscode.window.showQuickPick(picks, { title: 'Export Compliance Report: which period of the audit trail?' });
  if (!picked) return undefined;
  if (picked.input) return picked.input;
  const valid = (v: string): string | undefined => (/^\d{4}-\d{2}-\d{2}$/.test(v.trim()) && !Number.isNaN(Date.parse(`${v.trim()}T00:00:00Z`)) && new Date(`${v.trim()}T00:00:00Z`).toISOString().slice(0, 10) === v.trim() ? undefined : 'A day as YYYY-MM-DD');
  const since = await vscode.window.showInputBox({ title: 'First day (UTC)', value: dayOf(new Date(now.getTime() - 30 * DAY)), validateInput: valid });
  if (since === undefined) return undefined;
  const until = await vscode.window.showInputBox({ title: 'Last day (UTC)', value: dayOf(now), validateInput: valid });
  if (until === undefined) return undefined;
  return { since: since.trim(), until: until.trim() };
}

const isFindingRef = (v: unknown): v is FindingRef => typeof v === 'object' && v !== null && typeof (v as FindingRef).fingerprint === 'string';

/**
 * The security agent's palette commands: the scan (every category; findings to Problems, one
 * collection per category), filing security work items, the compliance report and the audit
 * trail's export for a period, and a suppression with a reason (from a quick fix, which passes the
 * finding; the reason is asked for).
 */
export const SECURITY_COMMANDS: readonly AgentCommand[] = [
  {
    command: 'aiDevops.security.scan',
    agent: 'security',
    action: 'scan',
    collect: async (args) => (args[0] && typeof args[0] === 'object' ? args[0] : {}),
  },
  // The tracker, type and threshold come from the defaults; the review lists every item before anything is filed or closed.
  {
    command: 'aiDevops.security.fileWorkItems',
    agent: 'security',
    action: 'workitems',
    collect: async (args) => (args[0] && typeof args[0] === 'object' ? args[0] : {}),
  },
  // Secrets, dependencies, branch policies, the audit trail and the license; the review shows both report files before they are written.
  {
    command: 'aiDevops.security.complianceReport',
    agent: 'security',
    action: 'report',
    collect: async (args) => (args[0] && typeof args[0] === 'object' ? args[0] : {}),
  },
  {
    command: 'aiDevops.security.exportCompliance',
    agent: 'security',
    action: 'export',
    collect: async (args) => (args[0] && typeof args[0] === 'object' ? args[0] : pickPeriod()),
  },
  {
    command: 'aiDevops.security.suppress',
    agent: 'security',
    action: 'suppress',
    collect: async (args) => {
      const ref = args[0];
      if (!isFindingRef(ref)) {
        void vscode.window.showInformationMessage('Suppress a security finding from its quick fix in the Problems panel or the editor (Ctrl+.).');
        return undefined;
      }
      const reason =
        ref.reason ??
        (await vscode.window.showInputBox({
          title: `Suppress ${ref.ruleId ?? 'this finding'}`,
          prompt: 'Why is this finding accepted? Recorded in .devops/security-baseline.json with your name and the time; it stays in reports as suppressed.',
          validateInput: (v) => (v.trim().length >= 3 ? undefined : 'A reason of at least three characters'),
        }));
      if (reason === undefined) return undefined;
      return { fingerprint: ref.fingerprint, reason: reason.trim(), ...(ref.ruleId ? { ruleId: ref.ruleId } : {}), ...(ref.file ? { file: ref.file } : {}) };
    },
  },
];
