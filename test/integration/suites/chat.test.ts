import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { chatServices, createChatHandler } from '../../../src/chat/registerChatFeature';
import { type Host, type Logger } from '../../../src/core/host';
import { ModelRegistry } from '../../../src/providers/ai/modelRegistry';
import { FileAuditSink } from '../../../src/providers/audit';
import { Sandbox } from '../../../src/sandbox/sandbox';
import { AuditTrailModel } from '../../../src/views/audit/auditTrailModel';
import { activated, waitFor } from '../helpers/extension';

const quiet: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The tools package.json contributes, as VS Code read them. */
interface ManifestTool {
  readonly name: string;
  readonly inputSchema: object;
}

const textOf = (result: vscode.LanguageModelToolResult): string => result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');

/** What the handler wrote into its response stream. */
interface Recorded {
  readonly markdowns: string[];
  readonly buttons: vscode.Command[];
  readonly references: (vscode.Uri | vscode.Location)[];
  readonly progress: string[];
  readonly text: string;
}

function recordingStream(): { recorded: Recorded; stream: vscode.ChatResponseStream } {
  const recorded = {
    markdowns: [] as string[],
    buttons: [] as vscode.Command[],
    references: [] as (vscode.Uri | vscode.Location)[],
    progress: [] as string[],
    get text(): string {
      return this.markdowns.join('');
    },
  };
  const stream = {
    markdown: (v: string | vscode.MarkdownString) => recorded.markdowns.push(typeof v === 'string' ? v : v.value),
    button: (c: vscode.Command) => recorded.buttons.push(c),
    reference: (r: vscode.Uri | vscode.Location) => recorded.references.push(r),
    progress: (v: string) => recorded.progress.push(v),
    anchor: () => undefined,
    filetree: () => undefined,
    push: () => undefined,
  };
  // The handler uses only the methods above; the stream type has more that it never calls.
  return { recorded, stream: stream as unknown as vscode.ChatResponseStream };
}

