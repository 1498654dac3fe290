import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import { type Finding } from '../../agents/runtime/plan';
import { type DisposableStore } from '../../host/disposable';
import { type Logger } from '../../core/host';
import { type AgentRunner } from '../agents/agentRunner';
import { type FindingsDiagnostics, findingOf } from '../agents/findingsDiagnostics';

/** What a "move this secret" quick fix passes to its command; checked, since any caller can run a command. */
const MoveSecretArgs = z
  .object({
    uri: z.string().min(1).max(4000),
    fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
    ruleId: z.string().min(1).max(200),
    to: z.enum(['secretStorage', 'dotenv']),
    /** The variable name, when the caller already knows it (otherwise asked, with a suggestion). */
    name: z.string().max(101).optional(),
  })
  .strict();
type MoveSecretArgs = z.infer<typeof MoveSecretArgs>;

export interface SecurityFeatureDeps {
  readonly runner: AgentRunner;
  readonly diagnostics: FindingsDiagnostics;
  readonly secrets: vscode.SecretStorage;
  readonly log: Logger;
}

const SCRIPT = /\.[cm]?[jt]sx?$/;
const LOCKFILE = /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|uv\.lock|requirements[^/]*\.txt)$/;
const INFRA = /(^|\/)(Dockerfile[^/]*|[^/]+\.dockerfile|Containerfile)$|\.(ya?ml|tf)$/i;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const isSecurityDiagnostic = (d: vscode.Diagnostic): boolean => typeof d.source === 'string' && d.source.endsWith(' security');

/** The categories worth running for one saved file (never bandit: it would ask to run a program on every save). */
function categoriesFor(rel: string): string[] {
  return ['secrets', ...(SCRIPT.test(rel) ? ['code'] : []), ...(LOCKFILE.test(rel) ? ['dependencies'] : []), ...(INFRA.test(rel) ? ['infrastructure'] : [])];
}

class SecurityCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics.filter(isSecurityDiagnostic)) {
      const f = findingOf.get(d);
      if (!f) continue;
      if (f.category === 'secrets') {
        for (const [to, title] of [
          ['secretStorage', 'Replace with an environment variable; keep the value in SecretStorage (OS keychain)'],
          ['dotenv', 'Replace with an environment variable; move the value to the git-ignored .env'],
        ] as const) {
          const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
          a.diagnostics = [d];
          a.command = { title, command: 'aiDevops.security.moveSecret', arguments: [{ uri: document.uri.toString(), fingerprint: f.fingerprint, ruleId: f.ruleId, to } satisfies MoveSecretArgs] };
          actions.push(a);
        }
      }
      const bump = f.fix ? await fixAction(f, d) : undefined;
      if (bump) actions.push(bump);
      const suppress = new vscode.CodeAction(`Suppress ${f.ruleId} with a reason…`, vscode.CodeActionKind.QuickFix);
      suppress.diagnostics = [d];
      suppress.command = { title: suppress.title, command: 'aiDevops.security.suppress', arguments: [{ fingerprint: f.fingerprint, ruleId: f.ruleId, ...(f.file ? { file: f.file } : {}) }] };
      actions.push(suppress);
    }
    return actions;
  }
}

/** The finding's own fix (a dependency bump) as an edit, when the files are still as the scan read them. */
async function fixAction(f: Finding, d: vscode.Diagnostic): Promise<vscode.CodeAction | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root || !f.fix) return undefined;
  const edit = new vscode.WorkspaceEdit();
  for (const e of f.fix.edits) {
    const uri = vscode.Uri.joinPath(root, e.path);
    const doc = await vscode.workspace.openTextDocument(uri).then(
      (x) => x,
      () => undefined,
    );
    if (!doc || e.action !== 'modify' || (e.baseSha256 && sha256(doc.getText()) !== e.baseSha256)) return undefined;
    edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), e.content);
  }
  const a = new vscode.CodeAction(f.fix.description, vscode.CodeActionKind.QuickFix);
  a.diagnostics = [d];
  a.edit = edit;
  a.isPreferred = true;
  return a;
}

