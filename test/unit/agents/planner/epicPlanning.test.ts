import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type z } from 'zod';
import { plannerAgent } from '../../../../src/agents/planner/plannerAgent';
import { workItemExecutors } from '../../../../src/agents/runtime/executors/defaultExecutors';
import { runAgent, type RunResult } from '../../../../src/agents/runtime/runAgent';
import { type ChatModel, type ModelInfo } from '../../../../src/core/ai/chatModel';
import { completeJsonWith } from '../../../../src/core/ai/jsonOutput';
import { type ChatMessage, type ChatOptions } from '../../../../src/core/ai/messages';
import { type ServiceEndpoints } from '../../../../src/core/backend';
import { type Credential, type Logger } from '../../../../src/core/host';
import { readSettings } from '../../../../src/core/settings';
import { type TrackerKind } from '../../../../src/core/workItem';
import { FileOutbox } from '../../../../src/providers/boards/outbox/fileOutbox';
import { TrackerSet } from '../../../../src/providers/boards/trackerSet';
import { processByName } from '../../../../src/sandbox/azureDevOps/state/processes';
import { addProject } from '../../../../src/sandbox/azureDevOps/state/projectOps';
import { Sandbox } from '../../../../src/sandbox/sandbox';
import { type Harness, makeHarness, ScriptedUi } from '../runtime/harness';
import { parsePlanChatRequest } from '../../../../src/agents/planner/chatRequest';
import { type ChatAgents } from '../../../../src/providers/chat/agents/agentChat';
import { routeChatRequest } from '../../../../src/providers/chat/router';
import { chatFixture, noModel } from '../../providers/chat/chatHarness';
import { demoItems, FakeWorkTracker } from '../../providers/chat/fakeWorkTracker';

const none = (): void => undefined;
const log: Logger = { trace: none, debug: none, info: none, warn: none, error: none };

/** The issue's example: an epic with sections, estimates, criteria and tasks. */
const EPIC = `# Checkout revamp

Customers pay faster and see what they bought.

## Card payments

### Pay by card [5]

**Acceptance criteria**

- A declined card says why
- The receipt is emailed

**Tasks**

- Build the card form [4h]
- Call the payment API [6h]

### Save a card [3]

## Order history

### List past orders [2]

- Query the orders [3h]
`;

interface Tree {
  type: string;
  title: string;
  estimate: number | null;
  acceptanceCriteria: string[];
  id?: number;
  children: Tree[];
}

const shape = (t: Tree): string => `${t.type}:${t.title}${t.estimate !== null ? `[${t.estimate}]` : ''}${t.children.length ? `(${t.children.map(shape).join(', ')})` : ''}`;

/** A model that always gives the same answer, checked by the same JSON path every model takes (one retry, then badOutput). */
function model(answer: () => string): ChatModel & { calls: number } {
  const info: ModelInfo = { provider: 'openai', id: 'planner-test', name: 'Local model', family: 'f', maxInputTokens: 100_000, maxOutputTokens: 4000, toolCalling: false, local: true };
  const m = {
    info,
    calls: 0,
    stream: () => (async function* () {})(),
    complete: async () => {
      m.calls++;
      return { text: answer(), toolCalls: [], usage: undefined, finishReason: 'stop' as const };
    },
    completeJson: <T>(messages: readonly ChatMessage[], schema: z.ZodType<T>, options: ChatOptions & { readonly schemaName?: string } = {}) =>
      completeJsonWith(() => m.complete(), messages, schema, options, { provider: 'openai', model: 'planner-test' }),
    countTokens: async () => ({ tokens: 1, exact: false }),
  };
  return m;
}

