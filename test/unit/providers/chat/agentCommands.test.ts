import assert from 'node:assert/strict';
import { scaffoldAgent } from '../../../../src/agents/scaffold/scaffoldAgent';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { type ChatAgents } from '../../../../src/providers/chat/agents/agentChat';
import { planMarkdown } from '../../../../src/providers/chat/agents/planMarkdown';
import { routeChatRequest } from '../../../../src/providers/chat/router';
import { emptyPlan } from '../../../../src/agents/runtime/plan';
import { type Harness, makeHarness } from '../../agents/runtime/harness';
import { chatFixture, type ChatFixture, noModel } from './chatHarness';
import { demoItems, FakeWorkTracker } from './fakeWorkTracker';

describe('@devops agent commands', () => {
  let f: ChatFixture;
  let h: Harness;
  let agents: ChatAgents;
  beforeEach(async () => {
    f = chatFixture(new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems()));
    h = await makeHarness();
    agents = {
      applyCommand: 'aiDevops.agents.applyPlan',
      plan: (agent, action, input, options) => runAgent({ ...h.services, ui: { ...h.services.ui, progress: options.onProgress } }, { agent: scaffoldAgent, action, input, mode: 'plan', signal: options.signal }),
    };
  });
  afterEach(async () => {
    f.dispose();
    await h.dispose();
  });

  it('/scaffold says what it understood, shows the plan, changes nothing, and offers Review and Apply', async () => {
    const { req, output } = f.request('scaffold', 'an orders API in FastAPI with PostgreSQL', noModel);
    const answer = await routeChatRequest(req, { ...f.services, agents }, f.tools);
    assert.equal(answer.error, undefined, output.text);
    assert.match(output.text, /\*\*What I understood:\*\* template fastapi · database postgres · project orders-api in the folder orders-api\//);
    assert.match(output.text, /### Scaffold orders-api: fastapi with postgres/);
    assert.match(output.text, /- new `orders-api\/app\/main\.py`/);
    assert.match(output.text, /Nothing has been changed yet/);
    const [button] = output.buttons;
    assert.equal(button?.command, 'aiDevops.agents.applyPlan');
    assert.match(String(button?.arguments?.[0]), /^run-/);
    assert.equal(await h.read('orders-api/app/main.py'), undefined);
  });

  it('/scaffold without a kind of project asks which, and runs nothing', async () => {
    const { req, output } = f.request('scaffold', 'something', noModel);
    const answer = await routeChatRequest(req, { ...f.services, agents }, f.tools);
    assert.equal(answer.error, 'not understood');
    assert.match(output.text, /Which kind of project\?/);
    assert.deepEqual(await h.events(), []);
  });

  it('with no folder open, says to open one', async () => {
    const { req, output } = f.request('scaffold', 'flask api', noModel);
    await routeChatRequest(req, f.services, f.tools);
    assert.match(output.text, /Agents need a folder/);
  });

  it('escapes what agents, files and models put into the plan', () => {
    const text = planMarkdown({ ...emptyPlan('x', 'y', 'Title [click](https://evil.example)'), notes: ['<img src=x onerror=alert(1)>'], facts: [{ label: '**bold**', value: '`code`' }] });
    assert.doesNotMatch(text, /\[click\]\(/);
    assert.match(text, /\\\[click\\\]/);
    assert.match(text, /\\<img src=x onerror=alert\(1\)\\>/);
    assert.match(text, /\\\*\\\*bold\\\*\\\*/);
  });
});
