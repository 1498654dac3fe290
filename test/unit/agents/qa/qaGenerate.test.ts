import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { qaAgent } from '../../../../src/agents/qa/qaAgent';
import { runAgent, type RunResult } from '../../../../src/agents/runtime/runAgent';
import { ManagedChatModel } from '../../../../src/providers/ai/managedChatModel';
import { OllamaProvider } from '../../../../src/providers/ai/ollamaProvider';
import { type ScriptRule } from '../../../../src/sandbox/models';
import { startStandIns, testServices, TestHost, type StandInHarness } from '../../providers/ai/harness';
import { type Harness, makeHarness } from '../runtime/harness';
import { copyFixture } from './qaFixtures';

/**
 * Test generation against the Ollama stand-in (the real provider and its JSON handling in between),
 * scripted by the last user message: the first answer is a test that fails, the answer to the
 * failure a test that passes. The generated file is run for real with node --test through the
 * package's own script, with coverage, before it is proposed.
 */
const FAILING = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { shout } = require('../src/shout.js');\n\ntest('shouts', () => {\n  assert.strictEqual(shout('ab'), 'ab!');\n});\n";
const PASSING = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { shout } = require('../src/shout.js');\n\ntest('shouts', () => {\n  assert.strictEqual(shout('ab'), 'AB');\n});\n\ntest('keeps long text', () => {\n  assert.strictEqual(shout('x'.repeat(101)), 'x'.repeat(101));\n});\n";
const IDLE = "const test = require('node:test');\nconst assert = require('node:assert');\n\ntest('nothing', () => {\n  assert.ok(true);\n});\n";

const rule = (name: string, contains: string, json: unknown): ScriptRule => ({ name, when: { lastUser: { contains } }, reply: { json } });