describe('@devops and the language-model tools in the extension host', () => {
  before(activated);

  it('offers our sandbox model to VS Code (vendor aiDevops, tool calling)', async () => {
    const model = await waitFor('the sandbox model in vscode.lm', async () => (await vscode.lm.selectChatModels({ vendor: 'aiDevops' })).find((m) => m.id === 'sandbox/gpt-4o-mini'), 20_000);
    assert.equal(model.name, 'Sandbox model (no account needed)');
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('hello')], {}, new vscode.CancellationTokenSource().token);
    let text = '';
    for await (const part of response.text) text += part;
    assert.match(text, /^Hello! I am the sandbox model/);
  });

  it('registers every tool package.json contributes, with its input schema', async () => {
    const declared = (vscode.extensions.getExtension('ai-devops.ai-devops')!.packageJSON as { contributes: { languageModelTools: ManifestTool[] } }).contributes.languageModelTools;
    const ours = await waitFor('our tools in vscode.lm.tools', () => {
      const found = vscode.lm.tools.filter((t) => t.name.startsWith('aiDevops_'));
      return found.length === declared.length ? found : undefined;
    });
    assert.deepEqual(ours.map((t) => t.name).sort(), declared.map((t) => t.name).sort());
    for (const t of declared) assert.deepEqual(ours.find((o) => o.name === t.name)?.inputSchema, t.inputSchema, t.name);
  });

  it('invokes the get-work-item tool through vscode.lm.invokeTool', async () => {
    const result = await vscode.lm.invokeTool('aiDevops_getWorkItem', { input: { id: 'AB#7' }, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
    const item = JSON.parse(textOf(result)) as { id: string; title: string; state: string };
    assert.equal(item.id, 'AB#7');
    assert.equal(item.title, 'Email the reset link');
  });

  it('refuses tool input that does not fit the schema, naming the field', async () => {
    await assert.rejects(
      Promise.resolve(vscode.lm.invokeTool('aiDevops_getWorkItem', { input: { identifier: 7 }, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token)),
      /aiDevops_getWorkItem got input it cannot use \(id: /,
    );
  });

  describe('the participant handler, with its own sandbox', () => {
    let sandbox: Sandbox;
    let registry: ModelRegistry;
    let sink: FileAuditSink;
    let model: AuditTrailModel;
    let handler: vscode.ChatRequestHandler;
    let picked: vscode.LanguageModelChat;
    const root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;

    before(async () => {
      sandbox = await Sandbox.start({ stateDir: undefined, log: quiet });
      const host: Host = {
        log: quiet,
        fetch: globalThis.fetch.bind(globalThis),
        getCredential: async () => undefined,
        getConfig: (key) => ({ 'ai.provider': 'sandbox' })[key],
        workspaceRoot: root,
        storageDir: mkdtempSync(path.join(tmpdir(), 'chat-it-')),
      };
      registry = new ModelRegistry({ host, sandbox: { modelUrls: async () => sandbox.modelUrls(), credentials: async () => sandbox.credentials }, cacheDir: null });
      sink = new FileAuditSink({ workspaceRoot: root, log: quiet });
      await sink.append({ correlationId: 'it-run', eventType: 'run.started', service: 'security' });
      await sink.append({ correlationId: 'it-run', eventType: 'run.completed', service: 'security', workItemId: 7 });
      // A trail model of its own on the workspace's trail, as the extension builds one.
      model = new AuditTrailModel(sink, quiet, host.storageDir, root);
      const { services, tools } = chatServices({ log: quiet, models: registry, trackers: { azure: () => undefined, github: () => undefined }, outbox: undefined, audit: { sink, model }, workspaceRoot: root });
      handler = createChatHandler(services, tools, registry);
      picked = (await vscode.lm.selectChatModels({ vendor: 'aiDevops', id: 'sandbox/gpt-4o-mini' }))[0]!;
    });
    after(async () => {
      model.dispose();
      await sink.close();
      await sandbox.stop();
    });

    const ask = async (command: string | undefined, prompt: string, references: vscode.ChatPromptReference[] = []) => {
      const { recorded, stream } = recordingStream();
      // The fields the handler reads; a real ChatRequest also carries ids VS Code assigns.
      const request = { prompt, command, references, toolReferences: [], toolInvocationToken: undefined, model: picked } as unknown as vscode.ChatRequest;
      const result = await handler(request, { history: [] }, stream, new vscode.CancellationTokenSource().token);
      return { stream: recorded, result: result as vscode.ChatResult };
    };

    it('/status says how to connect a tracker and lists the audit trail\'s runs', async () => {
      const { stream, result } = await ask('status', '');
      assert.match(stream.text, /No work tracker is connected/);
      assert.deepEqual(stream.buttons.map((b) => b.command), ['aiDevops.signIn', 'aiDevops.trySandbox']);
      assert.equal((result.metadata as { command: string }).command, 'status');
    });

    it('/audit answers from the workspace trail with the picked sandbox model', async () => {
      const { stream } = await ask('audit', 'what did the security agent do');
      assert.match(stream.text, /\*\*2 events from security\*\* in 1 action/);
      assert.match(stream.text, /^You said: Question about the audit trail/);
    });

    it('/git reports the demo workspace copy, which is not a repository', async () => {
      const { stream } = await ask('git', '');
      assert.match(stream.text, /not in a git repository|Branch:/);
    });

    it('/bootstrap is routed to the orchestrator, which needs a folder to run in', async () => {
      const { stream } = await ask('bootstrap', 'a new web shop');
      assert.match(stream.text, /Agents need a folder/);
    });

    it('/plan is routed to the planner, which needs a folder to run in', async () => {
      const { stream } = await ask('plan', 'break down AB#1');
      assert.match(stream.text, /Agents need a folder/);
    });

    it('a free-form question reads the #file attached and lists it as a reference', async () => {
      const uri = vscode.Uri.file(path.join(root, 'src', 'auth', 'reset.ts'));
      const { stream } = await ask(undefined, 'FILE what does this do?', [{ id: 'vscode.file', value: uri }]);
      assert.ok(stream.references.some((r) => r instanceof vscode.Uri && r.fsPath === uri.fsPath));
      const sent = registry.sentPrompts.list().at(-1)!;
      assert.match(sent.messages.map((m) => m.content).join('\n'), /File src\/auth\/reset\.ts:\n<<</);
      assert.match(stream.text, /^You said: FILE what does this do\?/);
    });
  });
});
