import * as vscode from 'vscode';
import { renderSentPrompts, type SentPromptLog } from '../../core/ai/sentPrompts';
import { type DisposableStore } from '../disposable';

const SCHEME = 'ai-devops-sent';
const URI = vscode.Uri.from({ scheme: SCHEME, path: '/Prompts sent to language models.md' });

/**
 * "Show What Was Sent to the Model": a read-only Markdown document of the recent requests, exactly
 * as they left (after redaction), updated while it is open.
 */
export function registerSentPromptsDocument(scope: DisposableStore, log: SentPromptLog): () => Promise<void> {
  const changed = scope.add(new vscode.EventEmitter<vscode.Uri>());
  scope.add(
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, {
      onDidChange: changed.event,
      provideTextDocumentContent: () => renderSentPrompts(log.list()),
    }),
    log.onDidChange(() => changed.fire(URI)),
  );
  return async () => {
    const document = await vscode.workspace.openTextDocument(URI);
    await vscode.window.showTextDocument(document, { preview: true });
  };
}
