import * as vscode from 'vscode';
import { credentialUrlFor, describeScope } from '../core/credentialScope';
import { type Logger, type ServiceId } from '../core/host';
import { type Settings } from '../core/settings';
import {
  ALL_SERVICES,
  CredentialStore,
  SERVICE_LABELS,
  type SandboxCredentialSource,
  type SecretStore,
  type SessionSource,
  type UserEndpoint,
} from '../providers/credentials/credentialStore';
import { type DisposableStore } from './disposable';

const secretStore = (secrets: vscode.SecretStorage): SecretStore => ({
  get: async (k) => secrets.get(k),
  store: async (k, v) => secrets.store(k, v),
  delete: async (k) => secrets.delete(k),
});

const sessionSource: SessionSource = {
  async getSession(provider, scopes, { interactive, forceRefresh }) {
    const session = forceRefresh
      ? await vscode.authentication.getSession(provider, [...scopes], {
          forceNewSession: { detail: 'The service refused the last token; sign in again.' },
        })
      : interactive
        ? await vscode.authentication.getSession(provider, [...scopes], { createIfNone: true })
        : await vscode.authentication.getSession(provider, [...scopes], { silent: true });
    return session ? { accessToken: session.accessToken, account: session.account.label } : undefined;
  },
};

/** Credentials for the whole extension, and the commands that manage them. */
export function registerCredentials(
  scope: DisposableStore,
  context: vscode.ExtensionContext,
  sandbox: SandboxCredentialSource,
  log: Logger,
  settings: { readonly effective: () => Settings; readonly userEndpoint: UserEndpoint; readonly onDidChange?: vscode.Event<unknown> },
): { store: CredentialStore; onDidChange: vscode.Event<void> } {
  const store = new CredentialStore(secretStore(context.secrets), sessionSource, sandbox, log, settings.userEndpoint);
  const changed = scope.add(new vscode.EventEmitter<void>());
  scope.add(context.secrets.onDidChange(() => changed.fire()));
  scope.add(
    vscode.authentication.onDidChangeSessions((e) => {
      if (e.provider.id === 'github' || e.provider.id === 'microsoft') changed.fire();
    }),
  );

  scope.add(
    vscode.commands.registerCommand('aiDevops.signIn', async () => {
      type Pick = vscode.QuickPickItem & { run: () => Promise<unknown> };
      const picks: Pick[] = [
        { label: '$(github) GitHub', detail: 'Sign in with your GitHub account (issues, pull requests, Projects)', run: () => store.signIn('github') },
        { label: '$(azure-devops) Azure DevOps', detail: 'Sign in with your Microsoft account (Azure Boards, Repos, Pipelines)', run: () => store.signIn('azureDevOps') },
        { label: '$(key) Azure DevOps personal access token…', detail: 'For Azure DevOps Server or when Microsoft sign-in is not available', run: () => promptForSecret(store, 'azureDevOps', settings.effective()) },
        { label: '$(key) GitHub personal access token…', detail: 'A fine-grained or classic token with repo and project scopes', run: () => promptForSecret(store, 'github', settings.effective()) },
      ];
      const pick = await vscode.window.showQuickPick(picks, { title: 'AI DevOps: Sign In', placeHolder: 'Connect a service' });
      if (!pick) return;
      const result = await pick.run();
      if (result) {
        changed.fire();
        void vscode.window.showInformationMessage(`AI DevOps: connected (${pick.label.replace(/\$\([^)]+\)\s*/, '')}).`);
      }
    }),
    vscode.commands.registerCommand('aiDevops.setToken', async (service?: ServiceId) => {
      const target =
        service ??
        (
          await vscode.window.showQuickPick(
            ALL_SERVICES.map((s) => ({ label: SERVICE_LABELS[s], service: s })),
            { title: 'AI DevOps: Set Personal Access Token or API Key', placeHolder: 'Which service is the token for?' },
          )
        )?.service;
      if (target && (await promptForSecret(store, target, settings.effective()))) changed.fire();
    }),
    vscode.commands.registerCommand('aiDevops.forgetCredentials', async () => {
      const confirm = await vscode.window.showWarningMessage(
        'Forget every token and API key AI DevOps stored?',
        { modal: true, detail: 'Sign-ins to GitHub and Microsoft belong to VS Code; sign out of them from the Accounts menu.' },
        'Forget',
      );
      if (confirm !== 'Forget') return;
      const forgotten = await store.forgetAll();
      changed.fire();
      void vscode.window.showInformationMessage(
        forgotten.length === 0
          ? 'AI DevOps had no stored tokens or keys.'
          : `AI DevOps forgot the stored credentials for ${forgotten.map((s) => SERVICE_LABELS[s]).join(', ')}.`,
      );
    }),
  );
  // `aiDevops.azureDevOps.signedIn` / `aiDevops.github.signedIn` for `when` clauses: set at start and
  // whenever credentials, sessions or settings change. Only true/false reaches the context.
  const refreshSignedIn = (): void => {
    for (const [service, key] of [['azureDevOps', 'aiDevops.azureDevOps.signedIn'], ['github', 'aiDevops.github.signedIn']] as const) {
      void store.signedIn(service, credentialUrlFor(service, settings.effective())).then((yes) => vscode.commands.executeCommand('setContext', key, yes));
    }
  };
  scope.add(changed.event(refreshSignedIn));
  if (settings.onDidChange) scope.add(settings.onDidChange(refreshSignedIn));
  refreshSignedIn();
  return { store, onDidChange: changed.event };
}

/**
 * Asks for a token and stores it bound to where the settings send it now, and says so before and
 * after: a token is never sent to another host (a workspace that points elsewhere gets nothing).
 */
async function promptForSecret(store: CredentialStore, service: ServiceId, settings: Settings): Promise<boolean> {
  const url = credentialUrlFor(service, settings);
  if (!url) {
    void vscode.window.showWarningMessage(`AI DevOps: set aiDevops.ai.endpoint (with aiDevops.ai.provider "${service}") first: a key is stored for the host it will be sent to.`, 'Open Settings').then((pick) => {
      if (pick) void vscode.commands.executeCommand('workbench.action.openSettings', 'aiDevops.ai.endpoint');
    });
    return false;
  }
  const origin = new URL(url).origin;
  const value = await vscode.window.showInputBox({
    title: `${SERVICE_LABELS[service]}: token or key for ${origin}`,
    prompt: `Sent only to ${origin} (where your settings point now), never to another host. Stored in VS Code’s SecretStorage (the operating system’s keychain), never in settings or logs.`,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim().length === 0 ? 'Paste the token' : /\s/.test(v.trim()) ? 'A token has no spaces or line breaks' : undefined),
  });
  if (value === undefined) return false;
  try {
    const scope = await store.setSecret(service, value, url);
    void vscode.window.showInformationMessage(`AI DevOps: the ${SERVICE_LABELS[service]} token is stored; it is sent only to ${describeScope(scope)}.`);
    return true;
  } catch (error) {
    void vscode.window.showErrorMessage(`AI DevOps: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
