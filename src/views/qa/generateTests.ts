import path from 'node:path';
import * as vscode from 'vscode';
import { uncoveredRange } from '../../agents/qa/uncoveredRange';
import { type RunResult } from '../../agents/runtime/runAgent';
import { type AgentRunner } from '../agents/agentRunner';
import { readSettings } from '../../core/settings';

export const GENERATE_TESTS_COMMAND = 'aiDevops.qa.generateTests';

/** Languages the QA agent writes tests for (mocha, node:test, Jest, Vitest; pytest). */
export const GENERATE_TESTS_LANGUAGES = ['javascript', 'javascriptreact', 'typescript', 'typescriptreact', 'python'];

/** What to write tests for: the command's argument from a code action, a test or the chat. */
export interface GenerateTestsTarget {
  readonly uri: vscode.Uri;
  readonly function?: string;
  /** 1-based first and last line the tests must run. */
  readonly lines?: readonly [number, number];
}

const FUNCTION_KINDS = new Set([vscode.SymbolKind.Function, vscode.SymbolKind.Method, vscode.SymbolKind.Constructor]);
/** `const f = () => …`, `handler: function () …`: a variable or property holding a function. */
const HOLDER_KINDS = new Set([vscode.SymbolKind.Variable, vscode.SymbolKind.Constant, vscode.SymbolKind.Property, vscode.SymbolKind.Field]);
const FUNCTION_VALUE = /^[^\n]*?[=:]\s*(?:async\s*)?(?:function\b|(?:\([^)]*\)|[\w$]+)\s*=>)/;
/** Names the agent's input accepts (a function, or Class.method). */
const NAME = /^[A-Za-z_$][\w$.]{0,199}$/;

/**
 * AI DevOps: Generate Tests. For the function at the cursor, the selected lines, the uncovered
 * lines around the cursor (from the last run with coverage) or the whole file: the QA agent
 * writes tests with the model, runs them, feeds failures back and proposes only tests that pass
 * and run the target; the proposal opens as a diff with the review list, and is written only when
 * approved (the runner's review, the approval policy, the audit trail).
 */
export class GenerateTests implements vscode.CodeActionProvider {
  static readonly kind = vscode.CodeActionKind.Refactor.append('generateTests');

  constructor(
    private readonly runner: Pick<AgentRunner, 'run'>,
    private readonly lineCoverage: (file: string) => readonly (readonly [number, number])[] | undefined,
    private readonly workspaceRoot: () => string | undefined,
  ) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] | Promise<vscode.CodeAction[]> {
    const rel = this.relative(document.uri);
    if (!rel || !vscode.workspace.isTrusted) return [];
    return this.choices(document, range, rel).then((choices) =>
      choices.map((c) => {
        const action = new vscode.CodeAction(c.label, GenerateTests.kind);
        action.command = { command: GENERATE_TESTS_COMMAND, title: c.label, arguments: [c.target] };
        return action;
      }),
    );
  }

  /** The command: with a target, at once; from the palette or a menu, a pick of what the cursor offers. */
  async run(arg?: unknown): Promise<RunResult | undefined> {
    const target = await this.targetOf(arg);
    if (!target) return undefined;
    const rel = this.relative(target.uri);
    if (!rel) {
      void vscode.window.showWarningMessage('AI DevOps: Generate Tests writes tests for a file of the first workspace folder.');
      return undefined;
    }
    const rounds = readSettings((key) => vscode.workspace.getConfiguration('aiDevops').get(key)).settings.qa.generateRounds;
    const input = { target: rel, rounds: String(rounds), ...(target.function ? { function: target.function } : {}), ...(target.lines ? { lines: `${target.lines[0]}-${target.lines[1]}` } : {}) };
    // Our own message: the runner's would say only "No tests generated", not why.
    const result = await this.runner.run('qa', 'generate', input, { notify: false });
    const message = generateTestsMessage(result);
    const show = message.level === 'error' ? vscode.window.showErrorMessage : message.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(message.text);
    return result;
  }

  private async targetOf(arg: unknown): Promise<GenerateTestsTarget | undefined> {
    if (arg && typeof arg === 'object' && 'uri' in arg) {
      const a = arg as { uri: unknown; function?: unknown; lines?: unknown };
      const uri = a.uri instanceof vscode.Uri ? a.uri : typeof a.uri === 'string' ? vscode.Uri.parse(a.uri) : undefined;
      if (!uri) return undefined;
      const fn = typeof a.function === 'string' && NAME.test(a.function) ? a.function : undefined;
      const lines = Array.isArray(a.lines) && a.lines.length === 2 && a.lines.every((n) => Number.isInteger(n) && n > 0) && a.lines[0] <= a.lines[1] ? ([a.lines[0], a.lines[1]] as const) : undefined;
      return { uri, ...(fn ? { function: fn } : {}), ...(lines ? { lines } : {}) };
    }
    const editor = vscode.window.activeTextEditor;
    const uri = arg instanceof vscode.Uri ? arg : editor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('AI DevOps: open the file to write tests for, then run Generate Tests.');
      return undefined;
    }
    const rel = this.relative(uri);
    if (!editor || editor.document.uri.toString() !== uri.toString() || !rel) return { uri };
    const choices = await this.choices(editor.document, editor.selection, rel);
    if (choices.length === 1) return choices[0]!.target;
    const pick = await vscode.window.showQuickPick(
      choices.map((c) => ({ label: c.label, description: c.description, target: c.target })),
      { title: 'AI DevOps: Generate Tests', placeHolder: 'Tests are run before they are proposed; you review them as a diff' },
    );
    return pick?.target;
  }

  /** What can be tested at this place: the function, the selection, the uncovered lines, the file. */
  private async choices(document: vscode.TextDocument, range: vscode.Range, rel: string): Promise<{ label: string; description: string; target: GenerateTestsTarget }[]> {
    const out: { label: string; description: string; target: GenerateTestsTarget }[] = [];
    const fn = await functionAt(document, range.start);
    if (fn) out.push({ label: `Generate tests for ${fn.name}`, description: `lines ${fn.lines[0]}–${fn.lines[1]}`, target: { uri: document.uri, function: fn.name, lines: fn.lines } });
    if (!range.isEmpty) {
      const lines = [range.start.line + 1, range.end.character === 0 && range.end.line > range.start.line ? range.end.line : range.end.line + 1] as const;
      out.push({ label: `Generate tests for lines ${lines[0]}–${lines[1]}`, description: 'the selection', target: { uri: document.uri, lines } });
    }
    const counts = this.lineCoverage(rel);
    const uncovered = counts ? uncoveredRange(counts, range.start.line + 1) : undefined;
    if (uncovered) out.push({ label: `Generate tests for the uncovered lines ${uncovered[0]}–${uncovered[1]}`, description: 'not run by the last test run with coverage', target: { uri: document.uri, lines: uncovered } });
    out.push({ label: `Generate tests for ${path.posix.basename(rel)}`, description: 'the whole file', target: { uri: document.uri } });
    return out;
  }

  private relative(uri: vscode.Uri): string | undefined {
    const root = this.workspaceRoot();
    if (!root || uri.scheme !== 'file') return undefined;
    const rel = path.relative(root, uri.fsPath).split(path.sep).join('/');
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : undefined;
  }
}

