import assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { type RunResult } from '../../../src/agents/runtime/runAgent';
import { activated, waitFor } from '../helpers/extension';

/**
 * The security agent in the real extension host: AI DevOps: Run Security Scan puts a committed
 * token and a vulnerable dependency (from the sandbox's advisory stand-ins) into the Problems
 * panel, one collection per category with the rule linked; the quick fixes move the token to an
 * environment variable with its value in a git-ignored .env, and bump the dependency; saving the
 * file re-scans it alone and the problem goes away.
 */
const root = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
const DIR = 'security-it';

/** A GitHub token built here, never written in the source. */
function token(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = 42;
  let out = 'ghp_';
  for (let i = 0; i < 36; i++) out += alphabet[(s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % alphabet.length];
  return out;
}

const securityDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'AI DevOps security');

describe('security agent in the extension host', () => {
  const leak = (): vscode.Uri => vscode.Uri.file(path.join(root(), DIR, 'client.ts'));
  const requirements = (): vscode.Uri => vscode.Uri.file(path.join(root(), DIR, 'requirements.txt'));
  let gitignore: string | undefined;

  before(async () => {
    await activated();
    gitignore = await fs.readFile(path.join(root(), '.gitignore'), 'utf8').catch(() => undefined);
    await fs.mkdir(path.join(root(), DIR), { recursive: true });
    await fs.writeFile(leak().fsPath, `export const client = { token: "${token()}" };\n`);
    await fs.writeFile(requirements().fsPath, 'requests==2.19.1\n');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fs.rm(path.join(root(), DIR), { recursive: true, force: true });
    await fs.rm(path.join(root(), '.env'), { force: true });
    if (gitignore === undefined) await fs.rm(path.join(root(), '.gitignore'), { force: true });
    else await fs.writeFile(path.join(root(), '.gitignore'), gitignore);
  });

  it('Run Security Scan: the token and the advisory in Problems, per category, with the rule linked and no secret in the message', async () => {
    const result = await vscode.commands.executeCommand<RunResult>('aiDevops.security.scan', { only: ['secrets', 'dependencies'] });
    assert.equal(result?.outcome, 'succeeded', result?.error);
    const [secret] = securityDiagnostics(leak());
    assert.ok(secret, 'the token is in Problems');
    assert.equal(secret.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(secret.range.start.line, 0);
    assert.deepEqual(typeof secret.code === 'object' ? [secret.code.value, secret.code.target.scheme] : secret.code, ['@secretlint/secretlint-rule-github', 'https']);
    assert.ok(!secret.message.includes(token()));
    const [advisory] = securityDiagnostics(requirements());
    assert.ok(advisory, 'the advisory is in Problems');
    assert.match(advisory.message, /requests 2\.19\.1 .*GHSA-x84v-xcm2-53pg.*Fixed in 2\.20\.0/);
  });

  it('File Security Work Items: one Bug for the token in the sandbox Azure Boards, tagged security; a second run files none', async () => {
    const config = vscode.workspace.getConfiguration('aiDevops');
    const previous = config.inspect('agents.approval')?.globalValue;
    await config.update('agents.approval', { agents: { security: { trackerWrite: 'allow' } } }, vscode.ConfigurationTarget.Global);
    try {
      const first = await vscode.commands.executeCommand<RunResult>('aiDevops.security.fileWorkItems', { only: ['secrets'], tracker: 'azureBoards' });
      assert.equal(first?.outcome, 'succeeded', first?.error);
      const created = first!.plan!.remote.filter((r) => r.kind === 'workItem.create');
      assert.equal(created.length, 1, JSON.stringify(first!.plan!.remote.map((r) => r.summary)));
      assert.match(created[0]!.summary, /^New Bug: Security \(critical\): .* in client\.ts:1$/);
      assert.ok(!JSON.stringify(first!.plan).includes(token()), 'no secret in the plan');
      const second = await vscode.commands.executeCommand<RunResult>('aiDevops.security.fileWorkItems', { only: ['secrets'], tracker: 'azureBoards' });
      assert.equal(second?.outcome, 'succeeded', second?.error);
      assert.deepEqual(second!.plan!.remote, [], 'the item is found by its fingerprint');
    } finally {
      await config.update('agents.approval', previous, vscode.ConfigurationTarget.Global);
    }
  });

  it('quick fix: the dependency bump edits requirements.txt', async () => {
    const document = await vscode.workspace.openTextDocument(requirements());
    const [advisory] = securityDiagnostics(requirements());
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', requirements(), advisory!.range, vscode.CodeActionKind.QuickFix.value);
    const bump = actions.find((a) => a.title === 'Update requests to 2.20.0');
    assert.ok(bump?.edit, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(bump.edit));
    assert.equal(document.getText(), 'requests==2.20.0\n');
    await document.save();
  });

  it('quick fix: the token becomes process.env.GITHUB_TOKEN, its value goes to the git-ignored .env, and the save re-scans only that file', async function () {
    // The re-scan is a whole agent run (its secret engine loaded, audited): 8-11 s on two busy cores.
    this.timeout(60_000);
    const document = await vscode.workspace.openTextDocument(leak());
    await vscode.window.showTextDocument(document);
    const [secret] = securityDiagnostics(leak());
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', leak(), secret!.range, vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.some((t) => /SecretStorage/.test(t)) && titles.some((t) => /Suppress .* with a reason/.test(t)), titles.join(' | '));
    const toDotenv = actions.find((a) => /\.env/.test(a.title))!;
    const moved = await vscode.commands.executeCommand<boolean>(toDotenv.command!.command, { ...(toDotenv.command!.arguments![0] as object), name: 'GITHUB_TOKEN' });
    assert.equal(moved, true);
    assert.equal(readFileSync(leak().fsPath, 'utf8'), 'export const client = { token: process.env.GITHUB_TOKEN };\n');
    assert.equal(readFileSync(path.join(root(), '.env'), 'utf8'), `GITHUB_TOKEN=${token()}\n`);
    assert.match(readFileSync(path.join(root(), '.gitignore'), 'utf8'), /^\.env$/m);
    await waitFor('the re-scan on save to clear the problem', async () => (securityDiagnostics(leak()).length === 0 ? true : undefined), 30_000);
    assert.equal(securityDiagnostics(requirements()).length, 0, 'the requirements file was re-scanned on its own save');
  });

  it('the move-secret command refuses a file outside the workspace and arguments that are not a quick fix', async () => {
    const outside = vscode.Uri.file(path.join(path.dirname(root()), 'outside-the-workspace.ts')).toString();
    assert.equal(await vscode.commands.executeCommand('aiDevops.security.moveSecret', { uri: outside, fingerprint: '0'.repeat(32), ruleId: 'x', to: 'dotenv', name: 'X' }), false);
    assert.equal(await vscode.commands.executeCommand('aiDevops.security.moveSecret', { uri: leak().toString(), fingerprint: 'not hex', ruleId: 'x', to: 'anywhere' }), false);
  });
});

/**
 * The two report commands from the palette, as a user runs them: nothing is written until the
 * review is accepted (Escape writes nothing), then the files are there, and the committed token
 * they report on appears in none of them, nor in the run's result or the audit trail.
 */
describe('security reports from the palette', function () {
  // Each report scans the workspace (secrets, dependencies against the sandbox) before its review.
  this.timeout(180_000);
  const REPORT_DIR = 'security-report-it';
  const reports = (): string => path.join(root(), '.devops', 'reports');
  const run = <T>(command: string, ...args: unknown[]): Thenable<T> => vscode.commands.executeCommand<T>(command, ...args);

  /** Runs a palette command and accepts each quick pick it shows (the period, then the review) until it ends. */
  async function accepting(command: string): Promise<RunResult> {
    let done: RunResult | undefined;
    let failed: unknown;
    void Promise.resolve(run<RunResult>(command)).then(
      (r) => (done = r),
      (e: unknown) => (failed = e ?? new Error(`${command} failed`)),
    );
    return waitFor(
      `${command} to finish after its review is accepted`,
      async () => {
        if (failed) throw failed;
        if (done) return done;
        await run('workbench.action.acceptSelectedQuickOpenItem');
        await new Promise((resolve) => setTimeout(resolve, 250));
        return undefined;
      },
      120_000,
    );
  }

  /** Every file under a folder, as text. */
  async function textsUnder(dir: string): Promise<string[]> {
    const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    return Promise.all(entries.filter((e) => e.isFile()).map((e) => fs.readFile(path.join(e.parentPath, e.name), 'utf8')));
  }

  before(async () => {
    await activated();
    await fs.rm(reports(), { recursive: true, force: true });
    await fs.mkdir(path.join(root(), REPORT_DIR), { recursive: true });
    await fs.writeFile(path.join(root(), REPORT_DIR, 'deploy.ts'), `export const deployToken = "${token()}";\n`);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fs.rm(path.join(root(), REPORT_DIR), { recursive: true, force: true });
    await fs.rm(reports(), { recursive: true, force: true });
  });

  it('Create Compliance Report: Escape at the review writes nothing; accepted, compliance.md and .html are written, the secrets check failed, the token in neither', async () => {
    const declined = run<RunResult>('aiDevops.security.complianceReport');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await waitFor(
      'the review to be dismissed',
      async () => {
        await run('workbench.action.closeQuickOpen');
        return Promise.race([Promise.resolve(declined).then((r) => r), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 250))]);
      },
      120_000,
    );
    assert.equal((await declined)?.outcome, 'declined');
    await assert.rejects(fs.access(path.join(reports(), 'compliance.md')), 'nothing written before approval');

    const result = await accepting('aiDevops.security.complianceReport');
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.deepEqual([...result.applied.edits].sort(), ['.devops/reports/compliance.html', '.devops/reports/compliance.md']);
    const markdown = readFileSync(path.join(reports(), 'compliance.md'), 'utf8');
    const html = readFileSync(path.join(reports(), 'compliance.html'), 'utf8');
    assert.match(markdown, /SOX/);
    assert.match(markdown, /GDPR/);
    assert.match(markdown, /HIPAA/);
    assert.match(markdown, new RegExp(`${REPORT_DIR}/deploy\\.ts`), 'the evidence names where the secret is');
    assert.match(html, /<html/i);
    for (const [what, text] of [['compliance.md', markdown], ['compliance.html', html], ['the run result', JSON.stringify(result)]] as const) assert.ok(!text.includes(token()), `the token is in ${what}`);
  });

  it('Export Compliance Report: the period picked, the review accepted, the trail of the period as Markdown, HTML and CSV, the token in none of them nor in the trail', async () => {
    const result = await accepting('aiDevops.security.exportCompliance');
    assert.equal(result.outcome, 'succeeded', result.error);
    const written = [...result.applied.edits].sort();
    assert.equal(written.length, 3, JSON.stringify(written));
    for (const [i, ext] of ['csv', 'html', 'md'].entries()) assert.match(written[i]!, new RegExp(`^\\.devops/reports/audit-\\d{4}-\\d{2}-\\d{2}_\\d{4}-\\d{2}-\\d{2}\\.${ext}$`));
    const markdown = readFileSync(path.join(root(), written[2]!), 'utf8');
    assert.match(markdown, /security/, 'the earlier security runs are in the period');
    const csv = readFileSync(path.join(root(), written[0]!), 'utf8');
    assert.ok(csv.split('\n').length > 2, 'the CSV has events');
    const everything = [...(await textsUnder(reports())), ...(await textsUnder(path.join(root(), '.devops', 'audit'))), JSON.stringify(result)];
    assert.ok(everything.length > 4);
    assert.ok(everything.every((text) => !text.includes(token())), 'the token appears in a report, the audit trail or the result');
  });
});
