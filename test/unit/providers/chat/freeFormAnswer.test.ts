import assert from 'node:assert/strict';
import { answerFreeForm } from '../../../../src/providers/chat/freeFormAnswer';
import { chatFixture, type ChatFixture, noModel, sandboxModels, type SandboxModels } from './chatHarness';
import { demoItems, FakeWorkTracker } from './fakeWorkTracker';
import { canaries } from '../../core/redact/canaries';

// A key-shaped canary built at run time, so no key-like literal lands in the repository.
const OPENAI_KEY_CANARY = canaries.openai();

describe('@devops free-form questions', () => {
  let f: ChatFixture;
  let models: SandboxModels;
  before(async () => {
    models = await sandboxModels([
      { name: 'uses attached file', when: { lastUser: { contains: 'FILE-QUESTION' } }, reply: { text: 'The file sets the TTL.' } },
      { name: 'loops on tools', when: { lastUser: { contains: 'TOOL-LOOP' }, toolOffered: 'aiDevops_queryWorkItems' }, reply: { toolCalls: [{ name: 'aiDevops_queryWorkItems', arguments: { assignedToMe: true } }] } },
      { name: 'bad tool input', when: { lastUser: { contains: 'BAD-TOOL' }, toolOffered: 'aiDevops_getWorkItem' }, reply: { toolCalls: [{ name: 'aiDevops_getWorkItem', arguments: { idd: 7 } }] } },
      { name: 'keeps calling tools', when: { toolResult: { tool: 'aiDevops_queryWorkItems' }, toolOffered: 'aiDevops_queryWorkItems' }, reply: { toolCalls: [{ name: 'aiDevops_queryWorkItems', arguments: { state: 'Active' } }] } },
      { name: 'reports the tool error', when: { toolResult: { tool: 'aiDevops_getWorkItem', contains: 'Error:' } }, reply: { text: 'The tool could not read it.' } },
    ]);
  });
  after(() => models.stop());
  beforeEach(() => {
    f = chatFixture(new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems()));
  });
  afterEach(() => f.dispose());

  it('lets the model look a work item up with the read tool and summarizes it', async () => {
    const { req, output } = f.request(undefined, 'what is work item 7 about?', models.access);
    const answer = await answerFreeForm(req, f.services, f.tools);
    assert.match(output.text, /\*\*Email the reset link\*\* \(Task AB#7\) is \*Active\* and assigned to Ana Developer\./);
    assert.match(output.text, /Send the reset link by email & expire it after 1 hour\./);
    assert.deepEqual(output.progressLines, ['Reading work item 7…']);
    assert.deepEqual(answer, { command: 'ask', workItems: [], usedModel: true });
  });

  it('sends mentioned work items, attached files and the history with the question', async () => {
    const { req, output } = f.request(undefined, 'FILE-QUESTION how does AB#7 relate to this file?', models.access, {
      history: [
        { role: 'user', text: '/status' },
        { role: 'assistant', text: 'You have 2 open items.' },
      ],
      files: [
        { path: 'src/auth/reset.ts', text: `export const ttl = 3600; // api_key=${OPENAI_KEY_CANARY}` },
        { path: '#terminalLastCommand', text: 'npm test\n2 failing' },
      ],
    });
    const answer = await answerFreeForm(req, f.services, f.tools);
    assert.equal(output.text, 'The file sets the TTL.');
    assert.deepEqual(output.references, [{ kind: 'url', url: 'https://dev.azure.com/contoso/Contoso%20Web/_workitems/edit/7', title: 'AB#7 Email the reset link' }]);
    assert.deepEqual(answer.workItems, ['AB#7']);
    const sent = models.registry.sentPrompts.list().at(-1)!;
    const all = sent.messages.map((m) => `${m.role}: ${m.content}`).join('\n');
    assert.match(all, /Work items the user mentioned:\n\{"id":"AB#7","type":"Task","title":"Email the reset link"/);
    assert.match(all, /File src\/auth\/reset\.ts:\n<<<\nexport const ttl = 3600;/);
    assert.match(all, /Attached #terminalLastCommand:\n<<<\nnpm test\n2 failing\n>>>/);
    assert.ok(!all.includes(OPENAI_KEY_CANARY));
    assert.match(all, /user: \/status\nassistant: You have 2 open items\.\nuser: FILE-QUESTION/);
  });

  it('stops a model that keeps calling tools after a few rounds', async () => {
    const { req } = f.request(undefined, 'TOOL-LOOP list my items', models.access);
    const before = models.registry.sentPrompts.list().length;
    await answerFreeForm(req, f.services, f.tools);
    const sent = models.registry.sentPrompts.list().slice(before);
    assert.equal(sent.length, 4);
    assert.deepEqual(sent.at(-1)!.tools, [], 'the last round offers no tools, so the model must answer');
  });

  it('gives the model the validation error of bad tool input instead of failing', async () => {
    const { req, output } = f.request(undefined, 'BAD-TOOL what is work item 7', models.access);
    await answerFreeForm(req, f.services, f.tools);
    assert.equal(output.text, 'The tool could not read it.');
    const toolMessage = models.registry.sentPrompts.list().at(-1)!.messages.find((m) => m.role === 'tool');
    assert.match(toolMessage?.content ?? '', /^Error: aiDevops_getWorkItem got input it cannot use \(id: .*idd/);
  });

  it('without a model shows the mentioned items and says how to configure one', async () => {
    const { req, output } = f.request(undefined, 'is AB#7 done?', noModel);
    const answer = await answerFreeForm(req, f.services, f.tools);
    assert.match(output.text, /The work items you mentioned:\n\n- \[AB#7\]/);
    assert.match(output.text, /Without a model I can still answer `\/status`/);
    assert.deepEqual(output.buttons.map((b) => b.command), ['aiDevops.selectModel', 'aiDevops.trySandbox']);
    assert.equal(answer.usedModel, false);
  });

  it('answers with no tracker connected (no tools offered) and notes what could not be read', async () => {
    f.azureConnected = false;
    const { req } = f.request(undefined, 'hello, what about AB#7?', models.access);
    await answerFreeForm(req, f.services, f.tools);
    const sent = models.registry.sentPrompts.list().at(-1)!;
    assert.deepEqual(sent.tools, []);
    assert.match(sent.messages.map((m) => m.content).join('\n'), /no tracker is connected/);
  });

  it('stops quietly when cancelled mid-answer', async () => {
    const controller = new AbortController();
    models.standIns.standIns.chunkDelayMs = 50;
    try {
      const { req, output } = f.request(undefined, 'hello there', models.access, { signal: controller.signal });
      const answering = answerFreeForm(req, f.services, f.tools);
      setTimeout(() => controller.abort(), 80);
      await assert.rejects(answering, /[Cc]ancel/);
      assert.ok(output.text.length < 'Hello! I am the sandbox model. Ask me about a work item (for example "what is work item 1?"), the sprint status, or a commit message for your changes.'.length);
    } finally {
      models.standIns.standIns.chunkDelayMs = 0;
    }
  });
});
