import assert from 'node:assert/strict';
import { DevOpsError } from '../../../../src/core/errors';
import { addressFromReferenceArgument } from '../../../../src/core/boards/commandTarget';
import { answerWorkItem, workItemCommandArgument } from '../../../../src/providers/chat/workItemAnswer';
import { chatFixture, type ChatFixture, noModel, sandboxModels, type SandboxModels } from './chatHarness';
import { demoItems, FakeWorkTracker, workItem } from './fakeWorkTracker';
import { canaries } from '../../core/redact/canaries';

// A token-shaped canary built at run time, so no token-like literal lands in the repository.
const GITHUB_TOKEN_CANARY = canaries.githubClassic('p');

describe('@devops /workitem', () => {
  let f: ChatFixture;
  let models: SandboxModels;
  before(async () => {
    models = await sandboxModels();
  });
  after(() => models.stop());
  beforeEach(() => {
    f = chatFixture(new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems()));
  });
  afterEach(() => f.dispose());

  it('shows details, children, a model summary and the action buttons', async () => {
    const { req, output } = f.request('workitem', 'AB#3', models.access);
    const answer = await answerWorkItem(req, f.services);
    assert.match(output.text, /### \[AB#3\]\(https:.*\/3\) Reset password by email/);
    assert.match(output.text, /\| State \| Committed \|/);
    assert.match(output.text, /\| Parent \| AB#2 \|/);
    assert.match(output.text, /\*\*Children\*\* \(2\):\n- \[AB#7\].*Email the reset link.*\n- \[AB#8\]/);
    // The sandbox model's scripted summary arrived through the OpenAI SDK.
    assert.match(output.text, /\*\*Summary\*\*\n\nSummary: the work item describes a focused change/);
    assert.deepEqual(output.buttons.map((b) => b.command), ['aiDevops.workItem.changeState', 'aiDevops.workItem.addComment', 'aiDevops.workItem.startWork', 'aiDevops.workItem.openInBrowser']);
    assert.deepEqual(output.buttons[0]!.arguments, [{ reference: { tracker: 'azureBoards', id: 3 }, key: 'AB#3' }]);
    assert.deepEqual(output.references, [{ kind: 'url', url: 'https://dev.azure.com/contoso/Contoso%20Web/_workitems/edit/3', title: 'AB#3 Reset password by email' }]);
    assert.deepEqual(answer, { command: 'workitem', workItems: ['AB#3'], usedModel: true });
  });

  it('sends the work item to the model redacted', async () => {
    f.azure.items.set(40, { ...f.azure.items.get(7)!, id: 40, description: `Use password=hunter2hunter2 and ${GITHUB_TOKEN_CANARY} to test` });
    const { req } = f.request('workitem', '40', models.access);
    await answerWorkItem(req, f.services);
    const sent = JSON.stringify(models.registry.sentPrompts.list());
    assert.doesNotMatch(sent, /hunter2hunter2/);
    assert.ok(!sent.includes(GITHUB_TOKEN_CANARY));
    assert.match(sent, /REDACTED/);
  });

  it('shows a description holding an invalid code point (&#1114112;) instead of failing (issue 10, item 7)', async () => {
    f.azure.items.set(41, { ...f.azure.items.get(7)!, id: 41, description: '<p>before &#1114112; after</p>' });
    const { req, output } = f.request('workitem', '41', noModel);
    const answer = await answerWorkItem(req, f.services);
    assert.match(output.text, /before \uFFFD after/);
    assert.equal(answer.error, undefined);
  });

  it('answers without a model and says how to configure one', async () => {
    const { req, output } = f.request('workitem', '7', noModel);
    const answer = await answerWorkItem(req, f.services);
    assert.match(output.text, /Email the reset link/);
    assert.match(output.text, /Send the reset link by email & expire it after 1 hour\./);
    assert.match(output.text, /A summary needs a language model, and none answered: No language model is configured/);
    assert.deepEqual(output.buttons.map((b) => b.command).slice(0, 2), ['aiDevops.selectModel', 'aiDevops.trySandbox']);
    assert.equal(answer.usedModel, false);
  });

  it('a model outage leaves the details and says what happened', async () => {
    models.standIns.server.faults.add({ route: 'openai.chat', kind: 'status', status: 500, times: 5 });
    try {
      const { req, output } = f.request('workitem', 'AB#7', models.access);
      const answer = await answerWorkItem(req, f.services);
      assert.match(output.text, /Email the reset link/);
      assert.match(output.text, /A summary needs a language model, and none answered: .*(500|unavailable|outage|not available)/i);
      assert.equal(answer.usedModel, false);
    } finally {
      models.standIns.server.faults.clear();
    }
  });

  it('asks for an id when none is given, and reports a missing item', async () => {
    const none = f.request('workitem', 'the login bug', noModel);
    await answerWorkItem(none.req, f.services);
    assert.match(none.output.text, /Which work item\? Give its id/);
    const missing = f.request('workitem', 'AB#999', noModel);
    await assert.rejects(answerWorkItem(missing.req, f.services), (e: unknown) => e instanceof DevOpsError && e.code === 'notFound' && /999/.test(e.message));
  });

  it('says which tracker to connect for a GitHub reference', async () => {
    const { req } = f.request('workitem', 'contoso/web#45', noModel);
    await assert.rejects(answerWorkItem(req, f.services), /GitHub is not connected/);
  });

  it('gives the buttons the argument the work item commands accept from outside the trees', () => {
    assert.deepEqual(addressFromReferenceArgument(workItemCommandArgument(workItem({ id: 7, title: 'x' }))), { tracker: 'azureBoards', id: 7 });
    const issue = workItem({ id: 45, title: 'y', tracker: 'github', repository: 'contoso/web' });
    assert.deepEqual(workItemCommandArgument(issue), { reference: { tracker: 'github', id: 45, owner: 'contoso', repo: 'web' }, key: 'contoso/web#45' });
    assert.deepEqual(addressFromReferenceArgument(workItemCommandArgument(issue)), { tracker: 'github', id: 45, repository: 'contoso/web' });
  });
});
