import assert from 'node:assert/strict';
import { decideCommand, defaultPolicy } from '../../../../src/core/policy/commandPolicy';

const ROOT = '/work/repo';
const decide = (file: string, args: string[]) => decideCommand(defaultPolicy(), { file, args }, { workspaceRoot: ROOT });

describe('command policy: the QA agent\'s test runs', () => {
  it('allows the reporters\' machine-readable output pointing inside the workspace', () => {
    for (const [file, args] of [
      ['npm', ['test', '--silent', '--', '--reporter', 'json']],
      ['npm', ['test', '--silent', '--', '--reporter', 'json', '--grep=^(?:math add adds)$']],
      ['npm', ['run', 'test:unit', '--silent', '--', '--json', `--outputFile=${ROOT}/.devops/tmp/run-1/jest.json`, '--coverage']],
      ['npm', ['test', '--silent', '--', '--run', '--reporter=json', `--outputFile=${ROOT}/.devops/tmp/run-1/v.json`, '--testNamePattern=^(?:a b)$']],
      ['npm', ['test', '--silent', '--', '--test-reporter=junit', `--test-reporter-destination=${ROOT}/.devops/tmp/run-1/n.xml`, '--test-reporter=spec', '--test-reporter-destination=stdout', '--experimental-test-coverage']],
      ['pytest', [`--junitxml=${ROOT}/.devops/tmp/run-1/p.xml`, '-q', `--cov=${ROOT}/svc`, `--cov-report=xml:${ROOT}/.devops/tmp/run-1/c.xml`, '--cov-branch']],
      ['pytest', ['-q', `${ROOT}/tests/test_calc.py::TestAdd::test_negative`]],
      ['unittest', ['discover', '-v', '-s', `${ROOT}/tests`]],
      ['unittest', ['-v', 'tests.test_strings.TestStrings.test_title']],
      ['mvn', ['-B', 'test']],
      ['gradle', ['test']],
    ] as const) {
      const d = decide(file, [...args]);
      assert.ok(d.allowed, `${file} ${args.join(' ')}: ${d.allowed ? '' : d.reason}`);
    }
  });

  it('refuses report files outside the workspace or in protected places, and anything else after the prefix', () => {
    for (const [file, args, pattern] of [
      ['pytest', ['--cov-report=xml:/etc/cron.d/x'], /outside the workspace/],
      ['pytest', [`--cov-report=html:${ROOT}/x`], /does not allow/],
      ['pytest', [`--cov-report=xml:${ROOT}/.git/hooks/pre-commit`], /\.git/],
      ['npm', ['test', '--', '--test-reporter-destination=/tmp/x.xml'], /outside the workspace|does not allow/],
      ['unittest', ['discover', '-s', '/etc'], /outside the workspace/],
      ['unittest', ['-v', 'os.system("x")'], /does not allow/],
      ['mvn', ['-B', 'test', '-Dexec=x'], /does not allow|allows no/],
    ] as const) {
      const d = decide(file, [...args]);
      assert.equal(d.allowed, false, `${file} ${args.join(' ')}`);
      if (!d.allowed) assert.match(d.reason, pattern, d.reason);
    }
  });
});
