import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DevOpsError } from '../../../../src/core/errors';
import { toolDefinition } from '../../../../src/providers/chat/tools/toolDefinitions';
import { parseToolInput } from '../../../../src/providers/chat/tools/toolInput';
import { addWorkItemCommentTool, changeWorkItemStateTool, createWorkItemTool, getWorkItemTool, queryWorkItemsTool, WORK_ITEM_TOOLS } from '../../../../src/providers/chat/tools/workItemTools';
import { chatFixture, type ChatFixture } from './chatHarness';
import { demoItems, FakeWorkTracker } from './fakeWorkTracker';
import { canaries } from '../../core/redact/canaries';

// A token-shaped canary built at run time, so no token-like literal lands in the repository.
const GITHUB_TOKEN_CANARY = canaries.githubClassic('p');

interface ManifestTool {
  name: string;
  modelDescription: string;
  inputSchema: { properties?: Record<string, { type: string; enum?: string[] }>; required?: string[] };
}
const manifestTools = (JSON.parse(readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as { contributes: { languageModelTools: ManifestTool[] } }).contributes.languageModelTools;

describe('work item language-model tools', () => {
  let f: ChatFixture;
  beforeEach(() => {
    f = chatFixture(new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems()));
  });
  afterEach(() => f.dispose());

  it('implements exactly the tools package.json contributes, with the same inputs', () => {
    assert.deepEqual(
      WORK_ITEM_TOOLS.map((t) => t.name),
      manifestTools.map((t) => t.name),
    );
    for (const m of manifestTools) {
      const tool = WORK_ITEM_TOOLS.find((t) => t.name === m.name)!;
      const ours = toolDefinition(tool).parameters as { properties: Record<string, unknown>; required?: string[] };
      assert.deepEqual(Object.keys(ours.properties).sort(), Object.keys(m.inputSchema.properties ?? {}).sort(), m.name);
      assert.deepEqual([...(ours.required ?? [])].sort(), [...(m.inputSchema.required ?? [])].sort(), m.name);
      assert.equal(tool.description, m.modelDescription, m.name);
      // Every example the manifest's schema allows for required fields is accepted.
      const sample = Object.fromEntries((m.inputSchema.required ?? []).map((k) => [k, m.inputSchema.properties![k]!.type === 'number' ? 7 : 'AB#7']));
      assert.doesNotThrow(() => parseToolInput(tool, sample), m.name);
    }
  });

  it('refuses input that does not fit, naming the field', () => {
    const bad: [typeof WORK_ITEM_TOOLS[number], unknown, RegExp][] = [
      [getWorkItemTool, {}, /id: /],
      [getWorkItemTool, { id: '' }, /id: /],
      [getWorkItemTool, 'AB#7', /input: /],
      [queryWorkItemsTool, { limit: 0 }, /limit: /],
      [queryWorkItemsTool, { tracker: 'jira' }, /tracker: /],
      [createWorkItemTool, { title: '   ' }, /title: /],
      [createWorkItemTool, { title: 'x', parentId: -1 }, /parentId: /],
      [changeWorkItemStateTool, { id: 'AB#7' }, /state: /],
      [addWorkItemCommentTool, { id: 'AB#7', text: 'x', extra: 1 }, /extra/],
    ];
    for (const [tool, input, field] of bad) {
      assert.throws(
        () => parseToolInput(tool, input),
        (e: unknown) => e instanceof DevOpsError && e.code === 'invalidInput' && field.test(e.message) && e.message.startsWith(tool.name),
        `${tool.name} ${JSON.stringify(input)}`,
      );
    }
  });

  it('gets a work item as JSON; a missing one or a bad reference is an error', async () => {
    const json = JSON.parse(await getWorkItemTool.invoke(parseToolInput(getWorkItemTool, { id: 'AB#7' }), f.tools)) as Record<string, unknown>;
    assert.equal(json.title, 'Email the reset link');
    assert.equal(json.description, 'Send the reset link by email & expire it after 1 hour.');
    await assert.rejects(getWorkItemTool.invoke({ id: '999' }, f.tools), /999 does not exist/);
    await assert.rejects(getWorkItemTool.invoke({ id: 'the login bug' }, f.tools), /is not a work item reference/);
    f.azure.failNext = new DevOpsError('rateLimited', 'Azure DevOps is rate limiting requests; try again in 30 s.');
    await assert.rejects(getWorkItemTool.invoke({ id: '7' }, f.tools), /rate limiting/);
  });

  it('queries by assignee, iteration, state, type and text, with a limit', async () => {
    const run = async (input: unknown) => JSON.parse(await queryWorkItemsTool.invoke(parseToolInput(queryWorkItemsTool, input), f.tools)) as { count: number; truncated: boolean; items: { id: string }[] };
    assert.deepEqual((await run({ assignedToMe: true, currentIteration: true })).items.map((i) => i.id), ['AB#3', 'AB#7']);
    assert.deepEqual((await run({ state: 'active', type: 'task' })).items.map((i) => i.id), ['AB#7']);
    assert.deepEqual((await run({ text: 'EXPIRE' })).items.map((i) => i.id), ['AB#7']);
    const limited = await run({ limit: 2 });
    assert.equal(limited.items.length, 2);
    assert.equal(limited.truncated, true);
    f.azureConnected = false;
    await assert.rejects(run({}), /Azure Boards is not connected/);
  });

  it('reads without confirmation; every change confirms the exact change first', async () => {
    assert.equal((await getWorkItemTool.prepare({ id: '7' }, f.tools)).confirmation, undefined);
    assert.equal((await queryWorkItemsTool.prepare({}, f.tools)).confirmation, undefined);
    const state = await changeWorkItemStateTool.prepare({ id: 'AB#7', state: 'Code Review' }, f.tools);
    assert.equal(state.confirmation?.message, 'Move AB#7 "Email the reset link" from **Active** to **Resolved** (lifecycle: Code Review).');
    const comment = await addWorkItemCommentTool.prepare({ id: '7', text: 'Ready for review\nsee PR 12' }, f.tools);
    assert.equal(comment.confirmation?.message, 'Add this comment to AB#7 "Email the reset link".\n\nComment (exactly as it will be sent, 26 characters):\n\n```\nReady for review\nsee PR 12\n```');
    const create = await createWorkItemTool.prepare({ title: 'Log reset emails', type: 'task', parentId: 3 }, f.tools);
    assert.equal(create.confirmation?.message, 'Create a **Task** "Log reset emails" in Azure Boards (sandbox-org/Contoso Web) under AB#3 "Reset password by email".');
    assert.equal(f.azure.writes.length, 0, 'preparing changes nothing');
  });

  it('confirmations show the whole text that will be posted, escaped (issue 10, item 9)', async () => {
    // Before, 600 (description) and 2,000 (comment) characters were shown of up to 32,000 sent, as raw Markdown.
    const tail = 'THE-END-OF-THE-TEXT';
    const long = `${'word '.repeat(6_000)}[click](command:workbench.action.terminal.new) <img src=x> \`\`\` ${tail}`;
    const comment = await addWorkItemCommentTool.prepare({ id: '7', text: long }, f.tools);
    const message = comment.confirmation!.message;
    assert.ok(message.includes(tail), 'the end of the comment is shown');
    assert.ok(message.includes(`exactly as it will be sent, ${long.length} characters`));
    // Inside a fence longer than any backtick run in the text: shown as written, no link, no HTML.
    assert.match(message, /\n(`{4,})\n[\s\S]*\[click\]\(command:[\s\S]*\n\1$/);
    const create = await createWorkItemTool.prepare({ title: '[x](command:evil) *bold*', type: 'task', parentId: 3, description: long }, f.tools);
    assert.ok(create.confirmation!.message.includes('"\\[x\\](command:evil) \\*bold\\*"'), create.confirmation!.message.slice(0, 120));
    assert.ok(create.confirmation!.message.includes(tail));
  });

  it('refuses a state the process does not allow and a type the hierarchy does not allow', async () => {
    await assert.rejects(changeWorkItemStateTool.prepare({ id: '7', state: 'Production' }, f.tools), /AB#7 \(Task, Active\) cannot move to "Production"; it can move to: Resolved \(Code Review\), Closed \(Done\), New/);
    await assert.rejects(createWorkItemTool.prepare({ title: 'x', type: 'Epic', parentId: 3 }, f.tools), /An Epic cannot be created under AB#3 \(Product Backlog Item\); the process allows: Task/);
  });

  it('changes the state and records the request in the audit trail with the correlation id the tracker got', async () => {
    const result = await changeWorkItemStateTool.invoke({ id: 'AB#7', state: 'Resolved' }, f.tools);
    assert.equal(result, 'Moved AB#7 from Active to Resolved (AB#7 is now Resolved, revision 2).');
    assert.equal(f.azure.writes[0]?.options?.correlationId, 'chat-test-1');
    await f.audit.ready();
    const [event] = await f.audit.events();
    assert.equal(event?.eventType, 'tool.invoked');
    assert.equal(event?.service, 'chat');
    assert.equal(event?.correlationId, 'chat-test-1');
    assert.equal(event?.workItemId, 7);
    assert.equal(event?.oldState, 'Active');
    assert.equal(event?.newState, 'Resolved');
    assert.deepEqual(event?.metadata, { tool: 'aiDevops_changeWorkItemState', change: 'changeState', tracker: 'azureBoards', outcome: 'applied', lifecycle: 'Code Review', rev: 2 });
  });

  it('comments and creates, each recorded; a queued write says so and is recorded as queued', async () => {
    assert.equal(await addWorkItemCommentTool.invoke({ id: '7', text: `Ready for review; token ${GITHUB_TOKEN_CANARY}` }, f.tools), 'Commented on AB#7 (AB#7 is now Active, revision 2).');
    assert.match(await createWorkItemTool.invoke({ title: 'Log reset emails', parentId: 3 }, f.tools), /^Created AB#100 \(Task\) "Log reset emails": https:/);
    f.azure.queueWrites = true;
    assert.match(await changeWorkItemStateTool.invoke({ id: '7', state: 'Resolved' }, f.tools), /^Not sent yet: Azure DevOps answered 503\. The change is kept in the outbox/);
    await f.audit.ready();
    const events = [...(await f.audit.events())].reverse();
    assert.deepEqual(
      events.map((e) => [e.metadata.change, e.metadata.outcome, e.workItemId]),
      [
        ['addComment', 'applied', 7],
        ['create', 'applied', 100],
        ['changeState', 'queued', 7],
      ],
    );
    assert.equal(new Set(events.map((e) => e.correlationId)).size, 3, 'one correlation id per request');
    assert.ok(!JSON.stringify(events).includes(GITHUB_TOKEN_CANARY));
  });

  it('reports a conflict, and records that nothing was changed', async () => {
    f.azure.conflictNext = true;
    assert.match(await changeWorkItemStateTool.invoke({ id: '7', state: 'Resolved' }, f.tools), /^Not changed: AB#7 was changed by someone else in the meantime/);
    await f.audit.ready();
    assert.deepEqual((await f.audit.events()).map((e) => [e.metadata.outcome, e.metadata.remoteState]), [['conflict', 'Resolved']]);
  });

  it('a failed write is reported to the caller and recorded as failed', async () => {
    const original = f.azure.changeState.bind(f.azure);
    f.azure.changeState = async () => {
      throw new DevOpsError('forbidden', 'You cannot change AB#7 (403): ask a project administrator for access.');
    };
    await assert.rejects(changeWorkItemStateTool.invoke({ id: '7', state: 'Resolved' }, f.tools), /403/);
    f.azure.changeState = original;
    await f.audit.ready();
    assert.deepEqual((await f.audit.events()).map((e) => [e.metadata.outcome, e.metadata.error]), [['failed', 'You cannot change AB#7 (403): ask a project administrator for access.']]);
    assert.equal(f.azure.items.get(7)?.state, 'Active');
  });

  it('an audit trail that cannot be written does not hide the change', async () => {
    const broken = { ...f.tools, audit: { append: () => Promise.reject(new DevOpsError('notConfigured', 'Open a folder first.')), onDidAppend: () => ({ dispose: () => undefined }), flush: async () => undefined } };
    assert.match(await changeWorkItemStateTool.invoke({ id: '7', state: 'Resolved' }, broken), /^Moved AB#7/);
    assert.match(f.log.text, /Could not write the audit event for aiDevops_changeWorkItemState: Open a folder first\./);
  });
});
