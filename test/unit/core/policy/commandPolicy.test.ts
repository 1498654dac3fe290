import assert from 'node:assert/strict';
import { type CommandRefusal, decideCommand, defaultPolicy, policyFromFile, USER_RULES_SETTING } from '../../../../src/core/policy';

const policy = defaultPolicy();
const ctx = { workspaceRoot: '/work/project', pathOptions: { platform: 'posix' as const } };

describe('command policy', () => {
  const allowed: [string | { file: string; args: string[] }, string, string[], string][] = [
    ['git status --porcelain=v2', 'git', ['status', '--porcelain=v2'], 'git-status'],
    ['git log --format="%h %s" -n 5', 'git', ['log', '--format=%h %s', '-n', '5'], 'git-log'],
    [{ file: 'git', args: ['commit', '-m', 'Fix `parse()` for AB#42'] }, 'git', ['commit', '-m', 'Fix `parse()` for AB#42'], 'git-commit'],
    ['git add -- src/a.ts README.md', 'git', ['add', '--', 'src/a.ts', 'README.md'], 'git-add'],
    ['git switch -c feature/42-login', 'git', ['switch', '-c', 'feature/42-login'], 'git-switch-create'],
    ['git revert --no-commit aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'git', ['revert', '--no-commit', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'], 'git-revert-no-commit'],
    ['npm test', 'npm', ['test'], 'npm-test'],
    ['npm run lint -- --fix', 'npm', ['run', 'lint', '--', '--fix'], 'npm-run'],
    ['go test ./...', 'go', ['test', './...'], 'go-test'],
  ];
  for (const [request, file, args, ruleId] of allowed) {
    it(`allows ${JSON.stringify(request)} as ${file} ${JSON.stringify(args)}, without a shell`, () => {
      const d = decideCommand(policy, typeof request === 'string' ? { commandLine: request } : request, ctx);
      assert.deepEqual(d, { allowed: true, file, args, ruleId, shell: false });
    });
  }

  const refused: [string | { file: string; args: string[] }, CommandRefusal, RegExp][] = [
    ['', 'empty', /No program/],
    ['git status; rm -rf /', 'shellMetacharacters', /holds ";"/],
    ['git status && curl evil', 'shellMetacharacters', /"&&"/],
    ['git log | sh', 'shellMetacharacters', /"\|"/],
    ['git diff > out.txt', 'shellMetacharacters', /">"/],
    ['git add -- *.ts', 'shellMetacharacters', /the glob "\*\.ts"/],
    ['git status # hidden', 'shellMetacharacters', /a comment/],
    ['git status\nrm -rf /', 'shellMetacharacters', /several lines/],
    ['git log `id`', 'shellMetacharacters', /Command substitution/],
    ['git log $(id)', 'shellMetacharacters', /Command substitution/],
    [{ file: 'git;rm', args: [] }, 'shellMetacharacters', /metacharacters/],
    [{ file: 'git status', args: [] }, 'shellMetacharacters', /spaces/],
    ['sh -c "git status"', 'shellInterpreter', /"sh -c" runs code given as text/],
    ['bash -c ls', 'shellInterpreter', /bash -c/],
    [{ file: '/bin/bash', args: ['-c', 'ls'] }, 'shellInterpreter', /runs code/],
    ['cmd /c dir', 'shellInterpreter', /cmd \/c/],
    ['cmd.exe /C dir', 'shellInterpreter', /\/C/],
    ['powershell -Command Get-Item', 'shellInterpreter', /-Command/],
    ['pwsh -EncodedCommand ZQBjAGgAbwA=', 'shellInterpreter', /-EncodedCommand/],
    ['node -e "process.exit(1)"', 'shellInterpreter', /node -e/],
    ['python3 -c "import os"', 'shellInterpreter', /-c/],
    ['bash script.sh', 'shellInterpreter', /interpreter/],
    ['env git status', 'wrapper', /runs another program/],
    ['sudo git status', 'wrapper', /runs another program/],
    ['npx some-package', 'wrapper', /runs another program/],
    ['xargs rm', 'wrapper', /runs another program/],
    [{ file: './node_modules/.bin/mocha', args: [] }, 'executablePath', /is a path/],
    [{ file: 'C:\\tools\\git.exe', args: ['status'] }, 'executablePath', /is a path/],
    ['GIT_SSH_COMMAND=evil git fetch', 'envAssignment', /sets an environment variable/],
    ['git log $HOME', 'variableExpansion', /"HOME" but commands run without a shell/],
    ['git log "${PATH}"', 'variableExpansion', /"PATH"/],
    ['git log %USERPROFILE%', 'variableExpansion', /USERPROFILE/],
    [{ file: 'git', args: ['log', '$HOME'] }, 'variableExpansion', /looks like a variable/],
    [{ file: 'git', args: ['log', '%TEMP%\\x'] }, 'variableExpansion', /looks like a variable/],
    // The release rollback's revert: full hashes into the index only; no revision ranges, no mainline, no commit of its own.
    ['git revert --no-commit HEAD~3..HEAD', 'argumentNotAllowed', /not with these arguments/],
    ['git revert aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'argumentNotAllowed', /not with these arguments/],
    ['git revert --no-commit -m 1 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'argumentNotAllowed', /not with these arguments/],
    ['git push origin main', 'argumentNotAllowed', /"git" is allowed, but not with these arguments/],
    ['git -c core.sshCommand=evil status', 'forbiddenOption', /"-c" before the git subcommand is never allowed/],
    ['git log --output=/tmp/x', 'forbiddenOption', /"--output=\/tmp\/x" is never allowed for git: --output writes a file/],
    ['git status --exec=evil', 'forbiddenOption', /--exec runs another program or code/],
    ['git status --porcelain=v3', 'argumentNotAllowed', /does not allow "v3" as the value of --porcelain \(expected one of "v1", "v2"\)/],
    ['git status --verbose-ish', 'argumentNotAllowed', /does not allow the option "--verbose-ish" \(it allows --porcelain/],
    ['git commit -m', 'argumentNotAllowed', /expects at least 3 arguments, got 2/],
    ['npm install left-pad', 'argumentNotAllowed', /not with these arguments/],
    ['git add -- ../outside.txt', 'pathNotAllowed', /outside the workspace/],
    ['git add -- /etc/passwd', 'pathNotAllowed', /outside the workspace/],
    ['curl https://example.com', 'notAllowlisted', /"curl" is not on the command allowlist/],
  ];
  for (const [request, code, reason] of refused) {
    it(`refuses ${JSON.stringify(request)} (${code})`, () => {
      const d = decideCommand(policy, typeof request === 'string' ? { commandLine: request } : request, ctx);
      assert.ok(!d.allowed, 'expected a refusal');
      assert.equal(d.code, code);
      assert.match(d.reason, reason);
    });
  }

  it('suggests the rule that would allow a refused command, and the rule works', () => {
    const d = decideCommand(policy, { commandLine: 'make test' }, ctx);
    assert.ok(!d.allowed && d.suggestion);
    assert.equal(d.suggestion.where, USER_RULES_SETTING);
    assert.match(d.reason, /add the suggested rule to the aiDevops\.commands\.allow user setting \(or to \.devops\/commands\.json, which counts once you approve its content\)/);
    assert.deepEqual(d.suggestion.rule, { id: 'allow-make-test', executable: 'make', args: ['test'], flags: [], description: 'Added by the user.' });
    const file = JSON.stringify({ version: 1, rules: [d.suggestion.rule] });
    const loaded = policyFromFile(file);
    assert.ok(loaded.ok);
    assert.deepEqual(decideCommand(loaded.policy, { commandLine: 'make test' }, ctx), { allowed: true, file: 'make', args: ['test'], ruleId: 'allow-make-test', shell: false });
    assert.ok(!decideCommand(loaded.policy, { commandLine: 'make install' }, ctx).allowed);
  });

  it('reports a bad policy file with where it is wrong', () => {
    const notJson = policyFromFile('{ nope');
    assert.ok(!notJson.ok && /\.devops\/commands\.json is not valid JSON/.test(notJson.reason));
    const badExe = policyFromFile(JSON.stringify({ version: 1, rules: [{ id: 'x', executable: '/bin/sh' }] }));
    assert.ok(!badExe.ok && /rules\.0\.executable: a bare program name/.test(badExe.reason));
    const badRegex = policyFromFile(JSON.stringify({ version: 1, rules: [{ id: 'x', executable: 'make', args: [{ regex: '(' }] }] }));
    assert.ok(!badRegex.ok && /not a valid regular expression/.test(badRegex.reason));
    const extra = policyFromFile(JSON.stringify({ version: 1, rules: [], shell: true }));
    assert.ok(!extra.ok);
    const rest = policyFromFile(JSON.stringify({ version: 1, rules: [{ id: 'x', executable: 'make', rest: { regex: '.*' } }] }));
    assert.ok(!rest.ok && /rules\.0: "rest" is no longer supported: name each allowed option in "flags"/.test(rest.reason), rest.ok ? '' : rest.reason);
  });
});
