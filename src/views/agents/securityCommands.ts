import * as vscode from 'vscode';
import { type AgentCommand } from './agentCommands';

/** A finding passed by a quick fix or a test: enough to record a suppression without scanning again. */
interface FindingRef {
  readonly fingerprint: string;
  readonly ruleId?: string;
  readonly file?: string;
  readonly reason?: string;
}

const isFindingRef = (v: unknown): v is FindingRef => typeof v === 'object' && v !== null && typeof (v as FindingRef).fingerprint === 'string';

/**
 * The security agent's palette commands: the scan (every category; findings to Problems, one
 * collection per category), filing security work items, and a suppression with a reason (from a quick fix, which passes the
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
