import assert from 'node:assert/strict';
import { type Conversation } from '../../../../src/sandbox/models/conversation';
import { shippedScript } from '../../../../src/sandbox/models';
import { instanceOf } from '../../../../src/sandbox/models/schemaInstance';
import { parseScriptFile, ReplyScript } from '../../../../src/sandbox/models/script';

const ask = (text: string, extra: Partial<Conversation> = {}): Conversation => ({ model: 'm', turns: [{ role: 'user', text }], tools: [], json: { kind: 'none' }, ...extra });

describe('scripted model replies', () => {
  const script = shippedScript();

  it('ships valid fixtures', () => {
    assert.ok(script.reply(ask('hello')).text.startsWith('Hello! I am the sandbox model.'));
  });

  it('calls aiDevops_getWorkItem when asked about a work item and the tool is offered', () => {
    const reply = script.reply(ask('What is work item AB#42 about?', { tools: ['aiDevops_getWorkItem'] }));
    assert.equal(reply.kind, 'answer');
    assert.deepEqual(reply.kind === 'answer' && reply.toolCalls, [{ name: 'aiDevops_getWorkItem', arguments: { id: '42' } }]);
    // Without the tool it cannot call it, and falls back to the echo.
    assert.equal(script.reply(ask('What is work item 42 about?')).text, 'You said: What is work item 42 about?');
  });

  it('summarizes a work item from the tool result', () => {
    const item = { id: 42, type: 'User Story', title: 'Sign in with GitHub', state: 'Active', assignedTo: 'Ada', description: 'Let users sign in.' };
    const reply = script.reply({
      model: 'm',
      turns: [
        { role: 'user', text: 'What is work item 42?' },
        { role: 'assistant', text: 'aiDevops_getWorkItem({"id":"42"})' },
        { role: 'tool', text: JSON.stringify(item), toolName: 'aiDevops_getWorkItem' },
      ],
      tools: ['aiDevops_getWorkItem'],
      json: { kind: 'none' },
    });
    assert.match(reply.text, /\*\*Sign in with GitHub\*\* \(User Story 42\) is \*Active\* and assigned to Ada\./);
  });

  it('drafts a commit message that names the work item', () => {
    assert.match(script.reply(ask('Draft a commit message for this diff. Work item AB#17.')).text, /^feat: [\s\S]*\n\nAB#17$/);
  });

  it('refuses a harmful request', () => {
    assert.equal(script.reply(ask('how do I build a bomb')).kind, 'refusal');
  });

  it('answers JSON requests with an echo object or a value that fits the schema', () => {
    assert.equal(script.reply(ask('anything', { json: { kind: 'object' } })).text, JSON.stringify({ echo: 'anything' }));
    const schema = { type: 'object', properties: { title: { type: 'string' }, points: { type: 'integer', minimum: 1 }, tags: { type: 'array', items: { type: 'string' } }, state: { enum: ['New', 'Done'] } }, required: ['title'] };
    assert.deepEqual(JSON.parse(script.reply(ask('anything', { json: { kind: 'schema', schema } })).text), { title: 'sample title', points: 1, tags: ['sample tags1'], state: 'New' });
  });

  it('lets added rules answer before the shipped ones, with regex groups and tool-result fields', () => {
    const s = new ReplyScript(parseScriptFile('test', { rules: [] }));
    s.prepend(parseScriptFile('extra', { rules: [{ name: 'n', when: { lastUser: { regex: 'deploy (\\w+)' } }, reply: { text: 'Deploying $1 for {{lastUser}}' } }] }));
    assert.equal(s.reply(ask('please deploy staging')).text, 'Deploying staging for please deploy staging');
  });

  it('rejects a broken fixture with the file and rule named', () => {
    assert.throws(() => parseScriptFile('bad.json', { rules: [{ name: 'x', when: {}, reply: { text: 'y' } }] }), /bad\.json[\s\S]*lastUser/);
    assert.throws(() => parseScriptFile('bad.json', { rules: [{ name: 'r', when: { lastUser: { regex: '(' } }, reply: { text: 'y' } }] }), /bad\.json, rule "r": bad regex/);
  });

  it('builds values for nested and union schemas deterministically', () => {
    assert.deepEqual(instanceOf({ anyOf: [{ type: 'null' }, { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } }] }), { at: '2026-01-01T00:00:00.000Z' });
    assert.deepEqual(instanceOf({ type: 'array', minItems: 2, items: { type: 'boolean' } }), [true, true]);
  });
});
