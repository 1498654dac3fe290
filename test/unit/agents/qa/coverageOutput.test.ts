import assert from 'node:assert/strict';
import { detectProjects } from '../../../../src/agents/qa/detect/projects';
import { runnerFor } from '../../../../src/agents/qa/runners';
import { type RunSetup } from '../../../../src/agents/qa/runners/runner';
import { NodeWorkspaceFiles } from '../../../../src/agents/runtime/workspaceFiles';
import { type Harness, makeHarness } from '../runtime/harness';

/**
 * Jest and Vitest write coverage where they are told: each run (and each attempt of test
 * generation, which has a scratch folder of its own) names its own folder, so the report read is
 * the one that run wrote, never the project's coverage/ from an earlier run. (Neither runner is
 * installed here; mocha under c8 and node:test are run for real in qaGenerate.test.ts.)
 */
describe('QA agent: each run writes its own coverage report', () => {
  let h: Harness;
  afterEach(async () => h?.dispose());

  for (const [framework, expected] of [
    ['jest', (dir: string) => ['--coverage', `--coverageDirectory=${dir}`, '--coverageReporters=json']],
    ['vitest', (dir: string) => ['--coverage.enabled=true', `--coverage.reportsDirectory=${dir}`, '--coverage.reporter=json']],
  ] as const) {
    it(`${framework}: coverage to the run's scratch folder as istanbul JSON, a different folder per attempt, nothing read from coverage/`, async () => {
      h = await makeHarness();
      await h.write('web/package.json', JSON.stringify({ name: 'web', scripts: { test: framework } }));
      const [project] = await detectProjects(new NodeWorkspaceFiles(h.root), { notes: [] });
      assert.equal(project?.framework, framework);
      const setup = (scratch: string): RunSetup => ({ root: h.root, scratch, coverage: true, files: ['web/a.test.js'] });
      const first = runnerFor(framework, new Set()).invocation(project, setup('.devops/tmp/attempt-1'));
      const second = runnerFor(framework, new Set()).invocation(project, setup('.devops/tmp/attempt-2'));
      for (const [inv, attempt] of [[first, 'attempt-1'], [second, 'attempt-2']] as const) {
        const dir = `.devops/tmp/${attempt}/web-${framework}-coverage`;
        assert.deepEqual(inv.coverage, [{ path: `${dir}/coverage-final.json`, format: 'istanbul' }]);
        const args = inv.command.args;
        const at = args.indexOf(expected(`${h.root}/${dir}`)[0]!);
        assert.ok(at > 0, args.join(' '));
        assert.deepEqual(args.slice(at, at + 3), expected(`${h.root}/${dir}`));
        assert.ok(!args.some((a) => /(^|\/)coverage\//.test(a) && !a.includes(attempt)), 'nothing names the project\'s coverage/ folder');
      }
      assert.equal(runnerFor(framework, new Set()).invocation(project, { ...setup('.devops/tmp/x'), coverage: false }).coverage.length, 0);
    });
  }
});
