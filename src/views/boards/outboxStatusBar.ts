import * as vscode from 'vscode';
import { outboxEntryLabel, outboxStatus } from '../../core/boards/outboxStatus';
import { type OutboxView } from '../../core/boards/workTracker';
import { type Logger } from '../../core/host';
import { showCommandError } from './commandContext';

/**
 * The status bar item for remote changes waiting in the outbox (hidden at 0, warning colour when
 * one conflicts or failed), and the Show / Send Now commands behind it.
 */
export class OutboxStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private sub: { dispose(): void } | undefined;
  private watched: OutboxView | undefined;

  constructor(private readonly outbox: () => OutboxView | undefined) {
    this.item = vscode.window.createStatusBarItem('aiDevops.outbox', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'AI DevOps: Pending Remote Changes';
    this.item.command = 'aiDevops.outbox.show';
    this.update();
  }

  update(): void {
    const outbox = this.outbox();
    if (outbox !== this.watched) {
      this.sub?.dispose();
      this.watched = outbox;
      this.sub = outbox?.onDidChange(() => this.update());
    }
    const status = outboxStatus(outbox?.pending() ?? []);
    void vscode.commands.executeCommand('setContext', 'aiDevops.outbox.pending', status.visible);
    if (!status.visible) {
      this.item.hide();
      return;
    }
    this.item.text = status.text;
    this.item.tooltip = status.tooltip;
    this.item.backgroundColor = status.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: status.tooltip };
    this.item.show();
  }

  /** What the item shows now (tests read it). */
  get state(): { visible: boolean; text: string; warning: boolean } {
    const status = outboxStatus(this.outbox()?.pending() ?? []);
    return { visible: status.visible, text: status.text, warning: status.warning };
  }

  dispose(): void {
    this.sub?.dispose();
    this.item.dispose();
  }
}

export function registerOutboxCommands(outbox: () => OutboxView | undefined, bar: OutboxStatusBar, log: Logger, reload: () => Promise<void>): vscode.Disposable[] {
  const retry = async (): Promise<number | undefined> => {
    const o = outbox();
    if (!o) {
      void vscode.window.showInformationMessage('No remote changes are waiting: nothing is connected that queues them.');
      return undefined;
    }
    try {
      const sent = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Sending pending remote changes…', cancellable: true }, (_p, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        return o.flush(controller.signal);
      });
      const left = o.pending();
      const rest = left.length ? ` ${left.length} still waiting (${left.filter((e) => e.state !== 'pending').length} need you).` : '';
      void vscode.window.showInformationMessage(`Sent ${sent} pending change${sent === 1 ? '' : 's'}.${rest}`);
      await reload();
      return sent;
    } catch (error) {
      await showCommandError(error, log, 'Send pending changes');
      return undefined;
    } finally {
      bar.update();
    }
  };

  return [
    vscode.commands.registerCommand('aiDevops.outbox.retry', retry),
    vscode.commands.registerCommand('aiDevops.outbox.show', async (entryId?: unknown, action?: unknown) => {
      const o = outbox();
      const entries = o?.pending() ?? [];
      if (!o || entries.length === 0) {
        void vscode.window.showInformationMessage('No remote changes are waiting to be sent.');
        return entries.length;
      }
      type Row = vscode.QuickPickItem & { id?: string };
      const rows: Row[] = [{ label: '$(sync) Send all now', description: `${entries.length} waiting` }, { label: '', kind: vscode.QuickPickItemKind.Separator }, ...entries.map((e) => ({ ...outboxEntryLabel(e), id: e.id }))];
      const chosenId = typeof entryId === 'string' ? entryId : undefined;
      const pick = chosenId ? rows.find((r) => r.id === chosenId) : await vscode.window.showQuickPick(rows, { title: 'Pending remote changes', placeHolder: 'Pick a change to send now or discard', matchOnDescription: true, matchOnDetail: true });
      if (!pick) return undefined;
      if (pick.id === undefined) return retry();
      const entry = entries.find((e) => e.id === pick.id)!;
      const act =
        typeof action === 'string'
          ? action
          : await vscode.window.showQuickPick(['Send now', 'Discard'], { title: entry.description, placeHolder: entry.state === 'conflict' ? 'Someone changed the item meanwhile: discard yours, or send it anyway after checking' : 'What to do with this change' });
      if (act === 'Send now') return retry();
      if (act !== 'Discard') return undefined;
      if (typeof action !== 'string') {
        const sure = await vscode.window.showWarningMessage(`Discard "${entry.description}"? It will not be sent.`, { modal: true }, 'Discard');
        if (sure !== 'Discard') return undefined;
      }
      try {
        await o.discard(entry.id);
        void vscode.window.showInformationMessage(`Discarded: ${entry.description}`);
        await reload();
      } catch (error) {
        await showCommandError(error, log, 'Discard pending change');
      } finally {
        bar.update();
      }
      return 'discarded';
    }),
  ];
}
