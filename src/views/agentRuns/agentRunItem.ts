import * as vscode from 'vscode';
import { type RunOutcome } from '../../core/audit';
import { type GroupSummary } from '../../providers/audit';
import { shortTime } from '../audit/auditEventItem';

const OUTCOME_ICON: Readonly<Record<RunOutcome, vscode.ThemeIcon>> = {
  running: new vscode.ThemeIcon('sync~spin'),
  succeeded: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
};

/** A run: its agent, outcome, when, and its steps as children (read when expanded, live while it runs). */
export function agentRunItem(run: GroupSummary): vscode.TreeItem {
  const agent = run.agent ?? run.services[0] ?? '';
  const item = new vscode.TreeItem(agent, run.steps ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `agent-run-${run.correlationId}`;
  item.iconPath = OUTCOME_ICON[run.outcome];
  item.description = `${run.outcome} · ${run.steps} step${run.steps === 1 ? '' : 's'} · ${shortTime(run.firstAt)}`;
  const md = new vscode.MarkdownString();
  md.appendMarkdown('**');
  md.appendText(`${agent} run`);
  md.appendMarkdown('**  \nOutcome: ');
  md.appendText(run.outcome);
  md.appendMarkdown('  \nStarted: ');
  md.appendText(run.firstAt);
  md.appendMarkdown('  \nLast event: ');
  md.appendText(run.lastAt);
  if (run.workItemIds.length) {
    md.appendMarkdown('  \nWork items: ');
    md.appendText(run.workItemIds.map((id) => `#${id}`).join(', '));
  }
  md.appendMarkdown('  \nCorrelation id: ');
  md.appendText(run.correlationId);
  item.tooltip = md;
  item.contextValue = `agentRun.${run.outcome}`;
  return item;
}
