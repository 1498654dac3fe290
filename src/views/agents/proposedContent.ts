import * as vscode from 'vscode';

export const PROPOSED_SCHEME = 'ai-devops-proposed';

/**
 * Read-only documents holding what an agent proposes to write, so the review can show a real
 * diff (VS Code's diff and multi-diff editors) before anything touches the disk. Kept per run and
 * dropped when the run ends.
 */
export class ProposedContent implements vscode.TextDocumentContentProvider {
  private readonly byRun = new Map<string, Map<string, string>>();

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.byRun.get(uri.query)?.get(uri.path) ?? '';
  }

  /** The URI that shows `content` as the proposed version of `relativePath` in run `runId`. */
  put(runId: string, relativePath: string, content: string): vscode.Uri {
    let files = this.byRun.get(runId);
    if (!files) this.byRun.set(runId, (files = new Map()));
    const p = `/${relativePath}`;
    files.set(p, content);
    return vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: p, query: runId });
  }

  /** An empty left side for a new file. */
  empty(runId: string, relativePath: string): vscode.Uri {
    return this.put(`${runId}-empty`, relativePath, '');
  }

  drop(runId: string): void {
    this.byRun.delete(runId);
    this.byRun.delete(`${runId}-empty`);
  }
}
