import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { locateRipgrep } from '../../../src/providers/todos/locateRipgrep';
import { TodoIndex } from '../../../src/providers/todos/todoIndex';
import { activated, waitFor } from '../helpers/extension';

/**
 * TODOs linked to work items in the real extension host, against the sandbox's demo data
 * (demo-workspace selects aiDevops.backend = "sandbox"): lenses, the stale-TODO diagnostic and its
 * quick fixes, the hover, and "Create work item from TODO" writing the new id back. Every edit is
 * undone, so later suites see the demo workspace as it was.
 */
interface Row {
  readonly key: string;
  readonly title: string;
  readonly state: string;
}
interface ViewSummary {
  readonly state: string;
  readonly items: number;
  readonly rows: readonly Row[];
}

const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);
const fileUri = (relative: string): vscode.Uri => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, relative);
/** Hover and lens text escapes Markdown; compare with the text as the tracker sent it. */
const unescape = (markdown: string): string => markdown.replace(/\\(.)/g, '$1');

function lineOf(document: vscode.TextDocument, pattern: RegExp): number {
  const line = document.getText().split(/\r?\n/).findIndex((l) => pattern.test(l));
  assert.ok(line >= 0, `${vscode.workspace.asRelativePath(document.uri)} has a line matching ${pattern}`);
  return line;
}

/** The lenses on `line` once their work item has been answered (a first pass shows "loading…"). */
async function resolvedLenses(uri: vscode.Uri, line: number, what: string): Promise<vscode.CodeLens[]> {
  return waitFor(
    what,
    async () => {
      const lenses = (await run<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)).filter((l) => l.range.start.line === line && l.command);
      return lenses.length > 0 && !lenses.some((l) => /loading…/.test(l.command!.title)) ? lenses : undefined;
    },
    30_000,
  );
}

/** The Azure Boards row of an open item, as the tracker reports it now (other suites change states). */
async function boardsRow(key: string): Promise<Row> {
  await run('aiDevops.boards.focus');
  return waitFor(
    `${key} in the Azure Boards view`,
    async () => {
      const s = await run<ViewSummary>('aiDevops.boards.filter', 'allOpen');
      return s.state === 'loaded' ? s.rows.find((r) => r.key === key) : undefined;
    },
    30_000,
  );
}

/**
 * Undoes edits until the document is back to `original` (each of our edits is one undo step), and
 * leaves the file on disk as it was. code-server auto-saves after a second by default
 * (`files.autoSave` is `afterDelay` on the web); the suite turns that off, but an edit made
 * before the setting took effect, or by another window, may already have been written.
 */
async function undoTo(document: vscode.TextDocument, original: string): Promise<void> {
  await vscode.window.showTextDocument(document);
  for (let i = 0; i < 5 && document.getText() !== original; i++) await run('undo');
  if (document.getText() !== original) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
    await vscode.workspace.applyEdit(edit);
  }
  assert.equal(document.getText(), original, 'the demo file is back as it was');
  // An auto-save of the edited text can land after the undo and leave the undone document marked clean.
  await waitFor('the demo file on disk to be as it was', async () => {
    if (document.isDirty) await document.save();
    else if (readFileSync(document.uri.fsPath, 'utf8') !== original) writeFileSync(document.uri.fsPath, original);
    await new Promise((resolve) => setTimeout(resolve, 200));
    return readFileSync(document.uri.fsPath, 'utf8') === original && !document.isDirty && document.getText() === original;
  });
}

