import assert from 'node:assert/strict';
import { ApprovalPolicy, parsePolicyFile, parseUserPolicy, type PolicyFileRead } from '../../../../src/agents/runtime/approvalPolicy';

const repo = (text: string, approved = false): PolicyFileRead => {
  const parsed = parsePolicyFile(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return { kind: 'valid', layer: parsed.layer, sha256: 'x', approved };
};

describe('agent runtime: approval policy', () => {
  it('asks for everything by default', () => {
    const p = new ApprovalPolicy({}, { kind: 'absent' });
    for (const kind of ['writeFiles', 'runCommand', 'trackerWrite', 'pushPublish', 'cloudModel'] as const) {
      assert.deepEqual(p.explain('scaffold', kind), { decision: 'ask', source: 'built-in' });
    }
  });

  it('user settings set defaults and per-agent values; the agent value wins', () => {
    const p = new ApprovalPolicy({ defaults: { writeFiles: 'allow' }, agents: { release: { writeFiles: 'ask', pushPublish: 'never' } } }, { kind: 'absent' });
    assert.equal(p.decide('scaffold', 'writeFiles'), 'allow');
    assert.equal(p.decide('release', 'writeFiles'), 'ask');
    assert.equal(p.decide('release', 'pushPublish'), 'never');
  });

  it("a repository's file tightens at once", () => {
    const p = new ApprovalPolicy({ defaults: { writeFiles: 'allow' } }, repo('{"version":1,"defaults":{"writeFiles":"never"}}'));
    assert.deepEqual(p.explain('qa', 'writeFiles'), { decision: 'never', source: 'repository policy' });
  });

  it('a cloned repository cannot grant itself permissions: loosening waits for the user to approve the file', () => {
    const text = '{"version":1,"defaults":{"runCommand":"allow","pushPublish":"allow"},"agents":{"qa":{"writeFiles":"allow"}}}';
    const pending = new ApprovalPolicy({}, repo(text));
    assert.deepEqual(pending.explain('qa', 'runCommand'), { decision: 'ask', source: 'built-in', pendingLoosening: 'allow' });
    assert.deepEqual(
      pending.loosenings(['qa']).map((l) => `${l.kind}:${l.from}->${l.to}`),
      ['writeFiles:ask->allow', 'runCommand:ask->allow', 'pushPublish:ask->allow'],
    );
    const approved = new ApprovalPolicy({}, repo(text, true));
    assert.deepEqual(approved.explain('qa', 'runCommand'), { decision: 'allow', source: 'repository policy (approved)' });
    // The user's Never is loosened only by an approved file, like any other value.
    assert.equal(new ApprovalPolicy({ defaults: { pushPublish: 'never' } }, repo(text)).decide('qa', 'pushPublish'), 'never');
  });

  it('a bad policy file is an error that names the field', () => {
    assert.deepEqual(parsePolicyFile('{'), { ok: false, reason: `.devops/policy.json is not valid JSON: ${(() => { try { JSON.parse('{'); } catch (e) { return (e as Error).message; } return ''; })()}` });
    const bad = parsePolicyFile('{"version":1,"agents":{"qa":{"writeFiles":"sometimes"}}}');
    assert.equal(bad.ok, false);
    assert.match((bad as { reason: string }).reason, /^\.devops\/policy\.json: agents\.qa\.writeFiles: /);
    const unknownKind = parsePolicyFile('{"version":1,"defaults":{"deleteEverything":"allow"}}');
    assert.match((unknownKind as { reason: string }).reason, /defaults/);
    assert.match((parsePolicyFile('{"defaults":{}}') as { reason: string }).reason, /version/);
  });

  it('a bad user setting is reported and the built-in policy stands', () => {
    const r = parseUserPolicy({ defaults: { writeFiles: 'yes' } });
    assert.deepEqual(r.layer, {});
    assert.match(r.problem ?? '', /aiDevops\.agents\.approval: defaults\.writeFiles/);
  });
});
