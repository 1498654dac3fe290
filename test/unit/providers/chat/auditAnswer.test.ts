import assert from 'node:assert/strict';
import { answerAudit } from '../../../../src/providers/chat/auditAnswer';
import { chatFixture, type ChatFixture, noModel, sandboxModels, type SandboxModels } from './chatHarness';
import { demoItems, FakeWorkTracker } from './fakeWorkTracker';
import { canaries } from '../../core/redact/canaries';

// A token-shaped canary built at run time, so no token-like literal lands in the repository.
const GITHUB_TOKEN_CANARY = canaries.githubClassic('p');

describe('@devops /audit', () => {
  let f: ChatFixture;
  let models: SandboxModels;
  before(async () => {
    models = await sandboxModels([
      { name: 'audit answer', when: { lastUser: { regex: 'Question about the audit trail: (.*)' } }, reply: { text: 'From the trail: chat moved AB#7 from Active to Resolved at 10:00.' } },
    ]);
  });
  after(() => models.stop());
  beforeEach(async () => {
    f = chatFixture(new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems()));
    f.now = new Date('2026-11-28T09:00:00Z');
    await f.audit.sink.append({ correlationId: 'sec-1', eventType: 'run.started', service: 'security' });
    await f.audit.sink.append({ correlationId: 'sec-1', eventType: 'run.step', service: 'security', workItemId: 8, metadata: { summary: 'found a hard-coded key in config.ts' } });
    await f.audit.sink.append({ correlationId: 'sec-1', eventType: 'run.completed', service: 'security' });
    f.now = new Date('2026-11-29T10:00:00Z');
    await f.audit.sink.append({ correlationId: 'chat-1', eventType: 'workItem.stateChanged', service: 'chat', workItemId: 7, oldState: 'Active', newState: 'Resolved', metadata: { tool: 'aiDevops_changeWorkItemState', token: GITHUB_TOKEN_CANARY } });
    await f.audit.sink.append({ correlationId: 'chat-2', eventType: 'workItem.commented', service: 'chat', workItemId: 7, metadata: { summary: 'Ready for review' } });
    f.now = new Date('2026-11-29T12:00:00Z');
  });
  afterEach(() => f.dispose());

  it('lists the matching actions without a model, grouped by correlation id', async () => {
    const { req, output } = f.request('audit', 'what changed AB#7 today', noModel);
    const answer = await answerAudit(req, f.services);
    assert.match(output.text, /\*\*2 events about work item 7 today\*\* in 2 actions:/);
    assert.match(output.text, /- \*\*chat-2\*\*\n {2}- 2026-11-29 10:00:00 UTC · `workItem\.commented` · chat · #7 — Ready for review/);
    assert.match(output.text, /`workItem\.stateChanged` · chat · #7 · Active → Resolved/);
    assert.doesNotMatch(output.text, /security/);
    assert.match(output.text, /Answering the question in words needs a language model/);
    assert.deepEqual(answer, { command: 'audit', workItems: ['#7'], usedModel: false });
    assert.ok(output.buttons.some((b) => b.command === 'aiDevops.audit.verify'));
  });

  it('has the model answer from the matching events only, then lists them', async () => {
    const { req, output } = f.request('audit', 'what did the security agent do yesterday?', models.access);
    const answer = await answerAudit(req, f.services);
    assert.match(output.text, /^From the trail: chat moved AB#7/);
    assert.match(output.text, /\*\*3 events from security yesterday\*\* in 1 action/);
    const sent = models.registry.sentPrompts.list().at(-1)!;
    const prompt = sent.messages.map((m) => m.content).join('\n');
    assert.match(prompt, /run\.step service=security correlation=sec-1 workItem=8 metadata=\{"summary":"found a hard-coded key in config\.ts"\}/);
    assert.doesNotMatch(prompt, /workItem\.commented/, 'events outside the filter are not sent');
    assert.equal(answer.usedModel, true);
  });

  it('never sends a secret from the trail to the model', async () => {
    const { req } = f.request('audit', 'what changed AB#7', models.access);
    await answerAudit(req, f.services);
    assert.ok(!JSON.stringify(models.registry.sentPrompts.list()).includes(GITHUB_TOKEN_CANARY));
  });

  it('says when nothing matches, and when the trail is empty', async () => {
    const none = f.request('audit', 'what changed AB#99', noModel);
    await answerAudit(none.req, f.services);
    assert.match(none.output.text, /No events about work item 99 in the audit trail \(5 events searched\)/);
    const empty = chatFixture(new FakeWorkTracker());
    try {
      const r = empty.request('audit', '', noModel);
      await answerAudit(r.req, empty.services);
      assert.match(r.output.text, /The audit trail of this workspace is empty/);
    } finally {
      await empty.dispose();
    }
  });

  it('lists recent actions for a bare /audit, newest first, without asking a model', async () => {
    const { req, output } = f.request('audit', '', models.access);
    const before = models.registry.sentPrompts.list().length;
    await answerAudit(req, f.services);
    assert.equal(models.registry.sentPrompts.list().length, before);
    assert.ok(output.text.indexOf('chat-2') < output.text.indexOf('sec-1'));
  });
});
