import assert from 'node:assert/strict';
import { parseReleaseChat, parseReleaseRequest } from '../../../../src/agents/release/parseRequest';

const inputOf = (prompt: string): unknown => {
  const parsed = parseReleaseRequest(prompt);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  return parsed.input;
};

describe('@devops /release: sentences to the release input (keywords)', () => {
  it('an empty request is the recommended version, published where connected, no deployment', () => {
    const parsed = parseReleaseRequest('');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.input, {});
    assert.deepEqual(parsed.understood, ['the version the commits recommend', 'notes: published where the project is connected', 'no deployment']);
  });

  it('reads the kind of version, a pre-release, stable, a package, a prefix, where the notes go and the deployment', () => {
    assert.deepEqual(inputOf('release as minor'), { releaseAs: 'minor' });
    assert.deepEqual(inputOf('a major release please'), { releaseAs: 'major' });
    assert.deepEqual(inputOf('release as 2.0.0'), { releaseAs: '2.0.0' });
    assert.deepEqual(inputOf('cut an rc'), { preid: 'rc' });
    assert.deepEqual(inputOf('make a pre-release'), { preid: 'rc' });
    assert.deepEqual(inputOf('beta for testers'), { preid: 'beta' });
    assert.deepEqual(inputOf('the stable version'), { stable: true });
    assert.deepEqual(inputOf('package packages/web with prefix web@'), { package: 'packages/web', tagPrefix: 'web@' });
    assert.deepEqual(inputOf('and deploy with deploy.yml'), { deploy: 'deploy.yml' });
    assert.deepEqual(inputOf('deploy it using contoso-web-deploy, notes on the wiki'), { deploy: 'contoso-web-deploy', publish: 'wiki' });
    assert.deepEqual(inputOf('without publishing'), { publish: 'none' });
    const parsed = parseReleaseRequest('as minor and deploy with deploy.yml');
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.understood, ['version: minor (instead of the recommendation)', 'notes: published where the project is connected', 'then deploy with deploy.yml']);
  });

  it('what the release input refuses is refused here, with the field named (a package outside the workspace)', () => {
    const parsed = parseReleaseRequest('package ../../etc');
    assert.equal(parsed.ok, false);
    assert.match(parsed.ok ? '' : parsed.message, /^I could not use that: package: a folder inside the workspace\. Try for example/);
  });

  it('a sentence cannot smuggle an option or a command into the deployment name', () => {
    assert.deepEqual(inputOf('deploy with deploy.yml; rm -rf /'), { deploy: 'deploy.yml' });
    const option = parseReleaseRequest('deploy with --upload-pack');
    assert.equal(option.ok, false);
    assert.match(option.ok ? '' : option.message, /deploy: a workflow file \(deploy\.yml\) or a pipeline name or id/);
  });
});

describe('@devops /release approvals and rollback: sentences to those actions (keywords)', () => {
  it('lists the pending approvals; approves or rejects one by id with a comment; a rejection must say why', () => {
    for (const p of ['approvals', 'pending approvals', 'show the pending deployment approvals', 'what waits for approval?']) {
      const parsed = parseReleaseChat(p);
      assert.ok(parsed.ok && parsed.action === 'approvals', p);
      assert.deepEqual(parsed.input, {});
    }
    assert.deepEqual(parseReleaseChat('approve 3f2a9c1e smoke tests green'), { ok: true, action: 'approvals', input: { approve: '3f2a9c1e', comment: 'smoke tests green' }, understood: ['approve 3f2a9c1e', 'comment: smoke tests green'] });
    const reject = parseReleaseChat('reject gh-41-7 because the canary failed');
    assert.ok(reject.ok);
    assert.deepEqual(reject.input, { reject: 'gh-41-7', comment: 'the canary failed' });
    const bare = parseReleaseChat('reject gh-41-7');
    assert.ok(!bare.ok && /Say why/.test(bare.message));
    const bad = parseReleaseChat('approve $(rm -rf ~)');
    assert.ok(!bad.ok && /is not an approval id/.test(bad.message));
  });

  it('rollback: from, to, by revert, the pipeline, the environment and the reason; without a reason or a way it asks', () => {
    assert.deepEqual(parseReleaseChat('rollback with deploy.yml in production because checkout fails').ok && parseReleaseChat('rollback with deploy.yml in production because checkout fails'), {
      ok: true,
      action: 'rollback',
      input: { reason: 'checkout fails', deploy: 'deploy.yml', environment: 'production' },
      understood: ['roll back the latest release to the release before it', 'by deploying the earlier release again with deploy.yml', 'in production', 'reason: checkout fails'],
    });
    const revert = parseReleaseChat('roll back from v1.2.0 to v1.1.0 by revert because the cart loses items');
    assert.ok(revert.ok);
    assert.deepEqual(revert.input, { reason: 'the cart loses items', from: 'v1.2.0', to: 'v1.1.0', method: 'revert' });
    const noReason = parseReleaseChat('rollback with deploy.yml');
    assert.ok(!noReason.ok && /Say why/.test(noReason.message));
    const noWay = parseReleaseChat('rollback because broken');
    assert.ok(!noWay.ok && /name it/.test(noWay.message));
    const release = parseReleaseChat('as minor');
    assert.ok(release.ok && release.action === undefined);
    assert.deepEqual(release.input, { releaseAs: 'minor' });
  });
});
