import assert from 'node:assert/strict';
import { SandboxServer } from '../../../src/sandbox/http/server';
import { type ServiceMount } from '../../../src/sandbox/http/types';

const echo: ServiceMount = {
  name: 'echo',
  prefix: '/echo',
  errorBody: (status, message) => ({ error: { status, message } }),
  rateLimitHeaders: (s) => ({ 'x-ratelimit-delay': String(s) }),
  authenticate: (req) =>
    req.headers.authorization === 'Bearer good'
      ? { ok: true, principal: 'alice' }
      : { ok: false, response: { status: 401, body: { error: { message: 'Bad credentials' } } } },
  anonymousRoutes: ['echo.open'],
  routes: [
    { name: 'echo.open', method: 'GET', pattern: '/open', handler: () => ({ status: 200, body: { open: true } }) },
    {
      name: 'echo.item',
      method: 'POST',
      pattern: '/items/:id',
      handler: (req) => ({ status: 200, body: { id: req.params.id, who: req.principal, got: JSON.parse(req.body.toString()) } }),
    },
    {
      name: 'echo.stream',
      method: 'GET',
      pattern: '/stream',
      handler: () => ({
        status: 200,
        headers: { 'content-type': 'application/x-ndjson' },
        stream: (async function* () {
          for (let i = 0; i < 3; i++) yield JSON.stringify({ i }) + '\n';
        })(),
      }),
    },
  ],
};

describe('sandbox server', () => {
  const server = new SandboxServer();
  let base = '';
  const auth = { authorization: 'Bearer good' };
  before(async () => {
    server.mount(echo);
    await server.start();
    base = server.urlOf('echo');
  });
  after(() => server.stop());
  afterEach(() => server.faults.clear());

  it('routes with params, authenticates and logs without credentials', async () => {
    const res = await fetch(`${base}/items/42?api-version=7.1`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"a":1}' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: '42', who: 'alice', got: { a: 1 } });
    const [entry] = server.requestsTo('echo.item').slice(-1);
    assert.equal(entry?.apiVersion, '7.1');
    assert.deepEqual(entry?.body, { a: 1 });
    assert.ok(!JSON.stringify(server.requests).includes('Bearer good'));
  });

  it('refuses missing credentials but serves anonymous routes', async () => {
    assert.equal((await fetch(`${base}/items/1`, { method: 'POST' })).status, 401);
    assert.equal((await fetch(`${base}/open`)).status, 200);
  });

  it('answers 404 and 405 in the service error shape', async () => {
    const nf = await fetch(`${base}/nothing`, { headers: auth });
    assert.equal(nf.status, 404);
    assert.equal(((await nf.json()) as { error: { status: number } }).error.status, 404);
    const na = await fetch(`${base}/items/1`, { headers: auth });
    assert.equal(na.status, 405);
    assert.equal(na.headers.get('allow'), 'POST');
  });

  it('injects a 429 with Retry-After a set number of times', async () => {
    server.faults.add({ route: 'echo.open', kind: 'status', status: 429, retryAfterSeconds: 2, times: 1 });
    const first = await fetch(`${base}/open`);
    assert.equal(first.status, 429);
    assert.equal(first.headers.get('retry-after'), '2');
    assert.equal(first.headers.get('x-ratelimit-delay'), '2');
    assert.equal((await fetch(`${base}/open`)).status, 200);
  });

  it('drops, truncates and garbles bodies', async () => {
    server.faults.add({ route: 'echo.*', kind: 'drop', times: 1 });
    await assert.rejects(fetch(`${base}/open`));
    server.faults.add({ route: 'echo.open', kind: 'truncate', times: 1 });
    await assert.rejects(async () => (await fetch(`${base}/open`)).text());
    server.faults.add({ route: 'echo.open', kind: 'malformed', times: 1 });
    await assert.rejects(async () => (await fetch(`${base}/open`)).json(), SyntaxError);
  });

  it('streams, and stalls a stream after its first chunk', async () => {
    const ok = await (await fetch(`${base}/stream`, { headers: auth })).text();
    assert.equal(ok.trim().split('\n').length, 3);
    server.faults.add({ route: 'echo.stream', kind: 'stall', times: 1 });
    const res = await fetch(`${base}/stream`, { headers: auth, signal: AbortSignal.timeout(300) });
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert.match(new TextDecoder().decode(first.value), /"i":0/);
    await assert.rejects(reader.read(), /abort|timeout/i);
  });

  it('adds latency', async () => {
    server.faults.add({ route: 'echo.open', kind: 'latency', latencyMs: 120, times: 1 });
    const started = performance.now();
    await fetch(`${base}/open`);
    assert.ok(performance.now() - started >= 100);
  });
});