describe('TODOs linked to work items (sandbox)', function () {
  this.timeout(90_000);
  let autoSave: unknown;
  before(async () => {
    await activated();
    // Keep edits under test in the editor only, so undo is all it takes to restore them.
    autoSave = vscode.workspace.getConfiguration('files').inspect('autoSave')?.workspaceValue;
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Workspace);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', autoSave, vscode.ConfigurationTarget.Workspace);
  });
  afterEach(async () => {
    await run('notifications.clearAll');
  });

  it('shows AB#7 in a lens with its state and title from the tracker, and its actions', async () => {
    const uri = fileUri('src/auth/reset.ts');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const line = lineOf(document, /TODO AB#7\b/);
    const row = await boardsRow('AB#7');
    assert.equal(row.title, 'Email the reset link');
    const lenses = await resolvedLenses(uri, line, 'the AB#7 lens');
    const titles = lenses.map((l) => l.command!.title);
    const main = lenses.find((l) => l.command!.title.startsWith('AB#7 · '));
    assert.ok(main, titles.join(' | '));
    assert.equal(main.command!.title, `AB#7 · ${row.state} · ${row.title}`);
    assert.equal(main.command!.command, 'aiDevops.workItem.openInBrowser');
    const byTitle = (title: string) => lenses.find((l) => l.command!.title === title)?.command;
    assert.equal(byTitle('Change state…')?.command, 'aiDevops.workItem.changeState', titles.join(' | '));
    assert.equal(byTitle('Mark done')?.command, 'aiDevops.workItem.markDone', titles.join(' | '));
    assert.equal(byTitle('Hand to an agent…')?.command, 'aiDevops.workItem.handToAgent', titles.join(' | '));
    for (const command of [main.command!, byTitle('Change state…')!, byTitle('Mark done')!, byTitle('Hand to an agent…')!]) {
      assert.deepEqual(command.arguments, [{ reference: { tracker: 'azureBoards', id: 7 }, key: 'AB#7' }], command.title);
    }
    // The argument the lens carries works with the work item commands (one that changes nothing).
    assert.equal(await run<string>('aiDevops.workItem.copyId', main.command!.arguments![0]), 'AB#7');
  });

  it('shows the AB#7 details in a hover on the reference', async () => {
    const uri = fileUri('src/auth/reset.ts');
    const document = await vscode.workspace.openTextDocument(uri);
    const line = lineOf(document, /TODO AB#7\b/);
    const row = await boardsRow('AB#7');
    const position = new vscode.Position(line, document.lineAt(line).text.indexOf('AB#7') + 2);
    const text = await waitFor(
      'a hover with the AB#7 details',
      async () => {
        const hovers = await run<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
        const ours = hovers
          .flatMap((h) => h.contents)
          .map((c) => (typeof c === 'string' ? c : c.value))
          .find((v) => v.includes('AB\\#7') && !v.includes('loading…'));
        return ours === undefined ? undefined : ours;
      },
      30_000,
    );
    const plain = unescape(text);
    assert.match(plain, new RegExp(`^\\*\\*AB#7\\*\\* · Task · ${row.state}`), plain);
    assert.ok(plain.includes(`#### ${row.title}`), plain);
    assert.match(plain, /Assigned to |Unassigned/);
    assert.match(plain, /Iteration .*Sprint 2/);
    for (const command of ['aiDevops.workItem.openInBrowser', 'aiDevops.workItem.changeState', 'aiDevops.workItem.markDone']) {
      assert.ok(text.includes(`(command:${command}?`), `hover links ${command}: ${text}`);
    }
  });

  it('marks the TODO naming closed AB#5 as stale: lens, Warning diagnostic and quick fixes that work', async () => {
    const uri = fileUri('src/auth/rateLimit.ts');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const original = document.getText();
    const line = lineOf(document, /TODO AB#5\b/);

    const lenses = await resolvedLenses(uri, line, 'the AB#5 lens');
    const titles = lenses.map((l) => l.command!.title);
    assert.match(titles[0] ?? '', /^\$\(warning\) AB#5 · (Closed|Done|Removed) · Rate-limit the login endpoint — stale TODO$/, titles.join(' | '));
    assert.ok(titles.includes('Remove reference') && titles.includes('Relink…'), titles.join(' | '));
    assert.ok(!titles.includes('Mark done'), 'a finished item offers no "Mark done"');

    const diagnostic = await waitFor(
      'the stale-TODO Warning on AB#5',
      () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'AI DevOps' && d.range.start.line === line),
      30_000,
    );
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(diagnostic.code, 'staleTodo');
    assert.match(diagnostic.message, /AB#5, which is (Closed|Done|Removed)/);
    assert.equal(document.getText(diagnostic.range), 'AB#5');
    // Only that TODO is stale in this file: the unlinked one gets no diagnostic.
    assert.equal(vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'AI DevOps').length, 1);

    const actions = await run<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const remove = actions.find((a) => a.title === 'Remove reference AB#5');
    const relink = actions.find((a) => a.title === 'Link to another work item…');
    assert.ok(remove && relink, actions.map((a) => a.title).join(' | '));
    assert.equal(remove.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.equal(remove.isPreferred, true);
    assert.equal(relink.command?.command, 'aiDevops.todo.relink');

    try {
      await run(remove.command!.command, ...(remove.command!.arguments ?? []));
      assert.equal(document.lineAt(line).text, '  // TODO move the counters to Redis so every API instance shares them');
      await waitFor('the stale diagnostic to go once the reference is removed', async () => {
        const lensesNow = await run<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
        return !lensesNow.some((l) => l.range.start.line === line);
      });
    } finally {
      await undoTo(document, original);
    }
  });

  it('creates a work item from the unlinked TODO and writes its id into the comment, in one undoable edit', async () => {
    const uri = fileUri('src/auth/rateLimit.ts');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const original = document.getText();
    const line = lineOf(document, /\/\/ TODO forget an address/);

    const actions = await run<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(line, 5, line, 5));
    const create = actions.find((a) => a.title === 'Create work item from TODO');
    assert.ok(create?.command, actions.map((a) => a.title).join(' | '));
    assert.equal(create.command.command, 'aiDevops.todo.createWorkItem');
    assert.deepEqual(create.command.arguments, [{ uri: uri.toString(), line }]);
    // A linked TODO does not offer it.
    const onLinked = await run<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, new vscode.Range(lineOf(document, /TODO AB#5/), 5, lineOf(document, /TODO AB#5/), 5));
    assert.ok(!onLinked.some((a) => a.title === 'Create work item from TODO'));

    // The command asks which tracker (Azure Boards, the default, is listed first) and for the title
    // (prefilled from the comment); accepting both takes those answers.
    const running = run(create.command.command, ...(create.command.arguments ?? []));
    try {
      const written = await waitFor(
        'the new work item id in the TODO',
        async () => {
          const match = /\/\/ TODO AB#(\d+) forget an address's failures after a successful sign-in$/.exec(document.lineAt(line).text);
          if (match) return Number(match[1]);
          await run('workbench.action.acceptSelectedQuickOpenItem');
          await new Promise((resolve) => setTimeout(resolve, 200));
          return undefined;
        },
        40_000,
      );
      assert.ok(written > 0);
      assert.equal(document.lineAt(line).text, `// TODO AB#${written} forget an address's failures after a successful sign-in`);
      assert.equal(document.getText().split('\n').length, original.split('\n').length, 'only that line changed');

      // The item exists in the sandbox: the lens on the edited line resolves it through the tracker.
      const lenses = await resolvedLenses(uri, line, `the lens of the new AB#${written}`);
      assert.equal(lenses[0]?.command?.title, `AB#${written} · New · forget an address's failures after a successful sign-in`);
      const row = await boardsRow(`AB#${written}`);
      assert.equal(row.state, 'New');

      await vscode.window.showTextDocument(document);
      await run('undo');
      assert.equal(document.getText(), original, 'one undo takes the written id out again');
    } finally {
      await undoTo(document, original);
    }
    // The command resolves once its closing notification is dismissed (afterEach clears them).
    void running;
  });

  it('says an id the tracker does not know was not found', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'typescript',
      content: 'export const x = 1;\n// TODO contoso/contoso-web#99999 look this up\n// TODO AB#99999 and this\n',
    });
    await vscode.window.showTextDocument(document);
    try {
      const github = (await resolvedLenses(document.uri, 1, 'the contoso/contoso-web#99999 lens')).map((l) => l.command!.title);
      assert.equal(github[0], '$(warning) contoso/contoso-web#99999 · not found', github.join(' | '));
      assert.ok(github.includes('Remove reference') && github.includes('Relink…'), github.join(' | '));
      // Azure Boards answers an id that never existed with the same 404 (TF401232) as a deleted one:
      // "not found" is true of both, and a typo is not flagged as a stale TODO.
      const boards = (await resolvedLenses(document.uri, 2, 'the AB#99999 lens')).map((l) => l.command!.title);
      assert.equal(boards[0], '$(warning) AB#99999 · not found', boards.join(' | '));
      assert.ok(boards.includes('Remove reference') && boards.includes('Relink…'), boards.join(' | '));
    } finally {
      await run('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('finds the ripgrep this VS Code ships and indexes the workspace with it exactly as the walk does', async () => {
    const ripgrepPath = locateRipgrep(vscode.env.appRoot);
    assert.ok(ripgrepPath, `no ripgrep under ${vscode.env.appRoot}`);
    const folder = vscode.workspace.workspaceFolders![0]!;
    const exclude = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude') ?? {};
    const folders = [{ root: folder.uri.fsPath, excludeGlobs: Object.keys(exclude).filter((glob) => exclude[glob] === true) }];
    const parser = { tags: ['TODO', 'FIXME', 'HACK', 'XXX'], defaultTracker: 'azureBoards' as const, referencePatterns: [] };
    const quiet = (): void => undefined;
    const log = { trace: quiet, debug: quiet, info: quiet, warn: (m: string) => assert.fail(m), error: (m: string | Error) => assert.fail(String(m)) };
    const listing = (index: TodoIndex): string[] => [...index.todos()].map((t) => `${t.relativePath}:${t.todo.line}:${t.todo.text}`).sort();
    const searched = new TodoIndex({ folders, parser, log, workers: 0, ripgrepPath });
    const walked = new TodoIndex({ folders, parser, log, workers: 0 });
    assert.equal((await searched.rebuild()).engine, 'ripgrep');
    assert.equal((await walked.rebuild()).engine, 'walk');
    assert.ok(listing(searched).some((l) => l.startsWith('src/auth/reset.ts:')), listing(searched).join('\n'));
    assert.deepEqual(listing(searched), listing(walked));
  });
});
