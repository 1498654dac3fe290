import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { chatServices, createChatHandler } from '../../../src/chat/registerChatFeature';
import { type RunResult } from '../../../src/agents/runtime/runAgent';
import { StoredFileApprovals } from '../../../src/core/approvals/fileApprovals';
import { type Logger } from '../../../src/core/host';
import { defaultPolicy } from '../../../src/core/policy/commandPolicy';
import { ModelRegistry } from '../../../src/providers/ai/modelRegistry';
import { FileAuditSink } from '../../../src/providers/audit';
import { AgentRunner, type RunOptions } from '../../../src/views/agents/agentRunner';
import { FindingsDiagnostics } from '../../../src/views/agents/findingsDiagnostics';
import { ProposedContent } from '../../../src/views/agents/proposedContent';
import { GenerateTests } from '../../../src/views/qa/generateTests';
import { QaTestResults } from '../../../src/views/qa/qaTestResults';
import { type AuditTrailModel } from '../../../src/views/audit/auditTrailModel';
import { activated, closeAllEditors, openTabLabels, waitFor } from '../helpers/extension';

/**
 * The QA agent in the real extension host: AI DevOps: Run QA from the palette puts the failing
 * test in the Problems panel; a run fills the Testing view (file › suite › test, the failing line,
 * coverage with per-line detail); the Testing view's own Run profile runs the agent narrowed to the
 * chosen file; `@devops /test` through the chat handler says what it understood and shows the
 * results. Commands are set to Allow for the QA agent here (a run asks with a modal otherwise).
 */
const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const root = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const SAMPLE = 'qa-sample';
/** A work item of the sandbox's demo project. */
const WORK_ITEM = 1;

const SandboxRecord = z.object({
  testRuns: z.array(z.object({ id: z.number(), name: z.string(), state: z.string(), isAutomated: z.boolean(), comment: z.string(), results: z.array(z.object({ automatedTestName: z.string(), automatedTestStorage: z.string(), outcome: z.string(), errorMessage: z.string().optional() })) })),
  workItems: z.array(z.object({ id: z.number(), comments: z.array(z.object({ text: z.string() })) })),
});

/** Runs `start` and answers the review it opens with `answer` (Enter or Escape, as a person would); `watch` looks at the window before each answer. */
async function answeringReview<T>(answer: string, start: () => Thenable<T>, watch?: () => void): Promise<T> {
  let settled = false;
  const running = Promise.resolve(start()).finally(() => (settled = true));
  await waitFor('the run to finish', async () => {
    if (settled) return true;
    watch?.();
    await vscode.commands.executeCommand(answer);
    await new Promise((resolve) => setTimeout(resolve, 250));
    return false;
  }, 150_000);
  return running;
}

/** The Azure DevOps stand-in's state as it saves it (.devops/sandbox, half a second after a change). */
async function sandboxState(): Promise<z.infer<typeof SandboxRecord> | undefined> {
  const text = await fs.readFile(path.join(root(), '.devops', 'sandbox', 'azure-devops.json'), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return SandboxRecord.parse(JSON.parse(text));
  } catch {
    return undefined; // being replaced (written to a temp file and renamed): read again
  }
}

const TESTS = `const test = require('node:test');
const assert = require('node:assert');

test.describe('strings', () => {
  test.it('uppercases', () => {
    assert.strictEqual('ab'.toUpperCase(), 'AB');
  });
  test.it('keeps digits', () => {
    assert.strictEqual(require('../src/shout.js').shout('a1'), 'a1');
  });
  test.it('later', { skip: true }, () => {});
});
`;

async function writeSample(): Promise<void> {
  const dir = path.join(root(), SAMPLE);
  await fs.mkdir(path.join(dir, 'test'), { recursive: true });
  await fs.mkdir(path.join(dir, 'src'), { recursive: true });
  await fs.writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'qa-sample', private: true, scripts: { test: 'node --test' } }, null, 2));
  await fs.writeFile(path.join(dir, 'src', 'shout.js'), "exports.shout = (s) => {\n  if (s.length > 100) {\n    return s;\n  }\n  return s.toUpperCase();\n};\n");
  await fs.writeFile(path.join(dir, 'test', 'strings.test.js'), TESTS);
}