/** Replaces a committed secret with an environment variable reference and puts the value where it belongs; the value is never logged. */
async function moveSecret(args: MoveSecretArgs, deps: SecurityFeatureDeps): Promise<boolean> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!root) return false;
  const uri = vscode.Uri.parse(args.uri);
  const rel = path.relative(root, uri.fsPath).split(path.sep).join('/');
  if (uri.scheme !== 'file' || rel.startsWith('..') || path.isAbsolute(rel)) throw new Error('the file is not in the workspace folder');
  const document = await vscode.workspace.openTextDocument(uri);
  const { secretSpans } = await import('../../agents/security/secrets/secretEngine');
  const { envReferenceChanges, ignoresDotenv, isVariableName, suggestedVariable, withDotenvEntry } = await import('../../agents/security/secrets/envReference');
  const text = document.getText();
  const span = (await secretSpans(text, { file: rel })).find((s) => s.finding.fingerprint === args.fingerprint);
  if (!span) {
    void vscode.window.showWarningMessage('AI DevOps: that secret is no longer in the file as it was scanned; scan again (AI DevOps: Run Security Scan).');
    return false;
  }
  const name = args.name && isVariableName(args.name) ? args.name : await vscode.window.showInputBox({
    title: 'Environment variable for this secret',
    value: suggestedVariable(args.ruleId),
    validateInput: (v) => (isVariableName(v) ? undefined : 'Upper-case letters, digits and _ (e.g. GITHUB_TOKEN)'),
  });
  if (!name) return false;
  const value = text.slice(span.start, span.end);
  if (args.to === 'secretStorage') {
    await deps.secrets.store(`aiDevops.workspaceSecret.${name}`, value);
  } else {
    const envFile = path.join(root, '.env');
    const gitignore = path.join(root, '.gitignore');
    const ignore = await fs.readFile(gitignore, 'utf8').catch(() => '');
    // The .env must be ignored before the value lands in it, so it is never one `git add .` away from a commit.
    if (!ignoresDotenv(ignore)) await fs.writeFile(gitignore, `${ignore}${ignore && !ignore.endsWith('\n') ? '\n' : ''}.env\n`);
    const existing = await fs.readFile(envFile, 'utf8').catch(() => '');
    await fs.writeFile(envFile, withDotenvEntry(existing, name, value), { mode: 0o600 });
  }
  const edit = new vscode.WorkspaceEdit();
  for (const c of envReferenceChanges(rel, text, span.start, span.end, name)) edit.replace(uri, new vscode.Range(document.positionAt(c.start), document.positionAt(c.end)), c.text);
  const applied = await vscode.workspace.applyEdit(edit);
  if (applied) await document.save();
  deps.log.info(`Moved a ${args.ruleId} secret in ${rel} to ${args.to === 'secretStorage' ? 'SecretStorage' : '.env'} as ${name}.`);
  void vscode.window.showInformationMessage(
    `AI DevOps: ${rel} now reads ${name} from the environment; the value is ${args.to === 'secretStorage' ? 'in SecretStorage (your OS keychain)' : 'in .env, which git ignores'}. Rotate the secret: it is still in the repository's history.`,
  );
  return applied;
}

/** The security agent's editor face beyond the shared agent UI: quick fixes and the re-scan of a saved file. */
export function registerSecurityFeature(scope: DisposableStore, deps: SecurityFeatureDeps): void {
  scope.add(
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new SecurityCodeActions(), { providedCodeActionKinds: SecurityCodeActions.kinds }),
    vscode.commands.registerCommand('aiDevops.security.moveSecret', async (args: unknown) => {
      const parsed = MoveSecretArgs.safeParse(args);
      if (!vscode.workspace.isTrusted || !parsed.success) return false;
      try {
        return await moveSecret(parsed.data, deps);
      } catch (error) {
        void vscode.window.showErrorMessage(`AI DevOps: the secret was not moved: ${error instanceof Error ? error.message : String(error)}`);
        return false;
      }
    }),
    vscode.workspace.onDidSaveTextDocument((document) => {
      const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
      if (!root || !vscode.workspace.isTrusted || document.uri.scheme !== 'file' || !deps.diagnostics.hasPublished('security')) return;
      const rel = path.relative(root, document.uri.fsPath).split(path.sep).join('/');
      if (rel.startsWith('..') || rel.startsWith('.devops/') || rel.startsWith('.git/')) return;
      void deps.runner.run('security', 'scan', { only: categoriesFor(rel), files: [rel] }, { mode: 'plan', files: [rel], quiet: true, notify: false }).catch((error: unknown) => {
        deps.log.warn(`Security re-scan of ${rel} failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    }),
  );
}
