import type * as vscode from 'vscode';

/** Owns registrations and disposes them together, newest first. */
export class DisposableStore implements vscode.Disposable {
  private items: vscode.Disposable[] = [];
  private disposed = false;

  add<T extends vscode.Disposable>(...items: T[]): T {
    if (this.disposed) {
      items.forEach((i) => i.dispose());
    } else {
      this.items.push(...items);
    }
    return items[0]!;
  }

  dispose(): void {
    this.disposed = true;
    const items = this.items.reverse();
    this.items = [];
    for (const item of items) {
      try {
        item.dispose();
      } catch {
        // One failing disposal must not keep the others alive.
      }
    }
  }
}
