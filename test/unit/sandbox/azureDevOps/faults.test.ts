import assert from 'node:assert/strict';
import * as azdev from 'azure-devops-node-api';
import { SANDBOX_CREDENTIALS, SANDBOX_PROJECT } from '../../../../src/sandbox/identity';
import { startHarness, type Harness } from './harness';

type HttpError = Error & { statusCode?: number; code?: string; rateLimit?: Record<string, number | string> };

describe('Azure DevOps stand-in: faults and authentication as the client sees them', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.stop());
  afterEach(() => h.server.faults.clear());

  const batch = async (api = h.api()) => (await api.getWorkItemTrackingApi()).getWorkItemsBatch({ ids: [1, 2] }, SANDBOX_PROJECT);

  it('throttles with 429, Retry-After and the X-RateLimit-* headers, which the client copies to rateLimit', async () => {
    const api = h.api();
    const wit = await api.getWorkItemTrackingApi();
    h.server.faults.add({ route: 'wit.workItemsBatch', kind: 'status', status: 429, retryAfterSeconds: 3, times: 1 });
    await assert.rejects(wit.getWorkItemsBatch({ ids: [1] }, SANDBOX_PROJECT), (e: HttpError) => {
      assert.equal(e.statusCode, 429);
      assert.match(e.message, /TF400733: The request has been canceled: Request was blocked due to exceeding usage of resource/);
      assert.equal(e.rateLimit?.retryAfter, 3);
      assert.equal(e.rateLimit?.resource, 'ATCPU');
      assert.equal(e.rateLimit?.delay, 3);
      assert.equal(e.rateLimit?.limit, 200);
      assert.equal(e.rateLimit?.remaining, 0);
      assert.ok(Number(e.rateLimit?.reset) > Date.now() / 1000);
      return true;
    });
    assert.equal((await wit.getWorkItemsBatch({ ids: [1] }, SANDBOX_PROJECT)).length, 1, 'the fault was used up');
  });

  it('answers 503 with the service error body, per route name or route group', async () => {
    h.server.faults.add({ route: 'wit.*', kind: 'status', status: 503, times: 1 });
    await assert.rejects(batch(), (e: HttpError) => e.statusCode === 503 && /Injected fault: 503/.test(e.message));
    assert.equal(h.server.requestsTo('wit.workItemsBatch').at(-1)?.fault, 'status');
  });

  it('drops the connection and cuts a body short: the client rejects', async () => {
    const api = h.api();
    await api.getWorkItemTrackingApi();
    h.server.faults.add({ route: 'wit.workItemsBatch', kind: 'drop', times: 1 });
    await assert.rejects(batch(api), (e: HttpError) => /socket hang up|ECONNRESET/i.test(`${e.message} ${e.code ?? ''}`));
    h.server.faults.add({ route: 'wit.workItemsBatch', kind: 'truncate', times: 1 });
    await assert.rejects(batch(api));
  });

  it('sends a garbled 200 body, which typed-rest-client reads as no result at all', async () => {
    const api = h.api();
    const wit = await api.getWorkItemTrackingApi();
    h.server.faults.add({ route: 'wit.workItems.get', kind: 'malformed', times: 1 });
    assert.equal(await wit.getWorkItem(1), null, 'callers must treat a null result as a bad response');
  });

  it('adds latency to one route', async () => {
    const wit = await h.api().getWorkItemTrackingApi();
    h.server.faults.add({ route: 'wit.workItems.get', kind: 'latency', latencyMs: 150, times: 1 });
    const started = performance.now();
    await wit.getWorkItem(1);
    assert.ok(performance.now() - started >= 140);
  });

  it('accepts the sandbox PAT and the bearer token, and the identity is the sandbox user', async () => {
    assert.equal((await h.api('bearer').connect()).authenticatedUser?.providerDisplayName, 'Sandbox User');
    assert.equal((await h.api('pat').connect()).authenticatedUser?.providerDisplayName, 'Sandbox User');
    assert.ok(!JSON.stringify(h.server.requests).includes(SANDBOX_CREDENTIALS.azureDevOpsPat), 'the request log keeps no credential');
  });

  it('refuses a bad PAT with 401 when the client suppresses the sign-in redirect (every node-api handler does)', async () => {
    await assert.rejects(h.api({ pat: 'not-the-sandbox-pat' }).connect(), (e: HttpError) => e.statusCode === 401);
    await assert.rejects(h.api({ pat: 'not-the-sandbox-pat' }).getCoreApi(), (e: HttpError) => e.statusCode === 401);
  });

  it('answers 203 with the HTML sign-in page without X-TFS-FedAuthRedirect: Suppress', async () => {
    const res = await fetch(`${h.orgUrl}/_apis/projects`, { headers: { authorization: `Basic ${Buffer.from(':wrong').toString('base64')}` } });
    assert.equal(res.status, 203);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /Sign in/);
    const basic = new azdev.WebApi(h.orgUrl, azdev.getBasicHandler('someone', 'wrong'));
    await assert.rejects(basic.connect(), (e: HttpError) => e.statusCode === 401, 'node-api handlers send Suppress, so they get the 401');
  });
});
