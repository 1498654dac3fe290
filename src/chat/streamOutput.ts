import * as vscode from 'vscode';
import { type ChatOutput } from '../core/chat/chatOutput';

/** Our ChatOutput written into VS Code's response stream. */
export function streamOutput(stream: vscode.ChatResponseStream): ChatOutput {
  return {
    markdown: (text) => stream.markdown(text),
    progress: (text) => stream.progress(text),
    button: (b) => stream.button({ command: b.command, title: b.title, arguments: b.arguments ? [...b.arguments] : undefined }),
    reference: (r) => {
      if (r.kind === 'url') {
        stream.reference(vscode.Uri.parse(r.url));
        return;
      }
      const uri = vscode.Uri.file(r.path);
      stream.reference(r.startLine === undefined ? uri : new vscode.Location(uri, new vscode.Range(r.startLine, 0, r.endLine ?? r.startLine, 0)));
    },
  };
}
