import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DevOpsError } from '../../../../src/core/errors';
import { followupsFor } from '../../../../src/providers/chat/followups';
import { COMMAND_HANDLERS, routeChatRequest } from '../../../../src/providers/chat/router';
import { chatFixture, type ChatFixture, noModel } from './chatHarness';
import { demoItems, FakeWorkTracker } from './fakeWorkTracker';

const manifestCommands = (JSON.parse(readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as { contributes: { chatParticipants: { commands: { name: string }[] }[] } }).contributes.chatParticipants[0]!.commands.map((c) => c.name);

describe('@devops routing', () => {
  let f: ChatFixture;
  beforeEach(() => {
    f = chatFixture(new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems()));
  });
  afterEach(() => f.dispose());

  it('answers every slash command package.json declares, each in one place', () => {
    assert.deepEqual(Object.keys(COMMAND_HANDLERS).sort(), [...manifestCommands].sort());
  });

  it('shows an actionable error as the answer and logs nothing secret', async () => {
    f.azure.failNext = new DevOpsError('unauthorized', 'Azure DevOps refused the personal access token (401). Run "AI DevOps: Sign In" again.');
    const { req, output } = f.request('workitem', '7', noModel);
    const answer = await routeChatRequest(req, f.services, f.tools);
    assert.match(output.text, /\*\*Could not answer:\*\* Azure DevOps refused the personal access token \(401\)/);
    assert.equal(answer.error, 'Azure DevOps refused the personal access token (401). Run "AI DevOps: Sign In" again.');
  });

  it('redacts and logs an unexpected error', async () => {
    const boom = async () => {
      throw new Error('socket hang up while sending Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789');
    };
    const { req, output } = f.request('status', '', noModel);
    const answer = await routeChatRequest(req, f.services, f.tools, { status: boom });
    assert.doesNotMatch(output.text + f.log.text, /abcdefghijklmnopqrstuvwxyz0123456789/);
    assert.match(f.log.text, /@devops \/status failed: socket hang up/);
    assert.ok(answer.error);
  });

  it('ends quietly when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const { req, output } = f.request('status', '', noModel, { signal: controller.signal });
    f.azure.failNext = new DevOpsError('cancelled', 'Cancelled.');
    const answer = await routeChatRequest(req, f.services, f.tools);
    assert.deepEqual(answer, { command: 'status', error: 'cancelled' });
    assert.doesNotMatch(output.text, /Could not answer/);
    assert.deepEqual(followupsFor(answer), []);
  });

  it('rejects an unknown command without echoing markup', async () => {
    const { req, output } = f.request('<img src=x>', '', noModel);
    await routeChatRequest(req, f.services, f.tools);
    assert.equal(output.text, '@devops has no /imgsrcx command. Try /status, /workitem <id>, /audit or /git.');
  });

  it('suggests follow-ups from what the answer was about', () => {
    assert.deepEqual(
      followupsFor({ command: 'workitem', workItems: ['AB#7'] }).map((s) => [s.command, s.prompt]),
      [
        ['git', 'branch AB#7'],
        ['git', 'commit AB#7'],
        ['audit', 'what changed AB#7'],
      ],
    );
    assert.equal(followupsFor({ command: 'status', workItems: ['AB#3'] })[0]?.label, 'Show AB#3');
    assert.deepEqual(followupsFor({ command: 'git' }).map((s) => s.prompt), ['commit', '']);
    assert.deepEqual(followupsFor({ command: 'ask', error: 'no model' }).map((s) => s.command), ['status']);
  });
});