describe('QA agent: generated tests are proposed only when they pass and run the target', function () {
  this.timeout(120_000);
  let models: StandInHarness;
  let host: TestHost;
  let h: Harness | undefined;
  before(async () => (models = await startStandIns([])));
  const script = (...rules: ScriptRule[]): void => models.standIns.script.prepend(rules);
  after(() => models.server.stop());
  beforeEach(() => (host = new TestHost()));
  afterEach(async () => {
    host.dispose();
    await h?.dispose();
    h = undefined;
  });

  const model = () => {
    const provider = new OllamaProvider(host, async () => ({ url: models.urls.ollamaHost }));
    return new ManagedChatModel(provider.describe('llama3.2'), provider, testServices(host));
  };
  const project = async (): Promise<Harness> => {
    const harness = await makeHarness({ model: model(), user: { defaults: { runCommand: 'allow', writeFiles: 'allow' } } });
    await harness.write('package.json', JSON.stringify({ name: 'shouter', private: true, scripts: { test: 'node --test' } }));
    await harness.write('src/shout.js', "exports.shout = (s) => {\n  if (s.length > 100) {\n    return s;\n  }\n  return s.toUpperCase();\n};\n");
    await harness.write('test/existing.test.js', "const test = require('node:test');\ntest('exists', () => {});\n");
    return harness;
  };
  const generate = (input: Record<string, unknown>): Promise<RunResult> => runAgent(h!.services, { agent: qaAgent, action: 'generate', input, mode: 'plan' });

  it('a failing first answer goes back to the model with the failure; the passing correction is proposed as a new file, never written before approval', async () => {
    script(rule('first: a failing test', 'Write tests for the function shout', { path: 'test/shout.test.js', content: FAILING, explanation: 'first try' }));
    script(rule('second: fixed from the failure', 'The tests failed when run with', { path: 'test/shout.test.js', content: PASSING, explanation: 'fixed' }));
    h = await project();
    const before = models.server.requestsTo('ollama.chat').length;
    const r = await generate({ target: 'src/shout.js', function: 'shout' });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(r.plan!.edits.map((e) => [e.path, e.action, e.content]), [['test/shout.test.js', 'create', PASSING]]);
    assert.deepEqual(r.plan!.result, { generated: 'test/shout.test.js', tests: 2, rounds: 2, targetLinesHit: 6, newLinesHit: 6 });
    assert.match(r.plan!.notes.join('\n'), /Round 1: 1 generated test failed \(shouts: Expected values to be strictly equal/);
    // The model saw the real failure, and the runner ran the generated file only while it ran.
    const asked = models.server.requestsTo('ollama.chat').slice(before).map((q) => JSON.stringify(q.body));
    assert.equal(asked.length, 2);
    assert.match(asked[1]!, /The tests failed when run with npm test --silent -- --test-reporter/);
    assert.match(asked[1]!, /'AB' !== 'ab!'|ab!/);
    await assert.rejects(fs.stat(path.join(h.root, 'test', 'shout.test.js')));
    const runs = (await h.events()).filter((e) => e.eventType === 'command.run').map((e) => e.metadata as { temporaryFiles?: string[]; exitCode: number });
    // First the existing suite with coverage (the baseline), then each attempt with the generated file.
    assert.deepEqual(runs.map((m) => [m.temporaryFiles, m.exitCode === 0]), [[undefined, true], [['test/shout.test.js'], false], [['test/shout.test.js'], true]]);
    // Applied, the file is written as proposed.
    const applied = await runAgent(h.services, { agent: qaAgent, action: 'generate', input: { target: 'src/shout.js', function: 'shout' }, mode: 'apply' });
    assert.equal(applied.outcome, 'succeeded', applied.error);
    assert.equal(await h.read('test/shout.test.js'), PASSING);
  });

  it('model nonsense (not the asked shape) is a clear note and no file', async () => {
    // Nonsense first, and again when the provider asks once more for the right shape.
    script(rule('nonsense', 'Write tests for src/shout.js', { tests: 'yes please' }), rule('nonsense again', 'That reply was not valid', { tests: 'still no' }));
    h = await project();
    const r = await generate({ target: 'src/shout.js' });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.deepEqual(r.plan!.edits, []);
    assert.match(r.plan!.notes.join('\n'), /The model's answer could not be used \([\s\S]*did not match the expected JSON shape[\s\S]*\); no test is proposed/);
    assert.equal((await h.events()).filter((e) => e.eventType === 'command.run' && e.metadata.temporaryFiles !== undefined).length, 0, 'only the baseline ran');
  });

  it('a path out of the project, over an existing file or not a test file name is refused every round; nothing runs, nothing is proposed', async () => {
    script(rule('escape', 'Write tests for src/shout.js', { path: '../outside.test.js', content: PASSING }));
    script(rule('overwrite', 'new test file path', { path: 'test/existing.test.js', content: PASSING }));
    h = await project();
    const r = await generate({ target: 'src/shout.js', rounds: 2 });
    assert.deepEqual(r.plan!.edits, []);
    const notes = r.plan!.notes.join('\n');
    assert.match(notes, /Round 1: the model's file was refused: "\.\.\/outside\.test\.js" is not a workspace-relative path inside the project/);
    assert.match(notes, /Round 2: the model's file was refused: test\/existing\.test\.js exists already/);
    assert.match(notes, /No generated test passed in 2 rounds; none is proposed/);
    assert.equal((await h.events()).filter((e) => e.eventType === 'command.run' && e.metadata.temporaryFiles !== undefined).length, 0, 'only the baseline ran');
    await assert.rejects(fs.stat(path.join(h.root, '..', 'outside.test.js')));
  });

  it('tests that pass without running a line of the target are not proposed', async () => {
    script(rule('idle', 'Write tests for src/shout.js', { path: 'test/idle.test.js', content: IDLE }));
    script(rule('still idle', 'never run src/shout.js', { path: 'test/idle2.test.js', content: IDLE }));
    h = await project();
    const r = await generate({ target: 'src/shout.js', rounds: 2 });
    assert.deepEqual(r.plan!.edits, []);
    assert.match(r.plan!.notes.join('\n'), /Round 1: the tests pass but run no line of src\/shout\.js/);
  });

  it('an uncovered range (lines 3-3): tests that pass without running it go back to the model; those that run it are proposed, counting only the range', async () => {
    const SHORT_ONLY = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { shout } = require('../src/shout.js');\n\ntest('shouts', () => {\n  assert.strictEqual(shout('ab'), 'AB');\n});\n";
    script(rule('range: misses it', 'The tests must run lines 3-3 of src/shout.js', { path: 'test/range.test.js', content: SHORT_ONLY }));
    script(rule('range: runs it', 'never run lines 3-3 of src/shout.js', { path: 'test/range.test.js', content: PASSING }));
    h = await project();
    const r = await generate({ target: 'src/shout.js', lines: '3-3' });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.match(r.plan!.notes.join('\n'), /Round 1: the tests pass but run no line of lines 3-3 of src\/shout\.js/);
    assert.deepEqual(r.plan!.result, { generated: 'test/range.test.js', tests: 2, rounds: 2, targetLinesHit: 1, newLinesHit: 1 });
    assert.match(r.plan!.title, /Generated tests for src\/shout\.js \(lines 3–3\)/);
    const asked = models.server.requestsTo('ollama.chat').map((q) => JSON.stringify(q.body));
    assert.ok(asked.some((a) => a.includes('3:     return s;')), 'the range went to the model with its line numbers');
  });

  it('a range that is not one is refused before anything runs', async () => {
    h = await project();
    for (const lines of ['9-3', '0-2', 'x-2']) await assert.rejects(generate({ target: 'src/shout.js', lines }), /qa generate: lines: .*(line range|first line)/, lines);
    assert.equal((await h.events()).filter((e) => e.eventType === 'command.run').length, 0);
  });

  it('without a model: says so, runs nothing', async () => {
    h = await makeHarness();
    await h.write('package.json', JSON.stringify({ name: 'shouter', scripts: { test: 'node --test' } }));
    await h.write('src/shout.js', 'exports.shout = (s) => s;\n');
    const r = await generate({ target: 'src/shout.js' });
    assert.deepEqual(r.plan!.edits, []);
    assert.match(r.plan!.notes.join('\n'), /Generating tests needs a model/);
  });

  describe('coverage of the target must rise over the existing suite (a baseline run first)', () => {
    const SHORT = "const test = require('node:test');\nconst assert = require('node:assert');\nconst { shout } = require('../src/shout.js');\n\ntest('short', () => {\n  assert.strictEqual(shout('ab'), 'AB');\n});\n";
    const withExisting = async (existing: string): Promise<Harness> => {
      const harness = await project();
      await harness.write('test/existing.test.js', existing);
      return harness;
    };

    it('tests that run only lines the existing tests run are refused with the lines; the model is told the uncovered ones; tests adding one are proposed with that count', async () => {
      script(rule('same lines as the suite', 'Write tests for the function shout', { path: 'test/again.test.js', content: SHORT }));
      script(rule('the long branch too', 'run only lines the existing tests already run', { path: 'test/again.test.js', content: PASSING }));
      h = await withExisting(SHORT);
      const before = models.server.requestsTo('ollama.chat').length;
      const r = await generate({ target: 'src/shout.js', function: 'shout' });
      assert.equal(r.outcome, 'succeeded', r.error);
      const notes = r.plan!.notes.join('\n');
      assert.match(notes, /Round 1: the tests pass but run only lines of src\/shout\.js the existing tests already run \(1-2, 5(-6)?\), so its coverage would not rise/);
      assert.deepEqual(r.plan!.edits.map((e) => e.path), ['test/again.test.js']);
      assert.deepEqual(r.plan!.result, { generated: 'test/again.test.js', tests: 2, rounds: 2, targetLinesHit: 6, newLinesHit: 2 });
      assert.match(r.plan!.summary, /running 6 lines of src\/shout\.js, 2 of them run by no existing test/);
      const asked = models.server.requestsTo('ollama.chat').slice(before).map((q) => JSON.stringify(q.body));
      assert.match(asked[0]!, /Lines of src\/shout\.js no existing test runs \(the new tests must run some of them\): 3-4\./);
      assert.match(asked[1]!, /Write tests that run lines of src\/shout\.js no test runs yet: 3-4\./);
    });

    it('a target the existing tests already run entirely: says so, asks the model nothing, proposes nothing', async () => {
      h = await withExisting(PASSING);
      const before = models.server.requestsTo('ollama.chat').length;
      const r = await generate({ target: 'src/shout.js', function: 'shout' });
      assert.equal(r.outcome, 'succeeded', r.error);
      assert.deepEqual(r.plan!.edits, []);
      assert.match(r.plan!.summary, /No test is proposed: The existing tests already run every line of src\/shout\.js \(6 lines measured\), so its coverage cannot rise; no test is generated\./);
      assert.equal(models.server.requestsTo('ollama.chat').length, before, 'the model was not asked');
    });

    it('a range the existing tests already run: says so for the range', async () => {
      h = await withExisting(SHORT);
      const r = await generate({ target: 'src/shout.js', lines: '5-6' });
      assert.deepEqual(r.plan!.edits, []);
      assert.match(r.plan!.notes.join('\n'), /The existing tests already run every line of lines 5-6 of src\/shout\.js \(2 lines measured\)/);
    });
  });

  describe('mocha under c8: the coverage this attempt wrote, never an older report', () => {
    const MOCHA_IDLE = "const assert = require('node:assert');\n\ndescribe('nothing', () => {\n  it('is true', () => assert.ok(true));\n});\n";
    const MOCHA_DIVIDE = "const assert = require('node:assert');\nconst { divide } = require('../src/math.js');\n\ndescribe('divide', () => {\n  it('divides', () => assert.strictEqual(divide(6, 3), 2));\n  it('refuses zero', () => assert.throws(() => divide(1, 0), RangeError));\n});\n";
    /** The stale report: every line of src/math.js covered, written long before the attempt. */
    const STALE = 'TN:\nSF:src/math.js\nDA:1,9\nDA:2,9\nDA:3,9\nDA:4,9\nLF:4\nLH:4\nend_of_record\n';
    const mochaProject = async (reporter: string): Promise<Harness> => {
      const harness = await makeHarness({ model: model(), user: { defaults: { runCommand: 'allow', writeFiles: 'allow' } } });
      await copyFixture('mocha', harness.root);
      // No .mocharc: the script's c8 writes the report, and only sum.test.js is the existing suite.
      await fs.rm(path.join(harness.root, '.mocharc.json'));
      await fs.rm(path.join(harness.root, 'test', 'math.test.js'));
      await harness.write('test/sum.test.js', "const assert = require('node:assert');\ndescribe('sum', () => {\n  it('adds', () => assert.strictEqual(1 + 1, 2));\n});\n");
      await harness.write('package.json', JSON.stringify({ name: 'mathy', private: true, scripts: { test: `c8 ${reporter} mocha` } }));
      await harness.write('coverage/lcov.info', STALE);
      const old = new Date(Date.now() - 3_600_000);
      await fs.utimes(path.join(harness.root, 'coverage', 'lcov.info'), old, old);
      return harness;
    };

    it('tests that do not touch the target are refused by the report c8 wrote for them; the corrected ones are proposed with the lines they ran', async () => {
      script(rule('idle (mocha)', 'Write tests for the function divide', { path: 'test/idle.test.js', content: MOCHA_IDLE }));
      script(rule('divide (mocha)', 'never run src/math.js', { path: 'test/divide.test.js', content: MOCHA_DIVIDE }));
      h = await mochaProject('--reporter=lcov');
      const r = await generate({ target: 'src/math.js', function: 'divide' });
      assert.equal(r.outcome, 'succeeded', r.error);
      assert.match(r.plan!.notes.join('\n'), /Round 1: the tests pass but run no line of src\/math\.js/);
      assert.deepEqual(r.plan!.edits.map((e) => e.path), ['test/divide.test.js']);
      assert.deepEqual(r.plan!.result, { generated: 'test/divide.test.js', tests: 2, rounds: 2, targetLinesHit: 5, newLinesHit: 5 });
    });

    it('a c8 that writes no lcov this time: the older report in coverage/ is not read, the note says coverage was not measured', async () => {
      script(rule('idle again (mocha)', 'Write tests for src/math.js', { path: 'test/idle.test.js', content: MOCHA_IDLE }));
      h = await mochaProject('--reporter=text');
      const r = await generate({ target: 'src/math.js', rounds: 1 });
      assert.equal(r.outcome, 'succeeded', r.error);
      assert.deepEqual(r.plan!.result, { generated: 'test/idle.test.js', tests: 1, rounds: 1, targetLinesHit: null, newLinesHit: null });
      assert.match(r.plan!.notes.join('\n'), /Coverage of src\/math\.js could not be measured for mocha here/);
      assert.equal(await h.read('coverage/lcov.info'), STALE, 'the project\'s report is left as it was');
    });
  });
});

describe('QA agent: the sandbox model\'s shipped answer to Generate Tests (src/sandbox/models/fixtures/devops.json)', function () {
  this.timeout(120_000);
  let models: StandInHarness;
  let host: TestHost;
  let h: Harness | undefined;
  before(async () => (models = await startStandIns([])));
  after(() => models.server.stop());
  beforeEach(() => (host = new TestHost()));
  afterEach(async () => {
    host.dispose();
    await h?.dispose();
    h = undefined;
  });

  it('answers for the sample\'s shout() with tests that pass and run every line of it, in the folder of the package', async () => {
    const provider = new OllamaProvider(host, async () => ({ url: models.urls.ollamaHost }));
    h = await makeHarness({ model: new ManagedChatModel(provider.describe('llama3.2'), provider, testServices(host)), user: { defaults: { runCommand: 'allow', writeFiles: 'allow' } } });
    await h.write('sample/package.json', JSON.stringify({ name: 'sample', private: true, scripts: { test: 'node --test' } }));
    await h.write('sample/test/existing.test.js', "const test = require('node:test');\ntest('exists', () => {});\n");
    await h.write('sample/src/shout.js', "exports.shout = (s) => {\n  if (s.length > 100) {\n    return s;\n  }\n  return s.toUpperCase();\n};\n");
    const r = await runAgent(h.services, { agent: qaAgent, action: 'generate', input: { target: 'sample/src/shout.js', function: 'shout' }, mode: 'plan' });
    assert.equal(r.outcome, 'succeeded', r.error);
    assert.ok(r.plan!.edits.length, r.plan!.notes.join('\n'));
    assert.deepEqual(r.plan!.result, { generated: 'sample/test/shout.generated.test.js', tests: 3, rounds: 1, targetLinesHit: 6, newLinesHit: 6 });
  });
});
