import assert from 'node:assert/strict';
import { parseHardenRequest, parseIacRequest, parseObservabilityRequest } from '../../../../src/agents/platform/parseRequest';
import { HardenInputSchema } from '../../../../src/agents/platform/hardenAction';
import { IacInputSchema } from '../../../../src/agents/platform/iacAction';

describe('@devops /iac, /observability, /harden sentences', () => {
  it('/iac: target, environments and region by keyword, defaults said when not given; the input validates', () => {
    const aks = parseIacRequest('terraform for AKS with staging and production environments in North Europe');
    assert.deepEqual(aks.input, { target: 'aks', environment: ['staging', 'prod'], location: 'northeurope' });
    assert.deepEqual(aks.understood, ['target: aks', 'environments: staging, prod', 'region: northeurope']);
    IacInputSchema.parse(aks.input);
    assert.deepEqual(parseIacRequest('an app service please').input, { target: 'app-service' });
    const none = parseIacRequest('');
    assert.deepEqual(none.input, {});
    assert.deepEqual(none.understood, ['target: container-apps (default)', 'environments: dev, prod (default)', 'region: westeurope (default)']);
  });

  it('/observability: configuration only when asked; /harden: fixes only when asked, never when told not to', () => {
    assert.deepEqual(parseObservabilityRequest('config only, do not touch the code').input, { configOnly: true });
    assert.deepEqual(parseObservabilityRequest('add metrics').input, {});
    assert.deepEqual(parseHardenRequest('review and fix what you can').input, { fix: true });
    assert.deepEqual(parseHardenRequest("review but don't fix anything").input, {});
    HardenInputSchema.parse(parseHardenRequest('fix').input);
  });
});
