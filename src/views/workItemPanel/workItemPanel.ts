import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { type Logger } from '../../core/host';
import { type WorkItemReference } from '../../core/todo/references';
import { type WorkItem, workItemKey } from '../../core/workItem';
import { type DisposableStore } from '../../host/disposable';
import { type PanelAction, type ToWebview } from '../webviewProtocol';
import { parseFromWebview, toPanelItem } from './panelMessages';

export interface WorkItemPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: Logger;
  /** Reads the item fresh from its tracker (the panel's Refresh, and after each action). */
  readonly load: (reference: WorkItemReference) => Promise<WorkItem>;
}

/** What the commands get: the same shape the TODO lenses pass, plus the item when it is at hand. */
export interface WorkItemCommandArg {
  readonly reference: WorkItemReference;
  readonly key: string;
  readonly item?: WorkItem;
}

const referenceOf = (item: WorkItem): WorkItemReference => {
  if (item.tracker === 'azureBoards') return { tracker: 'azureBoards', id: item.id };
  const [owner, repo] = (item.repository ?? '').split('/');
  return { tracker: 'github', id: item.id, ...(owner && repo ? { owner, repo } : {}) };
};

const COMMAND_OF: Record<Exclude<PanelAction, 'refresh'>, string> = {
  openInBrowser: 'aiDevops.workItem.openInBrowser',
  changeState: 'aiDevops.workItem.changeState',
  assignToMe: 'aiDevops.workItem.assignToMe',
  addComment: 'aiDevops.workItem.addComment',
  startWork: 'aiDevops.workItem.startWork',
  copyLink: 'aiDevops.workItem.copyLink',
};

/**
 * A work item in an editor tab (what Jira's and GitHub's extensions show for an issue): its fields,
 * its description as text, and buttons that run the same commands as the tree and the lenses. One
 * tab per item; opening it again reveals the tab.
 */
class WorkItemPanel {
  private item: WorkItem;
  private ready = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    item: WorkItem,
    private readonly deps: WorkItemPanelDeps,
  ) {
    this.item = item;
    panel.webview.html = html(panel.webview, deps.extensionUri);
    panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw));
  }

  show(item: WorkItem): void {
    this.item = item;
    this.panel.title = `${workItemKey(item)} ${item.title}`;
    if (this.ready) void this.post({ type: 'show', item: toPanelItem(item) });
  }

  private post(message: ToWebview): Thenable<boolean> {
    return this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseFromWebview(raw);
    if (!message) return;
    if (message.type === 'ready') {
      this.ready = true;
      this.show(this.item);
      return;
    }
    const arg: WorkItemCommandArg = { reference: referenceOf(this.item), key: workItemKey(this.item), item: this.item };
    await this.post({ type: 'busy', busy: true });
    try {
      if (message.action !== 'refresh') await vscode.commands.executeCommand(COMMAND_OF[message.action], arg);
      if (message.action !== 'openInBrowser' && message.action !== 'copyLink') this.show(await this.deps.load(arg.reference));
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(`Work item panel ${arg.key}: ${text}`);
      await this.post({ type: 'error', message: text });
    } finally {
      await this.post({ type: 'busy', busy: false });
    }
  }
}

function html(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('main.css')}">
</head><body><main id="root" aria-live="polite"></main>
<script nonce="${nonce}" src="${asset('main.js')}"></script></body></html>`;
}

export function registerWorkItemPanel(scope: DisposableStore, deps: WorkItemPanelDeps): void {
  const open = new Map<string, WorkItemPanel>();
  scope.add(
    vscode.commands.registerCommand('aiDevops.workItem.showDetails', async (arg?: Partial<WorkItemCommandArg>) => {
      if (!arg?.reference && !arg?.item) {
        void vscode.window.showInformationMessage('Pick a work item in the Azure Boards or GitHub Projects view, or on a TODO lens, to show its details.');
        return;
      }
      try {
        const item = arg.item ?? (await deps.load(arg.reference as WorkItemReference));
        const key = workItemKey(item);
        const existing = open.get(key);
        if (existing) {
          existing.show(item);
          existing.panel.reveal();
          return;
        }
        const panel = vscode.window.createWebviewPanel('aiDevops.workItem', `${key} ${item.title}`, vscode.ViewColumn.Active, {
          enableScripts: true,
          localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview')],
        });
        panel.iconPath = new vscode.ThemeIcon('issues');
        open.set(key, new WorkItemPanel(panel, item, deps));
        panel.onDidDispose(() => open.delete(key));
      } catch (error) {
        void vscode.window.showErrorMessage(`Could not show ${arg.key ?? 'the work item'}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
    { dispose: () => open.forEach((p) => p.panel.dispose()) },
  );
}
