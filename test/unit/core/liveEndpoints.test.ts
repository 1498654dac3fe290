import assert from 'node:assert/strict';
import { liveEndpoints } from '../../../src/core/liveEndpoints';
import { readSettings } from '../../../src/core/settings';

const settingsWith = (values: Record<string, unknown>) => readSettings((key) => values[key]).settings;

describe('liveEndpoints', () => {
  it('leaves out a service that is only half configured', () => {
    const endpoints = liveEndpoints(settingsWith({ 'azureDevOps.organizationUrl': 'https://dev.azure.com/contoso', 'github.owner': 'octo' }));
    assert.equal(endpoints.kind, 'live');
    assert.equal(endpoints.azureDevOps, undefined);
    assert.equal(endpoints.github, undefined);
  });

  it('builds both services, trimming the trailing slash and defaulting the team to the project team', () => {
    const endpoints = liveEndpoints(
      settingsWith({
        'azureDevOps.organizationUrl': 'https://dev.azure.com/contoso/',
        'azureDevOps.project': 'Fabrikam',
        'github.owner': 'octo',
        'github.repo': 'hello',
        'github.projectNumber': 3,
      }),
    );
    assert.deepEqual(endpoints.azureDevOps, { organizationUrl: 'https://dev.azure.com/contoso', project: 'Fabrikam', team: 'Fabrikam Team' });
    assert.deepEqual(endpoints.github, { baseUrl: 'https://api.github.com', owner: 'octo', repo: 'hello', projectNumber: 3 });
  });

  it('keeps a team the user named', () => {
    const endpoints = liveEndpoints(settingsWith({ 'azureDevOps.organizationUrl': 'https://dev.azure.com/c', 'azureDevOps.project': 'P', 'azureDevOps.team': 'Red' }));
    assert.equal(endpoints.azureDevOps?.team, 'Red');
  });
});
