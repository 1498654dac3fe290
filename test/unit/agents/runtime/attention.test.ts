import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AttentionStore, undecidedOf } from '../../../../src/agents/runtime/attentionStore';
import { type RunResult } from '../../../../src/agents/runtime/runAgent';
import { ATTENTION_FILE } from '../../../../src/core/lifecycle/attention';
import { answerStatus } from '../../../../src/providers/chat/statusAnswer';
import { chatFixture, noModel } from '../../providers/chat/chatHarness';
import { demoItems, FakeWorkTracker } from '../../providers/chat/fakeWorkTracker';

const NOW = new Date('2026-12-07T20:00:00Z');

/** A scaffold run whose state move met someone else's change, and whose Project had no Testing option. */
function run(over: Partial<RunResult> = {}): RunResult {
  return {
    runId: 'run-7',
    agent: 'qa',
    action: 'run',
    outcome: 'failed',
    plan: {
      agent: 'qa',
      action: 'run',
      title: 'QA',
      summary: '',
      facts: [],
      edits: [],
      commands: [],
      remote: [],
      findings: [],
      notes: [
        'Project 1 has no Status option for Testing, so contoso/contoso-web#6 stays "In Review" there; add a "Testing" option to the Project\'s Status field (AI DevOps: Bootstrap Project adds every lifecycle option while no item has a Status).',
        'AB#5 stays Committed: its process has no Testing state it can move to from there.',
        'Tests ran in 3 s.',
      ],
    },
    applied: {
      edits: [],
      commands: [],
      remote: [
        { id: 'move-testing', kind: 'workItem.state', target: 'AB#5', outcome: 'conflict', detail: 'AB#5: State → Resolved: someone else changed it: State is Closed on the service (you saw Committed).' },
        { id: 'push', kind: 'git.push', target: 'origin', outcome: 'refused', detail: 'rejected' },
      ],
    },
    skipped: [],
    durationMs: 5,
    ...over,
  };
}

describe('what the orchestrator leaves to a person: recorded, listed by @devops /status with what to do, never guessed', () => {
  let root: string;
  beforeEach(async () => (root = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-attention-'))));
  afterEach(async () => fs.rm(root, { recursive: true, force: true }));

  it('a run\'s conflict on an item and the lifecycle steps its process or Project lacks become entries, each with what to do; other outcomes and notes do not', () => {
    const entries = undecidedOf(run(), NOW);
    assert.deepEqual(
      entries.map((e) => [e.kind, e.item, e.run]),
      [
        ['conflict', 'AB#5', 'run-7'],
        ['missingState', 'contoso/contoso-web#6', 'run-7'],
        ['missingState', 'AB#5', 'run-7'],
      ],
    );
    assert.match(entries[0]!.what, /someone else changed it: State is Closed/);
    assert.match(entries[0]!.todo, /nothing was overwritten/);
    assert.equal(entries[1]!.todo, 'Add a "Testing" option to Project 1\'s Status field, or move the item yourself.');
    assert.match(entries[2]!.todo, /Move AB#5 yourself if the work is at Testing, or add the state to the process/);
    assert.deepEqual(undecidedOf(run({ plan: undefined, applied: { edits: [], commands: [], remote: [] } }), NOW), []);
  });

  it('the store keeps one entry per cause (asking again refreshes it, it is not new), and survives a file that is not its shape', async () => {
    const store = new AttentionStore(root);
    assert.equal((await store.add(undecidedOf(run(), NOW))).length, 3);
    assert.equal((await store.add(undecidedOf(run({ runId: 'run-8' }), NOW))).length, 0, 'the same causes again are not new');
    const listed = await store.list();
    assert.equal(listed.length, 3);
    assert.ok(listed.every((e) => e.run === 'run-8'), 'refreshed with the later run');
    await fs.writeFile(path.join(root, ATTENTION_FILE), '{"version":1,"entries":[{"id":1}]}');
    assert.deepEqual(await store.list(), []);
  });

  it('@devops /status lists them newest first with what to do; text from outside is escaped, not rendered', async () => {
    const store = new AttentionStore(root);
    await store.add([
      { id: 'ambiguousHandOff:azureBoards:9', kind: 'ambiguousHandOff', at: '2026-12-07T19:00:00.000Z', item: 'AB#9', what: 'AB#9 "[Click](https://evil.example)" was assigned to you. Nothing in it points at one agent.', todo: 'Choose one with Hand to an Agent… on AB#9.' },
      ...undecidedOf(run(), NOW),
    ]);
    const f = chatFixture(new FakeWorkTracker('azureBoards', 'Ana Developer', demoItems()));
    try {
      Object.assign(f.services, { attention: () => store.list() });
      const { req, output } = f.request('status', '', noModel);
      await answerStatus(req, f.services);
      assert.match(output.text, /\*\*Waiting for you\*\* \(4; the orchestrator did not guess\)/);
      assert.match(output.text, /- Conflict · AB#5: .*\*\*Do:\*\* Look at the item/);
      assert.match(output.text, /- Hand-off undecided · AB#9: .*\*\*Do:\*\* Choose one with Hand to an Agent… on AB#9\./);
      assert.ok(output.text.indexOf('Conflict · AB#5') < output.text.indexOf('Hand-off undecided'), 'newest first');
      assert.doesNotMatch(output.text, /\[Click\]\(https:\/\/evil\.example\)/);
    } finally {
      f.dispose();
    }
  });
});
