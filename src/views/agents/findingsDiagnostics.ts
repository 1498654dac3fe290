import * as vscode from 'vscode';
import { type Finding, type Severity } from '../../agents/runtime/plan';

const SEVERITY: Readonly<Record<Severity, vscode.DiagnosticSeverity>> = {
  critical: vscode.DiagnosticSeverity.Error,
  high: vscode.DiagnosticSeverity.Error,
  medium: vscode.DiagnosticSeverity.Warning,
  low: vscode.DiagnosticSeverity.Information,
  info: vscode.DiagnosticSeverity.Hint,
};

/** Diagnostics carry the finding, so quick fixes can find its fix without parsing the message. */
export const findingOf = new WeakMap<vscode.Diagnostic, Finding>();

/**
 * Agents' findings in the Problems panel: one collection per agent and category (a security scan
 * replaces its own secrets diagnostics, not the platform agent's hardening ones), severity, rule
 * id linked to its documentation, suppressed findings left out of Problems (reports keep them).
 */
export class FindingsDiagnostics implements vscode.Disposable {
  private readonly collections = new Map<string, vscode.DiagnosticCollection>();
  private readonly publishedBy = new Set<string>();

  /** True once `agent` has published findings (even none) in this window: re-scans on save follow a first scan. */
  hasPublished(agent: string): boolean {
    return this.publishedBy.has(agent);
  }

  private collection(name: string): vscode.DiagnosticCollection {
    let c = this.collections.get(name);
    if (!c) this.collections.set(name, (c = vscode.languages.createDiagnosticCollection(name)));
    return c;
  }

  /**
   * Replaces what `agent` reported before with `findings` (all of them, or only `files` when the
   * run looked at some files only, e.g. a re-scan on save; only the `categories` it checked, when
   * it checked only some, e.g. a scan for secrets alone).
   */
  publish(agent: string, root: vscode.Uri, findings: readonly Finding[], options: { readonly files?: readonly string[]; readonly categories?: readonly string[] } = {}): void {
    this.publishedBy.add(agent);
    const byCollection = new Map<string, Map<string, vscode.Diagnostic[]>>();
    for (const f of findings) {
      if (!f.file || f.suppressed) continue;
      const name = `aiDevops.${agent}${f.category ? `.${f.category}` : ''}`;
      let files = byCollection.get(name);
      if (!files) byCollection.set(name, (files = new Map()));
      const line = Math.max(0, (f.line ?? 1) - 1);
      const col = Math.max(0, (f.column ?? 1) - 1);
      const endLine = Math.max(line, (f.endLine ?? f.line ?? 1) - 1);
      const d = new vscode.Diagnostic(new vscode.Range(line, col, endLine, f.endLine ? Number.MAX_SAFE_INTEGER : col === 0 ? Number.MAX_SAFE_INTEGER : col + 1), f.message, SEVERITY[f.severity]);
      d.source = `AI DevOps ${agent}`;
      d.code = f.helpUri ? { value: f.ruleId, target: vscode.Uri.parse(f.helpUri) } : f.ruleId;
      findingOf.set(d, f);
      const list = files.get(f.file) ?? [];
      list.push(d);
      files.set(f.file, list);
    }
    const prefix = `aiDevops.${agent}`;
    const checked = options.categories ? new Set(options.categories.map((c) => `${prefix}.${c}`)) : undefined;
    for (const [name, collection] of this.collections) {
      if (name !== prefix && !name.startsWith(`${prefix}.`)) continue;
      if (checked && !checked.has(name)) continue;
      if (options.files) for (const file of options.files) collection.delete(vscode.Uri.joinPath(root, file));
      else if (!byCollection.has(name)) collection.clear();
    }
    for (const [name, files] of byCollection) {
      const collection = this.collection(name);
      if (!options.files) collection.clear();
      for (const [file, diagnostics] of files) collection.set(vscode.Uri.joinPath(root, file), diagnostics);
    }
  }

  dispose(): void {
    for (const c of this.collections.values()) c.dispose();
    this.collections.clear();
  }
}