function editorRunner(sink: FileAuditSink): AgentRunner {
  const records: Record<string, unknown> = {};
  return new AgentRunner({
    log: quiet,
    audit: sink,
    trackers: { azure: () => undefined, github: () => undefined },
    defaultTracker: () => 'azureBoards',
    model: async () => undefined,
    workspaceRoot: root,
    approvals: new StoredFileApprovals({ read: async () => records as never, update: async () => undefined }),
    askApproval: async () => false,
    commandPolicy: async () => defaultPolicy(),
    diagnostics: new FindingsDiagnostics(),
    proposed: new ProposedContent(),
  });
}

describe('QA agent in the extension host', function () {
  this.timeout(180_000);
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('aiDevops');
  let previous: unknown;

  before(async () => {
    await activated();
    await writeSample();
    previous = config().inspect('agents.approval')?.globalValue;
    await config().update('agents.approval', { agents: { qa: { runCommand: 'allow', writeFiles: 'allow' } } }, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('agents.approval', previous, vscode.ConfigurationTarget.Global);
    await fs.rm(path.join(root(), SAMPLE), { recursive: true, force: true });
  });

  it('AI DevOps: Run QA runs the suite and puts the failing test at its line in the Problems panel', async () => {
    const result = await vscode.commands.executeCommand<RunResult>('aiDevops.agents.qa.run', { only: SAMPLE });
    assert.equal(result?.outcome, 'succeeded', result?.error);
    assert.equal(result.plan?.verdict, 'fail');
    assert.match(result.plan?.title ?? '', /Tests: [1-9]\d* passed, [1-9]\d* failed, 0 flaky, [1-9]\d* skipped/);
    const uri = vscode.Uri.file(path.join(root(), SAMPLE, 'test', 'strings.test.js'));
    const found = await waitFor('the failing test in Problems', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'AI DevOps qa');
      return d.length > 0 ? d : undefined;
    });
    assert.equal(found.length, 1);
    assert.equal(found[0]!.code, 'qa/test-failed');
    assert.equal(found[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(found[0]!.range.start.line, 8, 'the assertion line, not the test declaration');
  });

  it('fills the Testing view: file › suite › test with the line, a failure with expected/actual, coverage with per-line detail; the Run profile narrows to the chosen file', async () => {
    const sink = new FileAuditSink({ workspaceRoot: root(), log: quiet });
    const runner = editorRunner(sink);
    const calls: unknown[] = [];
    const spy = { run: (agent: string, action: string, input: unknown, options?: RunOptions) => (calls.push(input), runner.run(agent, action, input, options)), onDidFinish: runner.onDidFinish };
    const results = new QaTestResults(spy, root, 'aiDevops.qa.integrationTest');
    try {
      const result = await runner.run('qa', 'run', { only: SAMPLE, detail: true, coverage: true }, { notify: false });
      assert.equal(result.outcome, 'succeeded', result.error);
      // The runner's event has already filled the tree (it fires before run() returns).
      const file = results.controller.items.get(`${SAMPLE}/test/strings.test.js`);
      assert.ok(file, [...iterate(results.controller.items)].join(', '));
      assert.equal(file.uri?.fsPath, path.join(root(), SAMPLE, 'test', 'strings.test.js'));
      const suite = file.children.get(`${SAMPLE}/test/strings.test.js::strings`);
      assert.ok(suite);
      assert.deepEqual([...iterate(suite.children)].sort(), [`${SAMPLE}/test/strings.test.js::strings > keeps digits`, `${SAMPLE}/test/strings.test.js::strings > later`, `${SAMPLE}/test/strings.test.js::strings > uppercases`]);
      const failing = suite.children.get(`${SAMPLE}/test/strings.test.js::strings > keeps digits`)!;
      assert.equal(failing.range?.start.line, 7, 'the test\'s declaration line');

      const shown = results.show(result, undefined, true);
      const coverage = shown?.find((c) => c.uri.fsPath === path.join(root(), SAMPLE, 'src', 'shout.js'));
      assert.ok(coverage, 'the sample\'s source is measured');
      assert.ok(coverage.statementCoverage.total > 0 && coverage.statementCoverage.covered < coverage.statementCoverage.total, 'the long-string line is never run');
      const detail = await results.coverageProfile.loadDetailedCoverage!(undefined as never, coverage, new vscode.CancellationTokenSource().token);
      const statements = detail.filter((d): d is vscode.StatementCoverage => d instanceof vscode.StatementCoverage);
      const missed = statements.filter((s) => s.executed === 0).map((s) => (s.location as vscode.Range).start.line);
      assert.ok(missed.includes(2), `line 3 (\`return s;\` for long strings) is not run: ${missed.join(', ')}`);
      assert.ok(!missed.includes(0) && !missed.includes(4), 'the lines every call runs are covered');

      calls.length = 0;
      await results.runProfile.runHandler(new vscode.TestRunRequest([failing], undefined, results.runProfile), new vscode.CancellationTokenSource().token);
      assert.deepEqual(calls, [{ detail: true, files: [`${SAMPLE}/test/strings.test.js`], only: `${SAMPLE}/test/strings.test.js` }]);
      assert.ok(results.controller.items.get(`${SAMPLE}/test/strings.test.js`), 'the tree is kept after a narrowed run');
    } finally {
      results.dispose();
      runner.dispose();
      await sink.close();
    }
  });

  it('discovers without running: the view\'s first look lists test files and runs nothing; Refresh Tests lists pytest\'s tests through the command policy', async () => {
    const py = path.join(root(), 'qa-discover');
    await fs.mkdir(path.join(py, 'tests'), { recursive: true });
    await fs.writeFile(path.join(py, 'pytest.ini'), '[pytest]\n');
    await fs.writeFile(path.join(py, 'tests', 'test_listed.py'), 'import os\n\n\nclass TestListed:\n    def test_one(self):\n        os.makedirs("ran-marker")\n');
    const sink = new FileAuditSink({ workspaceRoot: root(), log: quiet });
    const runner = editorRunner(sink);
    const calls: [string, unknown][] = [];
    const spy = { run: (agent: string, action: string, input: unknown, options?: RunOptions) => (calls.push([action, input]), runner.run(agent, action, input, options)), onDidFinish: runner.onDidFinish };
    const results = new QaTestResults(spy, root, 'aiDevops.qa.integrationDiscover');
    try {
      await results.controller.resolveHandler!(undefined);
      assert.deepEqual(calls, [['discover', { 'files-only': true }]]);
      const sampleFile = results.controller.items.get(`${SAMPLE}/test/strings.test.js`);
      assert.ok(sampleFile, [...iterate(results.controller.items)].join(', '));
      assert.equal(sampleFile.children.size, 0, 'node:test cannot list: the file, its tests after a run');
      assert.ok(results.controller.items.get('qa-discover/tests/test_listed.py'));

      await results.controller.refreshHandler!(new vscode.CancellationTokenSource().token);
      assert.deepEqual(calls[1], ['discover', {}]);
      const file = results.controller.items.get('qa-discover/tests/test_listed.py')!;
      const test = file.children.get('qa-discover/tests/test_listed.py::TestListed')?.children.get('qa-discover/tests/test_listed.py::TestListed > test_one');
      assert.ok(test, [...iterate(file.children)].join(', '));
      assert.equal(test.range?.start.line, 4);
      await assert.rejects(fs.stat(path.join(py, 'ran-marker')), 'listing ran no test');
    } finally {
      results.dispose();
      runner.dispose();
      await sink.close();
      await fs.rm(py, { recursive: true, force: true });
    }
  });

  it('AI DevOps: Run QA publishes the run to Azure Test Plans and comments on the work item only after the review, through the extension\'s own connection; a comment the service cannot take waits in the outbox and is sent on retry', async () => {
    // Commands run without asking (as above); the tracker write and the publish are asked about in the review.
    await config().update('agents.approval', { agents: { qa: { runCommand: 'allow', writeFiles: 'allow', trackerWrite: 'ask', pushPublish: 'ask' } } }, vscode.ConfigurationTarget.Global);
    await config().update('sandbox.faults', [{ route: 'wit.comments.add', kind: 'status', status: 503, times: 1000 }], vscode.ConfigurationTarget.Workspace);
    try {
      // Escape on the review: nothing is published or commented, nothing waits.
      const declined = await answeringReview('workbench.action.closeQuickOpen', () => vscode.commands.executeCommand<RunResult>('aiDevops.agents.qa.run', { only: SAMPLE, publish: true, comment: true, 'work-item': WORK_ITEM, 'no-rerun': true }));
      assert.equal(declined?.outcome, 'declined', declined?.error);
      assert.deepEqual(declined.applied.remote, []);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // past the stand-in's save
      assert.equal((await sandboxState())?.testRuns.filter((r) => r.name.startsWith('AI DevOps QA')).length ?? 0, 0, 'nothing published without approval');

      // Enter on it (everything ticked) is the approval.
      const running = answeringReview('workbench.action.acceptSelectedQuickOpenItem', () => vscode.commands.executeCommand<RunResult>('aiDevops.agents.qa.run', { only: SAMPLE, publish: true, comment: true, 'work-item': WORK_ITEM, 'no-rerun': true }));
      const result = await running;
      assert.equal(result?.outcome, 'succeeded', result?.error);
      assert.deepEqual(result.plan?.remote.map((r) => [r.kind, r.approval]), [['workItem.comment', 'trackerWrite'], ['testPlans.publishRun', 'pushPublish']]);
      const published = result.applied.remote.find((r) => r.kind === 'testPlans.publishRun');
      assert.equal(published?.outcome, 'applied', published?.detail);
      const count = Number(/published test run \d+ with (\d+) results/.exec(published.detail ?? '')?.[1]);
      assert.match(published.url ?? '', /_TestManagement\/Runs\?runId=\d+/);
      const comment = result.applied.remote.find((r) => r.kind === 'workItem.comment');
      assert.equal(comment?.outcome, 'queued', comment?.detail);

      // The stand-in's own record (its state file) holds the completed run with every result.
      const runId = Number(/runId=(\d+)/.exec(published.url!)![1]);
      const run = await waitFor('the published run in the stand-in', async () => (await sandboxState())?.testRuns.find((r) => r.id === runId));
      assert.equal(run.state, 'Completed');
      assert.equal(run.isAutomated, true);
      const byName = new Map(run.results.map((r) => [r.automatedTestName, r]));
      assert.equal(run.results.length, count);
      assert.equal(count, 3, JSON.stringify(run.results.map((r) => [r.automatedTestName, r.outcome, r.automatedTestStorage])));
      assert.match(run.comment, /^\d+ passed, 1 failed, 0 flaky, 1 skipped \(node:test; run /);
      assert.equal(byName.get(`${SAMPLE}/test/strings.test.js::strings > keeps digits`)?.outcome, 'Failed');
      assert.match(byName.get(`${SAMPLE}/test/strings.test.js::strings > keeps digits`)?.errorMessage ?? '', /A1|a1/);
      assert.equal(byName.get(`${SAMPLE}/test/strings.test.js::strings > uppercases`)?.outcome, 'Passed');
      assert.equal(byName.get(`${SAMPLE}/test/strings.test.js::strings > later`)?.outcome, 'NotExecuted');
      assert.equal(run.results.every((r) => r.automatedTestStorage === `${SAMPLE}/test/strings.test.js`), true);

      // The service takes comments again: the outbox sends the waiting one, once.
      await config().update('sandbox.faults', undefined, vscode.ConfigurationTarget.Workspace);
      const comments = await waitFor(
        'the queued comment on the work item',
        async () => {
          await vscode.commands.executeCommand('aiDevops.outbox.retry');
          const item = (await sandboxState())?.workItems.find((w) => w.id === WORK_ITEM);
          const found = item?.comments.filter((c) => c.text.includes('**Test run**'));
          return found?.length ? found : undefined;
        },
        60_000,
      );
      assert.equal(comments.length, 1);
      assert.match(comments[0]!.text, /\d+ passed, 1 failed, 0 flaky, 1 skipped/);
      assert.match(comments[0]!.text, /keeps digits/);
      assert.equal(await vscode.commands.executeCommand<number>('aiDevops.outbox.show'), 0, 'nothing waits');
    } finally {
      await config().update('sandbox.faults', undefined, vscode.ConfigurationTarget.Workspace);
      await config().update('agents.approval', { agents: { qa: { runCommand: 'allow', writeFiles: 'allow' } } }, vscode.ConfigurationTarget.Global);
    }
  });

  it('@devops /test says what it understood, runs the suite and shows the result', async () => {
    const sink = new FileAuditSink({ workspaceRoot: root(), log: quiet });
    const runner = editorRunner(sink);
    const registry = new ModelRegistry({ host: { log: quiet, fetch: globalThis.fetch.bind(globalThis), getCredential: async () => undefined, getConfig: () => undefined, workspaceRoot: root(), storageDir: path.join(root(), '.devops', 'qa-it') }, cacheDir: null });
    const model = { state: 'loaded', error: undefined, events: [], runs: [], refresh: async () => undefined } as unknown as AuditTrailModel;
    const agents = { applyCommand: 'aiDevops.agents.applyPlan', plan: (agent: string, action: string, input: unknown, o: { signal: AbortSignal; onProgress: (m: string) => void }) => runner.run(agent, action, input, { mode: 'plan', notify: false, signal: o.signal, onProgress: o.onProgress }) };
    const { services, tools } = chatServices({ log: quiet, models: registry, trackers: { azure: () => undefined, github: () => undefined }, outbox: undefined, audit: { sink, model }, workspaceRoot: root(), agents });
    const handler = createChatHandler(services, tools, registry);
    const markdowns: string[] = [];
    const buttons: vscode.Command[] = [];
    // The handler uses these methods of the stream; a real one has more that it never calls.
    const stream = { markdown: (v: string | vscode.MarkdownString) => markdowns.push(typeof v === 'string' ? v : v.value), button: (c: vscode.Command) => buttons.push(c), progress: () => undefined, reference: () => undefined, anchor: () => undefined, push: () => undefined } as unknown as vscode.ChatResponseStream;
    const request = { prompt: `run the tests in ${SAMPLE}/, no rerun`, command: 'test', references: [], toolReferences: [], toolInvocationToken: undefined, model: undefined } as unknown as vscode.ChatRequest;
    try {
      await handler(request, { history: [] }, stream, new vscode.CancellationTokenSource().token);
      const text = markdowns.join('');
      assert.match(text, /\*\*What I understood:\*\* only the suites under qa-sample · without coverage · failures are not run again/);
      assert.match(text, /Tests: [1-9]\d* passed, [1-9]\d* failed, 0 flaky, [1-9]\d* skipped/);
      assert.match(text, /qa\/test-failed/);
      assert.deepEqual(buttons, [], 'a test run changes nothing, so there is nothing to review and apply');
    } finally {
      runner.dispose();
      await sink.close();
    }
  });

  describe('AI DevOps: Generate Tests with the sandbox model (scripted in src/sandbox/models/fixtures/devops.json)', () => {
    const source = (): vscode.Uri => vscode.Uri.file(path.join(root(), SAMPLE, 'src', 'shout.js'));
    const generated = (): string => path.join(root(), SAMPLE, 'test', 'shout.generated.test.js');
    const testFiles = async (): Promise<string[]> => (await fs.readdir(path.join(root(), SAMPLE, 'test'))).sort();

    // The extension and the tests share one `vscode` API object: its messages are answered and read here.
    const window = vscode.window as { -readonly [K in keyof typeof vscode.window]: (typeof vscode.window)[K] };
    const original = { warning: window.showWarningMessage, info: window.showInformationMessage, error: window.showErrorMessage };
    const shown: { level: string; message: string }[] = [];
    const asked: string[] = [];
    const capture = (level: string) => (message: string, ...rest: unknown[]) => {
      const options = rest[0] !== null && typeof rest[0] === 'object' && !Array.isArray(rest[0]) ? (rest[0] as vscode.MessageOptions) : undefined;
      // Running model-written tests is asked about every time writing files is Ask: answered Run.
      if (options?.modal && message.startsWith('The qa agent wants to run:')) {
        asked.push(`${message}\n${options.detail ?? ''}`);
        return Promise.resolve('Run');
      }
      shown.push({ level, message });
      return Promise.resolve(undefined);
    };

    before(async () => {
      // Writing the generated file is asked about in the review (and so is running it, in a modal answered above).
      await config().update('agents.approval', { agents: { qa: { runCommand: 'allow', writeFiles: 'ask', cloudModel: 'allow' } } }, vscode.ConfigurationTarget.Global);
      window.showWarningMessage = capture('warning') as typeof vscode.window.showWarningMessage;
      window.showInformationMessage = capture('info') as typeof vscode.window.showInformationMessage;
      window.showErrorMessage = capture('error') as typeof vscode.window.showErrorMessage;
      // The language's document symbols find the function at the cursor: wait for the TypeScript server to serve them.
      await vscode.workspace.openTextDocument(source());
      await waitFor('document symbols of shout.js', async () => {
        const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>('vscode.executeDocumentSymbolProvider', source());
        return symbols?.some((s) => s.name === 'shout') ? symbols : undefined;
      }, 90_000);
    });
    beforeEach(() => {
      shown.length = 0;
      asked.length = 0;
    });
    after(async () => {
      window.showWarningMessage = original.warning;
      window.showInformationMessage = original.info;
      window.showErrorMessage = original.error;
      await config().update('agents.approval', { agents: { qa: { runCommand: 'allow', writeFiles: 'allow' } } }, vscode.ConfigurationTarget.Global);
      await fs.rm(generated(), { force: true });
      await closeAllEditors();
    });

    it('offers "Generate tests for shout" as a code action inside the function; Escape on the review writes nothing', async () => {
      const before = await testFiles();
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', source(), new vscode.Range(4, 2, 4, 2), GenerateTests.kind.value);
      const action = actions.find((a) => a.title === 'Generate tests for shout');
      assert.ok(action?.command, actions.map((a) => a.title).join(', '));
      assert.deepEqual(actions.map((a) => a.title), ['Generate tests for shout', 'Generate tests for shout.js']);
      const declined = await answeringReview('workbench.action.closeQuickOpen', () => vscode.commands.executeCommand<RunResult>(action.command!.command, ...(action.command!.arguments ?? [])));
      assert.equal(declined?.outcome, 'declined', declined?.error);
      assert.deepEqual(declined.plan?.edits.map((e) => e.path), [`${SAMPLE}/test/shout.generated.test.js`], 'the tests were generated, run and proposed');
      assert.deepEqual(declined.applied.edits, []);
      assert.deepEqual(await testFiles(), before, 'nothing written, no temporary file left behind');
      assert.equal(asked.length, 1, 'running the model\'s file was asked about');
      assert.match(asked[0]!, /With temporary files \(removed after the run\): qa-sample\/test\/shout\.generated\.test\.js/);
      assert.deepEqual(shown, [{ level: 'info', message: 'AI DevOps: Generate Tests: You declined the plan; nothing was changed.' }]);
    });

    it('the command on the function at the cursor generates the tests, runs them, shows them for review and writes them on approval', async () => {
      const editor = await vscode.window.showTextDocument(source());
      editor.selection = new vscode.Selection(1, 4, 1, 4); // inside shout(), on `if (s.length > 100)`
      const tabs = new Set<string>();
      const result = await answeringReview('workbench.action.acceptSelectedQuickOpenItem', () => vscode.commands.executeCommand<RunResult>('aiDevops.qa.generateTests'), () => openTabLabels().forEach((t) => tabs.add(t)));
      assert.equal(result?.outcome, 'succeeded', result?.error);
      assert.equal(result.plan?.title, `Generated tests for shout in ${SAMPLE}/src/shout.js (lines 1–6)`, 'the first choice at the cursor is the function, from the document symbols');
      assert.deepEqual(result.applied.edits, [`${SAMPLE}/test/shout.generated.test.js`]);
      assert.ok([...tabs].some((t) => /Generated tests for shout .*\(proposed\)/.test(t)), `the review showed the proposal as a diff: ${[...tabs].join(', ')}`);
      const written = await fs.readFile(generated(), 'utf8');
      assert.equal(written, result.plan?.edits[0]?.content);
      assert.match(written, /require\('\.\.\/src\/shout\.js'\)/);
      const facts = new Map(result.plan?.facts.map((f) => [f.label, f.value]));
      assert.equal(facts.get('Framework'), 'node:test');
      assert.equal(facts.get(`Lines of ${SAMPLE}/src/shout.js 1–6 run`), '6', JSON.stringify(result.plan?.facts));
      assert.match(result.plan?.notes.join('\n') ?? '', /The generated tests passed on the first run/);
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0]!.message, /^AI DevOps: wrote qa-sample\/test\/shout\.generated\.test\.js \(3 generated tests for shout, passing/);
    });

    it('a model answer that is nonsense (not the asked shape, twice) is a clear message and no file', async () => {
      const garble = path.join(root(), SAMPLE, 'src', 'garble.js');
      await fs.writeFile(garble, "exports.garble = (s) => s.split('').reverse().join('');\n");
      const before = await testFiles();
      try {
        const result = await vscode.commands.executeCommand<RunResult>('aiDevops.qa.generateTests', { uri: vscode.Uri.file(garble), function: 'garble', lines: [1, 1] });
        assert.equal(result?.outcome, 'succeeded', result?.error);
        assert.deepEqual(result.plan?.edits, []);
        assert.deepEqual(result.applied.edits, []);
        assert.equal(shown.length, 1, JSON.stringify(shown));
        assert.equal(shown[0]!.level, 'warning');
        assert.match(shown[0]!.message, /^AI DevOps: No tests generated for garble in qa-sample\/src\/garble\.js \(lines 1–1\)\. No test is proposed: The model's answer could not be used \(.*did not match the expected JSON shape twice.*ramble/s);
        assert.deepEqual(await testFiles(), before);
      } finally {
        await fs.rm(garble, { force: true });
      }
    });
  });
});

function* iterate(items: vscode.TestItemCollection): Generator<string> {
  const ids: string[] = [];
  items.forEach((i) => ids.push(i.id));
  yield* ids;
}
