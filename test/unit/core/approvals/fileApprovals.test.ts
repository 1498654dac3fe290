import assert from 'node:assert/strict';
import {
  contentSha256,
  decideRepositoryFile,
  type FileApprovalRecords,
  normaliseRelativePath,
  parseApprovalRecords,
  StoredFileApprovals,
  type Tightening,
  useRepositoryFile,
  workspaceKeyFor,
} from '../../../../src/core/approvals';

/** A toy policy file: `allow` loosens, `deny` tightens. */
interface Toy {
  allow: string[];
  deny: string[];
}
const parse = (text: string): { ok: true; value: Toy } | { ok: false; reason: string } => {
  try {
    const raw = JSON.parse(text) as Partial<Toy>;
    if (!Array.isArray(raw.allow ?? []) || !Array.isArray(raw.deny ?? [])) return { ok: false, reason: 'allow and deny must be lists' };
    return { ok: true, value: { allow: raw.allow ?? [], deny: raw.deny ?? [] } };
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
};
const tightening = (v: Toy): Tightening<Toy> => ({ value: v.deny.length > 0 ? { allow: [], deny: v.deny } : undefined, loosens: v.allow.length > 0 });

function memoryApprovals(start: FileApprovalRecords = {}): { approvals: StoredFileApprovals; records: () => FileApprovalRecords } {
  let records = start;
  const approvals = new StoredFileApprovals(
    { read: async () => records, update: async (change) => void (records = change(records)) },
    () => new Date('2026-05-01T10:00:00Z'),
  );
  return { approvals, records: () => records };
}

describe('file approvals', () => {
  const ws = workspaceKeyFor('/home/ada/repo');
  const text = '{ "allow": ["make test"] }';

  it('approves exactly one content of one file in one workspace', async () => {
    const { approvals } = memoryApprovals();
    const sha = contentSha256(text);
    assert.equal(await approvals.isApproved(ws, '.devops/commands.json', sha), false);
    await approvals.approve(ws, '.devops/commands.json', sha);
    assert.equal(await approvals.isApproved(ws, '.devops/commands.json', sha), true);
    assert.deepEqual(await approvals.get(ws, '.devops/commands.json'), { sha256: sha, approvedAt: '2026-05-01T10:00:00.000Z' });
    assert.equal(await approvals.isApproved(ws, '.devops/commands.json', contentSha256(`${text} `)), false, 'another content');
    assert.equal(await approvals.isApproved(ws, '.devops/policy.json', sha), false, 'another file');
    assert.equal(await approvals.isApproved(workspaceKeyFor('/home/ada/other'), '.devops/commands.json', sha), false, 'another workspace');
  });

  it('names the same file the same way however the path is written', async () => {
    const { approvals } = memoryApprovals();
    const sha = contentSha256(text);
    await approvals.approve(ws, './.devops\\commands.json', sha);
    assert.equal(await approvals.isApproved(ws, '.devops/commands.json', sha), true);
    assert.equal(await approvals.isApproved(workspaceKeyFor('/home/ada/repo/'), '.devops//commands.json', sha), true);
  });

  it('folds case of Windows workspace keys only on Windows', () => {
    assert.equal(workspaceKeyFor('C:\\Repo\\', 'win32'), workspaceKeyFor('c:\\repo', 'win32'));
    assert.notEqual(workspaceKeyFor('/Repo', 'linux'), workspaceKeyFor('/repo', 'linux'));
  });

  it('refuses paths that leave the workspace', () => {
    for (const bad of ['../x.json', '/etc/passwd', 'C:/x', '', '.', 'a/../../b']) assert.throws(() => normaliseRelativePath(bad), /not a path inside the workspace/, bad);
  });

  it('a new approval replaces the old one, and revoke removes it', async () => {
    const { approvals, records } = memoryApprovals();
    await approvals.approve(ws, '.devops/commands.json', contentSha256('a'));
    await approvals.approve(ws, '.devops/commands.json', contentSha256('b'));
    assert.equal(await approvals.isApproved(ws, '.devops/commands.json', contentSha256('a')), false);
    assert.equal(await approvals.isApproved(ws, '.devops/commands.json', contentSha256('b')), true);
    await approvals.revoke(ws, '.devops/commands.json');
    assert.equal(await approvals.get(ws, '.devops/commands.json'), undefined);
    assert.deepEqual(records(), {});
  });

  it('refuses to record something that is not a SHA-256', async () => {
    const { approvals } = memoryApprovals();
    await assert.rejects(approvals.approve(ws, '.devops/commands.json', 'yes'), /SHA-256/);
  });

  it('damaged records count as not approved and keep the valid ones', () => {
    const good = { sha256: contentSha256('x'), approvedAt: '2026-01-01T00:00:00.000Z' };
    assert.deepEqual(parseApprovalRecords({ a: good, b: { sha256: 'nope', approvedAt: 'x' }, c: 'approved' }), { a: good });
    for (const junk of [null, 'x', 3, [good]]) assert.deepEqual(parseApprovalRecords(junk), {});
  });
});

describe('using a repository file that can widen permissions', () => {
  const ws = workspaceKeyFor('/home/ada/repo');
  const path = '.devops/policy.json';

  it('absent: nothing to apply', () => {
    assert.deepEqual(decideRepositoryFile({ text: undefined, approval: undefined, parse, tightening }), { status: 'absent', value: undefined });
  });

  it('invalid: nothing applies, the reason is given', () => {
    const d = decideRepositoryFile({ text: '{', approval: undefined, parse, tightening });
    assert.equal(d.status, 'invalid');
    assert.equal(d.value, undefined);
    assert.equal(d.status === 'invalid' && d.reason, 'not JSON');
  });

  it('an unapproved file that loosens applies only what tightens, and asks for the whole', () => {
    const text = '{ "allow": ["deploy"], "deny": ["push"] }';
    const d = decideRepositoryFile({ text, approval: undefined, parse, tightening });
    assert.deepEqual(d, { status: 'needsApproval', sha256: contentSha256(text), full: { allow: ['deploy'], deny: ['push'] }, value: { allow: [], deny: ['push'] }, changedSinceApproval: false });
  });

  it('a file that only tightens applies without asking', () => {
    const text = '{ "deny": ["push"] }';
    assert.deepEqual(decideRepositoryFile({ text, approval: undefined, parse, tightening }), { status: 'tightensOnly', sha256: contentSha256(text), value: { allow: [], deny: ['push'] } });
  });

  it('an approved file applies whole; once changed it needs approval again and says so', async () => {
    const { approvals } = memoryApprovals();
    const first = '{ "allow": ["deploy"] }';
    assert.equal((await useRepositoryFile(approvals, ws, path, { text: first, parse, tightening })).status, 'needsApproval');
    await approvals.approve(ws, path, contentSha256(first));
    assert.deepEqual(await useRepositoryFile(approvals, ws, path, { text: first, parse, tightening }), { status: 'approved', sha256: contentSha256(first), value: { allow: ['deploy'], deny: [] } });
    const changed = '{ "allow": ["deploy", "rm -rf /"] }';
    const d = await useRepositoryFile(approvals, ws, path, { text: changed, parse, tightening });
    assert.equal(d.status, 'needsApproval');
    assert.equal(d.value, undefined);
    assert.equal(d.status === 'needsApproval' && d.changedSinceApproval, true);
  });

  it('an approval of another workspace does not carry over (a clone elsewhere asks again)', async () => {
    const { approvals } = memoryApprovals();
    const text = '{ "allow": ["deploy"] }';
    await approvals.approve(workspaceKeyFor('/home/ada/elsewhere'), path, contentSha256(text));
    assert.equal((await useRepositoryFile(approvals, ws, path, { text, parse, tightening })).status, 'needsApproval');
  });
});