describe('planner: epics into work items through the runtime, against the stand-ins with the real clients', () => {
  let sandbox: Sandbox;
  let dir: string;
  let outbox: FileOutbox | undefined;
  let set: TrackerSet | undefined;
  let h: Harness | undefined;
  before(async () => {
    sandbox = await Sandbox.start({ stateDir: undefined, log });
  });
  after(() => sandbox.stop());
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ai-devops-planner-'));
  });
  afterEach(async () => {
    set?.dispose();
    set = undefined;
    outbox?.dispose();
    outbox = undefined;
    await h?.dispose();
    h = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  /** A harness whose runs read and write the sandbox through a TrackerSet, as the CLI and the editor do. */
  async function setup(options: { defaultTracker?: TrackerKind; endpoints?: (e: ServiceEndpoints) => ServiceEndpoints; ui?: ScriptedUi; model?: ChatModel } = {}): Promise<Harness> {
    const credentials: Record<string, Credential> = {
      azureDevOps: { kind: 'pat', value: sandbox.credentials.azureDevOpsPat, source: 'sandbox' },
      github: { kind: 'bearer', value: sandbox.credentials.githubToken, source: 'sandbox' },
    };
    const settings = readSettings((k) => ({ backend: 'sandbox', 'workItems.defaultTracker': options.defaultTracker ?? 'azureBoards' })[k]).settings;
    const trackers = new TrackerSet({
      backend: { endpoints: () => Promise.resolve((options.endpoints ?? ((e) => e))(sandbox.endpoints())), onDidChange: () => ({ dispose: none }) },
      settings: () => settings,
      log,
      storageDir: dir,
      getCredential: (service) => Promise.resolve(credentials[service]),
      outbox: async () => (outbox ??= await FileOutbox.open({ storageDir: dir, log, autoReplay: false })),
      // GitHub's write spacing (1 s, 3 s between content-creating requests) is for github.com, not the stand-in.
      tuning: { github: { tuning: { writeSpacingMs: 0, notifySpacingMs: 0 } } },
    });
    set = trackers;
    const harness = await makeHarness({
      ...(options.ui ? { ui: options.ui } : {}),
      ...(options.model ? { model: options.model } : {}),
      executors: workItemExecutors({ trackers, git: () => assert.fail('no git here'), log }),
    });
    Object.assign(harness.services, { trackers: { azure: () => trackers.azure(), github: () => trackers.github(), defaultTracker: options.defaultTracker ?? 'azureBoards', planning: (k: TrackerKind) => trackers.planning(k) } });
    h = harness;
    return harness;
  }

  const run = (harness: Harness, input: Record<string, unknown>, mode: 'plan' | 'apply' = 'apply'): Promise<RunResult> => runAgent(harness.services, { agent: plannerAgent, action: 'epic', input, mode });
  const itemsOf = (r: RunResult): Tree[] => (r.plan?.result as unknown as { items: Tree[] }).items;
  const azureItem = (id: number) => sandbox.azureDevOps.doc.workItems.find((w) => w.id === id);
  const parentOf = (id: number): number | undefined => {
    const rel = azureItem(id)?.relations.find((r) => r.rel === 'System.LinkTypes.Hierarchy-Reverse');
    return rel ? Number(/(\d+)$/.exec(rel.url)?.[1]) : undefined;
  };
  const azureByTitle = (title: string, projectId?: string) => sandbox.azureDevOps.doc.workItems.filter((w) => w.fields['System.Title'] === title && (projectId === undefined || w.projectId === projectId));

  it('plans a Markdown epic without a model into Epic > Feature > User Story > Task (Agile), and creates nothing without apply', async () => {
    const harness = await setup();
    await harness.write('docs/checkout.md', EPIC);
    const before = sandbox.azureDevOps.doc.workItems.length;
    const r = await run(harness, { source: 'docs/checkout.md' });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(itemsOf(r).map(shape), [
      'Epic:Checkout revamp(Feature:Card payments(User Story:Pay by card[5](Task:Build the card form[4], Task:Call the payment API[6]), User Story:Save a card[3]), Feature:Order history(User Story:List past orders[2](Task:Query the orders[3])))',
    ]);
    assert.deepEqual(itemsOf(r)[0]!.children[0]!.children[0]!.acceptanceCriteria, ['A declined card says why', 'The receipt is emailed']);
    assert.equal(r.plan?.remote.length, 0, 'no --apply: the plan only shows the tree');
    assert.equal(sandbox.azureDevOps.doc.workItems.length, before);
    assert.match(String((r.plan?.result as unknown as { document: string }).document), /^<!-- ai-devops plan \{/);
  });

  it('creates the hierarchy with parent links, estimates and criteria in the template\'s fields; a second run creates nothing', async () => {
    const harness = await setup();
    await harness.write('docs/checkout.md', EPIC);
    const before = sandbox.azureDevOps.doc.workItems.length;
    const r = await run(harness, { source: 'docs/checkout.md', apply: true });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.equal(r.applied.remote.length, 9);
    assert.ok(r.applied.remote.every((c) => c.kind === 'workItem.create' && c.outcome === 'applied'), JSON.stringify(r.applied.remote));
    assert.equal(sandbox.azureDevOps.doc.workItems.length, before + 9);
    const [epic] = azureByTitle('Checkout revamp');
    const [feature] = azureByTitle('Card payments');
    const [story] = azureByTitle('Pay by card');
    const [task] = azureByTitle('Call the payment API');
    assert.equal(epic?.fields['System.WorkItemType'], 'Epic');
    assert.equal(parentOf(feature!.id), epic!.id);
    assert.equal(parentOf(story!.id), feature!.id);
    assert.equal(parentOf(task!.id), story!.id);
    assert.equal(story!.fields['System.WorkItemType'], 'User Story');
    assert.equal(story!.fields['Microsoft.VSTS.Scheduling.StoryPoints'], 5);
    assert.match(String(story!.fields['Microsoft.VSTS.Common.AcceptanceCriteria']), /A declined card says why/);
    assert.equal(task!.fields['Microsoft.VSTS.Scheduling.RemainingWork'], 6);
    assert.equal(task!.fields['Microsoft.VSTS.Scheduling.OriginalEstimate'], 6);

    const again = await run(harness, { source: 'docs/checkout.md', apply: true });
    assert.equal(again.outcome, 'succeeded', again.error);
    assert.equal(again.plan?.remote.length, 0);
    assert.match(again.plan?.summary ?? '', /Everything in the plan exists already \(9 items\)/);
    assert.equal(sandbox.azureDevOps.doc.workItems.length, before + 9, 'nothing created twice');
    assert.equal(itemsOf(again)[0]!.id, epic!.id);
  });

  it('resumes a plan stopped half-way: the second run creates only what is missing', async () => {
    // The user ticks only the epic and the first feature; the run stops there.
    const partial = new ScriptedUi((req) => ({ edits: [], commands: [], remote: req.plan.remote.slice(0, 2).map((c) => c.id) }));
    const harness = await setup({ ui: partial });
    await harness.write('docs/resume.md', EPIC.replace('# Checkout revamp', '# Resumed checkout'));
    const before = sandbox.azureDevOps.doc.workItems.length;
    const first = await run(harness, { source: 'docs/resume.md', apply: true });
    assert.equal(first.applied.remote.filter((c) => c.outcome === 'applied').length, 2);
    assert.equal(sandbox.azureDevOps.doc.workItems.length, before + 2);

    harness.ui.review = async (req) => ({ edits: [], commands: [], remote: req.plan.remote.map((c) => c.id) });
    const second = await run(harness, { source: 'docs/resume.md', apply: true });
    assert.equal(second.outcome, 'succeeded', second.error);
    assert.equal(second.plan?.remote.length, 7, 'the epic and the first feature are found, not planned again');
    assert.equal(sandbox.azureDevOps.doc.workItems.length, before + 9);
    const [epic] = azureByTitle('Resumed checkout');
    const features = azureByTitle('Card payments').filter((f) => parentOf(f.id) === epic!.id);
    assert.equal(features.length, 1, 'the feature is not created twice');
    assert.equal(parentOf(azureByTitle('Pay by card').find((s) => parentOf(s.id) === features[0]!.id)!.id), features[0]!.id);
  });

  it('recognises existing children of an epic work item and plans only what is missing under them', async () => {
    const harness = await setup();
    const missing = await run(harness, { source: 'docs/none.md' }, 'plan');
    assert.match(missing.error ?? '', /docs\/none\.md was not found in the workspace/);
    // An epic whose description has sections, with one feature already under it (made by hand, not by a plan).
    const tracker = set!.azure()!;
    const epicOutcome = await tracker.create({ type: 'Epic', title: 'Loyalty programme', description: 'Points for every order.' });
    assert.equal(epicOutcome.kind, 'applied');
    const epicId = epicOutcome.kind === 'applied' ? epicOutcome.item.id : 0;
    const existing = await tracker.create({ type: 'Feature', title: 'Earn points', description: 'by hand', parentId: epicId });
    const featureId = existing.kind === 'applied' ? existing.item.id : 0;
    const epic = azureItem(epicId)!;
    epic.fields['System.Description'] = '<h2>Earn points</h2><h3>Points per euro</h3><h2>Spend points</h2><h3>Pay with points</h3>';

    const r = await run(harness, { source: `AB#${epicId}`, apply: true });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(itemsOf(r).map(shape), ['Epic:Loyalty programme(Feature:Earn points(User Story:Points per euro), Feature:Spend points(User Story:Pay with points))']);
    assert.equal(itemsOf(r)[0]!.children[0]!.id, featureId, 'the existing feature is recognised');
    assert.deepEqual(r.plan?.remote.map((c) => c.summary), ['New User Story "Points per euro" under Feature "Earn points"', 'New Feature "Spend points" under Epic "Loyalty programme"', 'New User Story "Pay with points" under Feature "Spend points"']);
    assert.equal(azureByTitle('Earn points').length, 1);
    assert.equal(parentOf(azureByTitle('Points per euro')[0]!.id), featureId);
    assert.equal(parentOf(azureByTitle('Spend points')[0]!.id), epicId);
  });

  it('a Basic project has no Feature level: stories (Issues) go under the epic, tagged with the section', async () => {
    const basic = processByName('Basic')!;
    addProject(sandbox.azureDevOps, { name: 'Basic Shop', description: 'a Basic project', processId: basic.id, visibility: 'private' }, false);
    const harness = await setup({ endpoints: (e) => ({ ...e, azureDevOps: { ...e.azureDevOps!, project: 'Basic Shop', team: 'Basic Shop Team' } }) });
    await harness.write('docs/checkout.md', EPIC);
    const r = await run(harness, { source: 'docs/checkout.md', apply: true });
    assert.equal(r.outcome, 'succeeded', r.error);
    const projectId = sandbox.azureDevOps.doc.projects.find((p) => p.name === 'Basic Shop')!.id;
    const [epic] = azureByTitle('Checkout revamp', projectId);
    const [story] = azureByTitle('Pay by card', projectId);
    assert.equal(story?.fields['System.WorkItemType'], 'Issue');
    assert.equal(parentOf(story!.id), epic!.id);
    assert.equal(story!.fields['System.Tags'], 'Card payments');
    assert.equal(story!.fields['Microsoft.VSTS.Scheduling.Effort'], 5);
    assert.equal(azureByTitle('Card payments', projectId).length, 0);
    assert.ok(r.plan?.notes.some((n) => /has no Feature level/.test(n)));
  });

  it('creates GitHub issues linked as sub-issues, estimates in the body; a second run creates nothing', async () => {
    const harness = await setup({ defaultTracker: 'github' });
    await harness.write('docs/checkout.md', EPIC.replace('# Checkout revamp', '# Checkout on GitHub'));
    const repo = sandbox.github.repo('contoso', 'contoso-web')!;
    const before = repo.issues.length;
    const r = await run(harness, { source: 'docs/checkout.md', apply: true });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.equal(repo.issues.length, before + 9);
    const byTitle = (t: string) => repo.issues.find((i) => i.title === t)!;
    assert.equal(byTitle('Card payments').parent, byTitle('Checkout on GitHub').number);
    assert.equal(byTitle('Pay by card').parent, byTitle('Card payments').number);
    assert.equal(byTitle('Build the card form').parent, byTitle('Pay by card').number);
    assert.match(byTitle('Pay by card').body ?? '', /- \[ \] A declined card says why[\s\S]*Estimate: 5 pts/);
    const again = await run(harness, { source: 'docs/checkout.md', apply: true });
    assert.equal(again.plan?.remote.length, 0, again.error);
    assert.equal(repo.issues.length, before + 9);
  });

  it('free text needs a model: its answer is parsed with zod, nonsense is refused with a clear message, and no model says what to do', async () => {
    const answer = {
      epic: { title: 'Gift cards', description: 'Sell and redeem gift cards.' },
      features: [{ title: 'Sell gift cards', description: '', acceptanceCriteria: [], stories: [{ title: 'Buy a card online', description: 'As a shopper…', acceptanceCriteria: ['A code is emailed'], points: 3, tasks: [{ title: 'Generate codes', hours: 4 }] }] }],
    };
    const good = model(() => JSON.stringify(answer));
    const harness = await setup({ model: good });
    const r = await run(harness, { text: 'We want to sell gift cards and let people redeem them at checkout.' }, 'plan');
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(itemsOf(r).map(shape), ['Epic:Gift cards(Feature:Sell gift cards(User Story:Buy a card online[3](Task:Generate codes[4])))']);
    assert.ok(r.plan?.notes.some((n) => /A model decomposed this epic/.test(n)));

    await h!.dispose();
    h = undefined;
    set?.dispose();
    const nonsense = model(() => JSON.stringify({ epic: { title: 'x' }, features: 'all of them' }));
    const bad = await setup({ model: nonsense });
    const refused = await run(bad, { text: 'Gift cards.' }, 'plan');
    assert.equal(refused.outcome, 'failed');
    assert.match(refused.error ?? '', /The model's decomposition could not be used \(.*did not match the expected JSON shape.*at features.*\)\. Nothing was planned/s);
    assert.equal(nonsense.calls, 2, 'asked once more with the problem named, then refused');

    await h!.dispose();
    h = undefined;
    set?.dispose();
    const without = await setup();
    const noModel = await run(without, { text: 'Gift cards.' }, 'plan');
    assert.equal(noModel.outcome, 'failed');
    assert.match(noModel.error ?? '', /no model is configured .*Write it with sections/);
  });

  it('refuses a new item under an existing one the hierarchy forbids, an id that is not under the epic, and a file outside the workspace', async () => {
    const harness = await setup();
    await harness.write('docs/foreign.md', '# AB#7 Someone else\'s item\n\n## A feature\n');
    const foreign = await run(harness, { source: 'docs/foreign.md' }, 'plan');
    assert.equal(foreign.outcome, 'failed');
    assert.match(foreign.error ?? '', /"A feature" cannot go under AB#7: A Task cannot be the parent of a Feature/);
    await harness.write('docs/borrowed.md', '# A new epic\n\n## AB#7 Borrowed\n');
    const borrowed = await run(harness, { source: 'docs/borrowed.md' }, 'plan');
    assert.match(borrowed.error ?? '', /AB#7 \("Borrowed"\) is not part of this epic; a plan builds only on its own epic's items/);
    const outside = await run(harness, { source: '../../etc/passwd.md' }, 'plan');
    assert.equal(outside.outcome, 'failed');
    assert.match(outside.error ?? '', /outside the workspace/);
  });

  it('@devops /plan on an attached Markdown epic shows the items, creates nothing, and offers Review and Apply', async () => {
    const harness = await setup();
    await harness.write('docs/chat-epic.md', EPIC.replace('# Checkout revamp', '# Planned in chat'));
    const f = chatFixture(new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems()));
    const agents: ChatAgents = {
      applyCommand: 'aiDevops.agents.applyPlan',
      plan: (_agent, action, input, options) => runAgent(harness.services, { agent: plannerAgent, action, input, mode: 'plan', signal: options.signal }),
    };
    try {
      const before = sandbox.azureDevOps.doc.workItems.length;
      const { req, output } = f.request('plan', '', noModel, { files: [{ path: 'docs/chat-epic.md', text: 'ignored: the agent reads the file itself' }] });
      const answer = await routeChatRequest(req, { ...f.services, agents }, f.tools);
      assert.equal(answer.error, undefined, output.text);
      assert.match(output.text, /\*\*What I understood:\*\* the epic in docs\/chat-epic\.md/);
      assert.match(output.text, /New User Story "Pay by card" under Feature "Card payments" \(Story Points 5 pts\)/);
      assert.match(output.text, /Nothing has been changed yet/);
      assert.equal(output.buttons[0]?.command, 'aiDevops.agents.applyPlan');
      assert.equal(sandbox.azureDevOps.doc.workItems.length, before, 'chat plans; only the review applies');
    } finally {
      await f.dispose();
    }
  });
});

describe('planner: what /plan understands', () => {
  it('takes an attached or named Markdown file, a work item, or enough free text; asks otherwise', () => {
    assert.deepEqual(parsePlanChatRequest('', [{ path: 'docs/epic.md' }]), { ok: true, input: { source: 'docs/epic.md', apply: true }, understood: ['the epic in docs/epic.md'] });
    assert.deepEqual(parsePlanChatRequest('please plan docs/q3/search.md for me', []), { ok: true, input: { source: 'docs/q3/search.md', apply: true }, understood: ['the epic in docs/q3/search.md'] });
    for (const item of ['AB#12', '#12', '12', 'contoso/web#12']) assert.deepEqual(parsePlanChatRequest(` ${item} `, []), { ok: true, input: { source: item, apply: true }, understood: [`the epic ${item}`] });
    const text = 'Customers want to pay with gift cards at checkout and buy them online.';
    assert.deepEqual(parsePlanChatRequest(text, []), { ok: true, input: { text, apply: true }, understood: ['the epic as you wrote it (a model breaks it down)'] });
    assert.match((parsePlanChatRequest('hi', []) as { message: string }).message, /Tell me what to plan/);
    assert.match((parsePlanChatRequest('', [{ path: 'a.md' }, { path: 'b.md' }]) as { message: string }).message, /one Markdown epic at a time/);
    assert.equal(parsePlanChatRequest('x', [{ path: '#selection' }]).ok, false, 'a chat variable is not a file');
  });

  it('plans a sprint or writes a status report when asked by keyword', () => {
    assert.deepEqual(parsePlanChatRequest('sprint', []), { ok: true, action: 'sprint', input: { apply: true }, understood: ["plan the next sprint against the team's capacity and velocity"] });
    assert.deepEqual(parsePlanChatRequest('sprint for "Sprint 12"', []), { ok: true, action: 'sprint', input: { iteration: 'Sprint 12', apply: true }, understood: ["plan Sprint 12 against the team's capacity and velocity"] });
    assert.deepEqual(parsePlanChatRequest('status of Sprint 3 and publish to the wiki', []), { ok: true, action: 'report', input: { iteration: 'Sprint 3', wiki: true }, understood: ['a status report of Sprint 3 with velocity and forecast, published to the wiki'] });
    assert.deepEqual(parsePlanChatRequest('report', []), { ok: true, action: 'report', input: {}, understood: ['a status report of the current sprint with velocity and forecast'] });
    assert.match((parsePlanChatRequest('sprint <img src=x>', []) as { message: string }).message, /does not look like an iteration name/);
  });
});
