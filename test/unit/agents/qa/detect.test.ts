import assert from 'node:assert/strict';
import { detectProjects } from '../../../../src/agents/qa/detect/projects';
import { nodeTestHasFileArguments, readScript } from '../../../../src/agents/qa/detect/npmScript';
import { NodeWorkspaceFiles } from '../../../../src/agents/runtime/workspaceFiles';
import { type Harness, makeHarness } from '../runtime/harness';

describe('QA agent: finding the suites', () => {
  it('reads package scripts as a shell splits them: the runner, its own arguments, whether flags can be appended, coverage wrappers, called scripts, workspace delegation', () => {
    const cases: [string, Partial<ReturnType<typeof readScript>>][] = [
      ['mocha', { runner: 'mocha', appendable: true, runnerArgs: [] }],
      ["c8 --reporter=lcov -r text mocha --require ./hook.js 'test/**/*.spec.js'", { runner: 'mocha', coverageWrapper: 'c8', runnerArgs: ['--require', './hook.js', 'test/**/*.spec.js'] }],
      ['cross-env NODE_ENV=test jest --runInBand', { runner: 'jest', appendable: true, runnerArgs: ['--runInBand'] }],
      ['NODE_OPTIONS=--max-old-space-size=4096 vitest run', { runner: 'vitest', runnerArgs: ['run'] }],
      ['tsc -p . && mocha', { runner: 'mocha', appendable: true }],
      ['mocha && eslint .', { runner: 'mocha', appendable: false }],
      ['mocha | tee out.txt', { runner: 'mocha', appendable: false }],
      ['node --import tsx --test', { runner: 'node-test', appendable: true }],
      ['npm run build && npm run test:unit', { runner: undefined, calls: ['build', 'test:unit'] }],
      ['npm test --workspaces', { runner: undefined, delegatesToWorkspaces: true }],
      ['lerna run test', { delegatesToWorkspaces: true }],
      ['echo "Error: no test specified" && exit 1', { runner: undefined }],
    ];
    for (const [script, expected] of cases) {
      const got = readScript(script);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(got[k as keyof typeof got], v, `${script}: ${k}`);
    }
    assert.equal(nodeTestHasFileArguments(['--test']), false);
    assert.equal(nodeTestHasFileArguments(['--import', 'tsx', '--test']), false);
    assert.equal(nodeTestHasFileArguments(['--test', 'test/']), true);
  });

  describe('projects', () => {
    let h: Harness;
    afterEach(async () => h?.dispose());
    const detect = async (within?: string) => {
      const notes: string[] = [];
      const projects = await detectProjects(new NodeWorkspaceFiles(h.root), { notes, ...(within ? { within } : {}) });
      return { projects: projects.map((p) => [p.framework, p.dir, p.npm?.script ?? '']), notes };
    };

    it('every kind the issue names, from configuration and scripts; a test script that calls another is followed; unknown runners are noted', async () => {
      h = await makeHarness();
      await h.write('package.json', JSON.stringify({ name: 'root', workspaces: ['packages/*'], scripts: { test: 'npm test --workspaces' } }));
      await h.write('packages/a/package.json', JSON.stringify({ name: 'a', scripts: { test: 'npm run build && npm run test:unit', 'test:unit': 'jest', build: 'tsc' } }));
      await h.write('packages/b/package.json', JSON.stringify({ name: 'b', scripts: { test: 'vitest' } }));
      await h.write('packages/c/package.json', JSON.stringify({ name: 'c', scripts: { test: 'ava' } }));
      await h.write('packages/d/package.json', JSON.stringify({ name: 'd', scripts: { test: 'echo "Error: no test specified" && exit 1' } }));
      await h.write('api/pyproject.toml', '[tool.pytest.ini_options]\naddopts = "-q"\n');
      await h.write('api/tests/test_x.py', 'def test_x(): pass\n');
      await h.write('scripts/test_tool.py', 'import unittest\nclass T(unittest.TestCase):\n    pass\n');
      await h.write('svc/go.mod', 'module example.com/svc\n\ngo 1.22\n');
      await h.write('rust/Cargo.toml', '[package]\nname = "r"\n');
      await h.write('dotnet/Shop.Tests/Shop.Tests.csproj', '<Project><ItemGroup><PackageReference Include="Microsoft.NET.Test.Sdk" /></ItemGroup></Project>');
      await h.write('dotnet/Shop/Shop.csproj', '<Project></Project>');
      await h.write('java/pom.xml', '<project/>');
      await h.write('kotlin/build.gradle.kts', '');
      await h.write('node_modules/x/package.json', JSON.stringify({ scripts: { test: 'mocha' } }));
      const { projects, notes } = await detect();
      assert.deepEqual(projects, [
        ['unittest', '', ''],
        ['pytest', 'api', ''],
        ['dotnet', 'dotnet/Shop.Tests', ''],
        ['maven', 'java', ''],
        ['gradle', 'kotlin', ''],
        ['jest', 'packages/a', 'test:unit'],
        ['vitest', 'packages/b', 'test'],
        ['cargo', 'rust', ''],
        ['go', 'svc', ''],
      ]);
      assert.ok(notes.some((n) => /packages\/c\/package.json: the test script \("ava"\) runs no test runner/.test(n)));
      assert.ok(notes.some((n) => /gradlew is not used/.test(n)));
    });

    it('--only keeps the suites inside the path, else the innermost that hold it: a root suite runs only for a path no nested package owns', async () => {
      h = await makeHarness();
      await h.write('package.json', JSON.stringify({ scripts: { test: 'node --test' } }));
      await h.write('packages/a/package.json', JSON.stringify({ scripts: { test: 'mocha' } }));
      await h.write('packages/b/package.json', JSON.stringify({ scripts: { test: 'mocha' } }));
      assert.deepEqual((await detect('packages/b/test/x.test.js')).projects, [['mocha', 'packages/b', 'test']]);
      assert.deepEqual((await detect('packages/b')).projects, [['mocha', 'packages/b', 'test']]);
      assert.deepEqual((await detect('packages')).projects, [['mocha', 'packages/a', 'test'], ['mocha', 'packages/b', 'test']]);
      assert.deepEqual((await detect('test/root.test.js')).projects, [['node-test', '', 'test']]);
      assert.deepEqual((await detect('docs')).projects, [['node-test', '', 'test']]);
    });

    it('a package.json that is not JSON is noted, not fatal', async () => {
      h = await makeHarness();
      await h.write('package.json', '{ "scripts": ');
      await h.write('b/package.json', JSON.stringify({ scripts: { test: 'mocha' } }));
      const { projects, notes } = await detect();
      assert.deepEqual(projects, [['mocha', 'b', 'test']]);
      assert.ok(notes.some((n) => /package.json could not be read/.test(n)));
    });
  });
});
