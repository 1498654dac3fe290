import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contentSha256, workspaceKeyFor } from '../../../../src/core/approvals';
import { FILE_APPROVALS_FILE, fileApprovalsInDirectory } from '../../../../src/providers/files/fileApprovalsFile';
import { FakeLogger } from '../../fakes/fakeLogger';

describe('file approvals in a JSON file', () => {
  let dir: string;
  const ws = workspaceKeyFor('/home/ada/repo');
  const rel = '.devops/commands.json';

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-approvals-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps approvals across instances (a later CLI run sees them)', async () => {
    const sha = contentSha256('{}');
    await fileApprovalsInDirectory(path.join(dir, 'state'), new FakeLogger()).approve(ws, rel, sha);
    const again = fileApprovalsInDirectory(path.join(dir, 'state'), new FakeLogger());
    assert.equal(await again.isApproved(ws, rel, sha), true);
    const stat = await fs.stat(path.join(dir, 'state', FILE_APPROVALS_FILE));
    if (process.platform !== 'win32') assert.equal(stat.mode & 0o777, 0o600, 'only the user reads it');
    await again.revoke(ws, rel);
    assert.equal(await fileApprovalsInDirectory(path.join(dir, 'state'), new FakeLogger()).isApproved(ws, rel, sha), false);
  });

  it('loses no approval when two writers approve at once', async () => {
    const a = fileApprovalsInDirectory(dir, new FakeLogger());
    const b = fileApprovalsInDirectory(dir, new FakeLogger());
    const files = Array.from({ length: 12 }, (_, i) => `.devops/f${i}.json`);
    await Promise.all(files.map((f, i) => (i % 2 ? a : b).approve(ws, f, contentSha256(f))));
    for (const f of files) assert.equal(await a.isApproved(ws, f, contentSha256(f)), true, f);
  });

  it('a damaged file holds no approvals, says so, and is replaced by the next approval', async () => {
    await fs.writeFile(path.join(dir, FILE_APPROVALS_FILE), '{ not json');
    const log = new FakeLogger();
    const approvals = fileApprovalsInDirectory(dir, log);
    assert.equal(await approvals.isApproved(ws, rel, contentSha256('{}')), false);
    assert.match(log.text, /not valid JSON; treating every repository file as not approved/);
    await approvals.approve(ws, rel, contentSha256('{}'));
    assert.equal(await approvals.isApproved(ws, rel, contentSha256('{}')), true);
  });

  it('a missing directory holds no approvals and logs nothing', async () => {
    const log = new FakeLogger();
    assert.equal(await fileApprovalsInDirectory(path.join(dir, 'nope'), log).get(ws, rel), undefined);
    assert.equal(log.lines.length, 0);
  });
});