/** What the user is told when Generate Tests ends: what was written, or why nothing was. */
function generateTestsMessage(result: RunResult): { level: 'info' | 'warning' | 'error'; text: string } {
  const plan = result.plan;
  if (result.outcome === 'failed') return { level: 'error', text: `AI DevOps: Generate Tests failed: ${result.error ?? 'unknown error'}` };
  if (result.outcome !== 'succeeded') return { level: 'info', text: `AI DevOps: Generate Tests: ${result.error ?? 'nothing was written.'}` };
  const proposed = plan?.edits[0];
  if (!proposed) return { level: 'warning', text: `AI DevOps: ${plan?.title ?? 'No tests generated'}. ${plan?.summary ?? ''}`.trim() };
  if (result.applied.edits.includes(proposed.path)) return { level: 'info', text: `AI DevOps: wrote ${proposed.path}${proposed.why ? ` (${proposed.why})` : ''}.` };
  return { level: 'info', text: `AI DevOps: ${proposed.path} was not written (${result.skipped.find((s) => s.what === proposed.path)?.why ?? 'not approved'}).` };
}

/** The innermost function or method around a position, from the language's document symbols. */
async function functionAt(document: vscode.TextDocument, position: vscode.Position): Promise<{ name: string; lines: readonly [number, number] } | undefined> {
  const symbols = await Promise.resolve(vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined>('vscode.executeDocumentSymbolProvider', document.uri)).catch(() => undefined);
  let found: { name: string; range: vscode.Range } | undefined;
  const visit = (list: readonly vscode.DocumentSymbol[], owner: string | undefined): void => {
    for (const s of list) {
      if (!s.range.contains(position)) continue;
      const name = s.kind === vscode.SymbolKind.Method && owner ? `${owner}.${s.name}` : s.name;
      if ((FUNCTION_KINDS.has(s.kind) || (HOLDER_KINDS.has(s.kind) && FUNCTION_VALUE.test(document.getText(s.range)))) && NAME.test(name)) found = { name, range: s.range };
      visit(s.children, s.kind === vscode.SymbolKind.Class ? s.name : owner);
    }
  };
  visit((symbols ?? []).filter((s): s is vscode.DocumentSymbol => 'children' in s), undefined);
  return found ? { name: found.name, lines: [found.range.start.line + 1, found.range.end.line + 1] } : undefined;
}
