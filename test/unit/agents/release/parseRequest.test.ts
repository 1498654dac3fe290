import assert from 'node:assert/strict';
import { parseReleaseRequest } from '../../../../src/agents/release/parseRequest';

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
