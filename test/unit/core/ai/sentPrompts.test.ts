import assert from 'node:assert/strict';
import { redactMessages } from '../../../../src/core/ai/promptRedaction';
import { renderSentPrompts, SentPromptLog } from '../../../../src/core/ai/sentPrompts';
import { canaries } from '../redact/canaries';

describe('sent-prompt log and prompt redaction', () => {
  it('redacts message text, tool results and tool-call arguments, counting what changed', () => {
    const key = canaries.openai();
    const { messages, changed } = redactMessages([
      { role: 'user', content: `use ${key}` },
      { role: 'assistant', content: '', toolCalls: [{ id: '1', name: 't', arguments: { password: 'hunter2', q: 'fine' } }] },
      { role: 'tool', toolCallId: '1', name: 't', content: `Authorization: Bearer ${key}` },
      { role: 'user', content: 'nothing secret here' },
    ]);
    assert.equal(changed, 3);
    assert.ok(!JSON.stringify(messages).includes(key));
    assert.ok(!JSON.stringify(messages).includes('hunter2'));
    assert.equal(messages[3]?.content, 'nothing secret here');
  });

  it('keeps the most recent entries and tells listeners', () => {
    const log = new SentPromptLog(2);
    let changes = 0;
    log.onDidChange(() => changes++);
    for (const model of ['a', 'b', 'c']) {
      log.record({ provider: 'openai', model, endpoint: 'https://api.openai.com/v1', redacted: true, messagesChanged: 0, messages: [], tools: [], fromCache: false });
    }
    assert.deepEqual(log.list().map((e) => e.model), ['b', 'c']);
    assert.equal(changes, 3);
  });

  it('renders Markdown newest first, saying whether each was redacted or answered from the cache', () => {
    const text = renderSentPrompts([
      { at: '2026-01-01T00:00:00Z', provider: 'ollama', model: 'llama3.2', endpoint: 'http://127.0.0.1:11434', redacted: false, messagesChanged: 0, messages: [{ role: 'user', content: 'first ```' }], tools: [], fromCache: false },
      { at: '2026-01-01T00:01:00Z', provider: 'openai', model: 'gpt-4o-mini', endpoint: 'https://api.openai.com/v1', redacted: true, messagesChanged: 1, messages: [{ role: 'user', content: 'second' }], tools: ['lookup'], fromCache: true },
    ]);
    assert.ok(text.indexOf('gpt-4o-mini') < text.indexOf('llama3.2'));
    assert.match(text, /answered from the response cache/);
    assert.match(text, /sent without redaction/);
    assert.match(text, /````text\nfirst ```\n````/);
    assert.match(renderSentPrompts([]), /Nothing has been sent/);
  });
});
