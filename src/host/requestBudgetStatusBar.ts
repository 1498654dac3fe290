import * as vscode from 'vscode';
import { budgetLines, LOW_BUDGET_SHARE, remainingShare, tightest, type BudgetReading } from '../core/boards/requestBudget';
import { type DisposableStore } from './disposable';

export interface BudgetSource {
  budgets(): Promise<BudgetReading[]>;
  onDidChange(listener: () => void): { dispose(): void };
}

/**
 * A status bar item with the services' request budgets (what GitHub Pull Requests and the Jira
 * extension keep hidden until a request is refused): the share left of the tightest budget, each
 * budget in the tooltip, a warning colour when background refresh has been slowed.
 */
export function registerRequestBudgetStatusBar(scope: DisposableStore, source: BudgetSource): void {
  const item = scope.add(vscode.window.createStatusBarItem('aiDevops.requestBudget', vscode.StatusBarAlignment.Right, 90));
  item.name = 'AI DevOps Request Budget';
  const update = async (): Promise<void> => {
    const readings = await source.budgets();
    if (readings.length === 0) {
      item.hide();
      return;
    }
    const worst = tightest(readings);
    const share = worst ? remainingShare(worst) : undefined;
    item.text = share === undefined ? '$(dashboard)' : `$(dashboard) ${Math.round(share * 100)}%`;
    item.backgroundColor = share !== undefined && share < LOW_BUDGET_SHARE ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tooltip = new vscode.MarkdownString('**Request budgets** (from the services\' rate-limit headers)\n\n');
    tooltip.appendMarkdown(budgetLines(readings).map((l) => `- ${l}`).join('\n'));
    item.tooltip = tooltip;
    item.show();
  };
  const refresh = (): void => void update().catch(() => item.hide());
  const timer = setInterval(refresh, 30_000);
  scope.add(source.onDidChange(refresh), { dispose: () => clearInterval(timer) });
  refresh();
}
