import path from 'node:path';
import * as vscode from 'vscode';
import { type RunResult } from '../../agents/runtime/runAgent';
import { discoveryTree, onlyFor, type QaFileCoverage, type QaListedTest, type QaTestResult, readQaDiscovery, readQaResult, type TestNode, testTree } from '../../agents/qa/resultView';
import { type AgentRunner, type FinishedRun, type RunOptions } from '../agents/agentRunner';

export const QA_CONTROLLER_ID = 'aiDevops.qa';

/** The Testing view's output wants CRLF line ends. */
const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');

const lineRange = (line: number): vscode.Range => new vscode.Range(line - 1, 0, line - 1, Number.MAX_SAFE_INTEGER);

/**
 * The QA agent's results where VS Code users look for them: the Testing view (a TestController
 * with items per file, suite and test; pass, fail with message, expected/actual diff and the failing
 * line, skip; durations; each suite's output attached to the run) and the coverage API (per file,
 * statement, branch and function detail loaded when a file is opened). Every QA run shows here,
 * whether it was started from the palette, `@devops /test` or the Testing view's own Run and
 * Coverage profiles, which run the agent through the editor's runner (approval, command policy,
 * audit) narrowed to the chosen items' files.
 */
export class QaTestResults implements vscode.Disposable {
  readonly controller: vscode.TestController;
  readonly runProfile: vscode.TestRunProfile;
  readonly coverageProfile: vscode.TestRunProfile;
  /** The Testing view's own runs, shown with their request instead of through the runner's event. */
  private readonly ownRuns = new WeakSet<RunOptions>();
  private readonly details = new WeakMap<vscode.FileCoverage, QaFileCoverage>();
  /** The last per-line coverage shown, by workspace-relative file (for "Generate Tests" on uncovered lines). */
  private readonly lastLines = new Map<string, readonly (readonly [number, number])[]>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly runner: Pick<AgentRunner, 'run' | 'onDidFinish'>,
    private readonly workspaceRoot: () => string | undefined,
    /** VS Code allows one controller per id: a second instance (a test beside the extension's own) takes another. */
    controllerId = QA_CONTROLLER_ID,
  ) {
    this.controller = vscode.tests.createTestController(controllerId, 'AI DevOps QA');
    this.runProfile = this.controller.createRunProfile('Run (AI DevOps QA)', vscode.TestRunProfileKind.Run, (request, token) => this.runFromView(request, token, false), true);
    this.coverageProfile = this.controller.createRunProfile('Coverage (AI DevOps QA)', vscode.TestRunProfileKind.Coverage, (request, token) => this.runFromView(request, token, true), true);
    this.coverageProfile.loadDetailedCoverage = async (_run, file) => this.detailOf(file);
    this.runProfile.loadDetailedCoverage = async (_run, file) => this.detailOf(file);
    this.subscription = runner.onDidFinish((e) => this.onFinished(e));
    // Discovery: the first look lists test files and runs nothing (it must not ask anything when the
    // view opens); Refresh Tests asks the runners that can list their tests (mocha --dry-run, pytest
    // --collect-only, go test -list, cargo test -- --list, Jest's files), through the command policy.
    this.controller.resolveHandler = async (item) => {
      if (!item && this.controller.items.size === 0) await this.discover(undefined, true);
    };
    this.controller.refreshHandler = async (token) => {
      await this.discover(token, false);
    };
  }

  /** Lists the workspace's tests without running them and shows them in the Testing view. */
  async discover(token: vscode.CancellationToken | undefined, filesOnly: boolean): Promise<boolean> {
    if (!this.workspaceRoot()) return false;
    const abort = new AbortController();
    const cancelled = token?.onCancellationRequested(() => abort.abort());
    const options: RunOptions = { notify: false, signal: abort.signal, ...(filesOnly ? { quiet: true } : {}) };
    this.ownRuns.add(options);
    try {
      const result = await this.runner.run('qa', 'discover', filesOnly ? { 'files-only': true } : {}, options);
      if (this.showDiscovery(result)) return true;
      if (!filesOnly && result.outcome !== 'cancelled') void vscode.window.showErrorMessage(`AI DevOps QA: ${result.error ?? 'the tests could not be listed.'}`);
      return false;
    } catch (error) {
      if (!filesOnly) void vscode.window.showErrorMessage(`AI DevOps QA: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    } finally {
      cancelled?.dispose();
    }
  }

  /** Puts a discovery's tests and files in the Testing view (replacing the tree), or returns false when the result is none. */
  showDiscovery(result: RunResult): boolean {
    const root = this.workspaceRoot();
    const data = readQaDiscovery(result.plan?.result);
    if (!root || !data) return false;
    const tests = new Map<string, vscode.TestItem>();
    this.controller.items.replace(discoveryTree(data).map((n) => this.item(root, n, tests)));
    return true;
  }

  private onFinished(e: FinishedRun): void {
    // A plan applied from the chat's kept plan ran no tests now: its results were shown when it was planned.
    if (e.agent !== 'qa' || this.ownRuns.has(e.options) || e.options.planFrom) return;
    if (e.action === 'discover') this.showDiscovery(e.result);
    else this.show(e.result, undefined, !narrowed(e.input));
  }

  /**
   * Shows a QA run's results in the Testing view and its coverage in the editor. `replace` drops
   * files no longer reported (a run of the whole workspace); a narrowed run updates only its files.
   * Returns the coverage it added, or undefined when the result is not a QA run's with test detail.
   */
  show(result: RunResult, request: vscode.TestRunRequest | undefined, replace: boolean): vscode.FileCoverage[] | undefined {
    const root = this.workspaceRoot();
    const data = readQaResult(result.plan?.result);
    if (!root || !data) return undefined;
    const tests = new Map<string, vscode.TestItem>();
    const roots = testTree(data.tests).map((n) => this.item(root, n, tests));
    if (replace) this.controller.items.replace(roots);
    else for (const r of roots) this.controller.items.add(r);
    const coverage = data.coverage?.detail;
    const added: vscode.FileCoverage[] = [];
    const run = this.controller.createTestRun(request ?? new vscode.TestRunRequest(undefined, undefined, coverage ? this.coverageProfile : this.runProfile), 'AI DevOps QA', true);
    try {
      for (const p of data.projects) {
        const head = `$ ${p.command}${p.dir ? `   (in ${p.dir})` : ''}\n`;
        run.appendOutput(crlf(`${head}${p.output ?? ''}${p.problem ? `\n${p.problem}` : ''}\n\n`));
      }
      for (const t of data.tests) {
        const item = tests.get(t.id);
        if (item) this.report(run, root, item, t);
      }
      for (const f of coverage ?? []) {
        if (f.l) this.lastLines.set(f.file, f.l);
        const fc = this.fileCoverage(root, f);
        added.push(fc);
        run.addCoverage(fc);
      }
    } finally {
      run.end();
    }
    return added;
  }

  /** Per-line counts (`[line, hits]`) of a workspace-relative file from the last run with coverage, if it measured the file. */
  lineCoverage(file: string): readonly (readonly [number, number])[] | undefined {
    return this.lastLines.get(file);
  }

  private item<T extends QaListedTest>(root: string, node: TestNode<T>, tests: Map<string, vscode.TestItem>): vscode.TestItem {
    const uri = node.file ? vscode.Uri.file(path.join(root, node.file)) : undefined;
    const item = this.controller.createTestItem(node.id, node.label, uri);
    if (node.line) item.range = lineRange(node.line);
    if (node.test) {
      tests.set(node.id, item);
      item.description = node.test.framework;
    }
    item.children.replace(node.children.map((c) => this.item(root, c, tests)));
    return item;
  }

  private report(run: vscode.TestRun, root: string, item: vscode.TestItem, t: QaTestResult): void {
    if (t.output) run.appendOutput(crlf(`${t.output}\n`), item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined, item);
    switch (t.status) {
      case 'passed':
        run.passed(item, t.durationMs);
        return;
      case 'skipped':
        run.skipped(item);
        return;
      case 'failed':
      case 'flaky':
        // A flaky test failed once: it is shown as failed, with what happened on the re-run, never as passed.
        run.failed(item, this.message(root, item, t), t.durationMs);
    }
  }

  private message(root: string, item: vscode.TestItem, t: QaTestResult): vscode.TestMessage {
    const f = t.failure;
    const text = `${t.status === 'flaky' ? 'Flaky: failed, then passed when run once more. ' : ''}${f?.message ?? 'failed'}`;
    const message = f?.expected !== undefined && f.actual !== undefined ? vscode.TestMessage.diff(text, f.expected, f.actual) : new vscode.TestMessage(f?.stack ? `${text}\n\n${f.stack}` : text);
    if (f?.file && f.line) message.location = new vscode.Location(vscode.Uri.file(path.join(root, f.file)), lineRange(f.line));
    else if (item.uri && item.range) message.location = new vscode.Location(item.uri, item.range);
    if (f?.stack) message.stackTrace = stackOf(root, f.stack);
    return message;
  }

  private fileCoverage(root: string, f: QaFileCoverage): vscode.FileCoverage {
    const count = ([found, hit]: readonly [number, number]): vscode.TestCoverageCount | undefined => (found > 0 ? new vscode.TestCoverageCount(hit, found) : undefined);
    const fc = new vscode.FileCoverage(vscode.Uri.file(path.join(root, f.file)), count(f.lines) ?? new vscode.TestCoverageCount(0, 0), count(f.branches), count(f.functions));
    this.details.set(fc, f);
    return fc;
  }

  /** Statement (per line, its branches beside it) and function detail, loaded when the file is opened. */
  private detailOf(file: vscode.FileCoverage): vscode.FileCoverageDetail[] {
    const f = this.details.get(file);
    if (!f) return [];
    const branches = new Map<number, vscode.BranchCoverage[]>();
    for (const [line, block, branch, taken] of f.b ?? []) {
      const list = branches.get(line) ?? [];
      list.push(new vscode.BranchCoverage(taken, undefined, `block ${block}, branch ${branch}`));
      branches.set(line, list);
    }
    const statements = (f.l ?? []).filter(([line]) => line > 0).map(([line, hits]) => new vscode.StatementCoverage(hits, lineRange(line), branches.get(line) ?? []));
    const covered = new Set((f.l ?? []).map(([line]) => line));
    // A branch on a line the report has no line entry for still needs a statement to hang from.
    for (const [line, list] of branches) if (line > 0 && !covered.has(line)) statements.push(new vscode.StatementCoverage(list.some((b) => Number(b.executed) > 0), lineRange(line), list));
    const declarations = (f.f ?? []).filter(([, line]) => line > 0).map(([name, line, hits]) => new vscode.DeclarationCoverage(name, hits, lineRange(line)));
    return [...statements, ...declarations];
  }

  private async runFromView(request: vscode.TestRunRequest, token: vscode.CancellationToken, coverage: boolean): Promise<void> {
    const root = this.workspaceRoot();
    if (!root) return;
    const files = [...new Set((request.include ?? []).map((i) => (i.uri ? path.relative(root, i.uri.fsPath).split(path.sep).join('/') : '')))];
    // An item without a file (a suite a runner names by class or project) runs its whole project.
    const narrow = files.length > 0 && files.every((f) => f && !f.startsWith('..'));
    const only = narrow ? onlyFor(files) : undefined;
    const input = { detail: true, ...(coverage ? { coverage: true } : {}), ...(narrow ? { files, ...(only ? { only } : {}) } : {}) };
    const abort = new AbortController();
    const cancelled = token.onCancellationRequested(() => abort.abort());
    const options: RunOptions = { notify: false, signal: abort.signal };
    this.ownRuns.add(options);
    try {
      const result = await this.runner.run('qa', 'run', input, options);
      if (!this.show(result, request, !narrow) && result.outcome !== 'cancelled') {
        void vscode.window.showErrorMessage(`AI DevOps QA: ${result.error ?? 'the run reported no tests.'}`);
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`AI DevOps QA: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      cancelled.dispose();
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.controller.dispose();
  }
}

/** Was the run narrowed to some files or a folder (so other files' results stay)? */
function narrowed(input: unknown): boolean {
  const i = input as { only?: unknown; files?: unknown } | undefined;
  return Boolean(i && (typeof i.only === 'string' || (Array.isArray(i.files) && i.files.length > 0)));
}

/** Stack frames that name a file (`at fn (file:line:col)`, `at file:line:col`) become clickable in the Test Results view. */
function stackOf(root: string, stack: string): vscode.TestMessageStackFrame[] {
  const frames: vscode.TestMessageStackFrame[] = [];
  for (const line of stack.split('\n').slice(0, 30)) {
    const m = /^\s*at\s+(?:(.+?)\s+\()?(.+?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (!m || m[2]!.startsWith('node:')) continue;
    const file = path.resolve(root, m[2]!.replace(/^file:\/\//, ''));
    const inside = !path.relative(root, file).startsWith('..');
    frames.push(new vscode.TestMessageStackFrame(m[1] ?? '<anonymous>', inside ? vscode.Uri.file(file) : undefined, new vscode.Position(Number(m[3]) - 1, Number(m[4]) - 1)));
  }
  return frames;
}
