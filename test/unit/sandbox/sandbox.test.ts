import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as azdev from 'azure-devops-node-api';
import { Octokit } from '@octokit/rest';
import OpenAI from 'openai';
import { type Logger } from '../../../src/core/host';
import { SANDBOX_CREDENTIALS } from '../../../src/sandbox/identity';
import { Sandbox } from '../../../src/sandbox/sandbox';

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  const none = (): void => undefined;
  return { warnings, trace: none, debug: none, info: none, warn: (m: string) => void warnings.push(m), error: none };
}

const witApi = (sandbox: Sandbox) => {
  const { azureDevOps } = sandbox.endpoints();
  assert.ok(azureDevOps);
  return new azdev.WebApi(azureDevOps.organizationUrl, azdev.getPersonalAccessTokenHandler(sandbox.credentials.azureDevOpsPat)).getWorkItemTrackingApi();
};

describe('Sandbox: the stand-ins composed, with state kept between sessions', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ai-devops-sandbox-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('serves the demo project to the real Azure DevOps client at the endpoints it reports', async () => {
    const sandbox = await Sandbox.start({ stateDir: undefined, log: recordingLog() });
    try {
      const endpoints = sandbox.endpoints();
      assert.equal(endpoints.kind, 'sandbox');
      assert.equal(endpoints.azureDevOps?.project, 'Contoso Web');
      assert.match(endpoints.azureDevOps?.organizationUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+\/ado\/sandbox-org$/);
      const item = await (await witApi(sandbox)).getWorkItem(7);
      assert.equal(item.id, 7);
      assert.equal(typeof item.fields?.['System.Title'], 'string');
    } finally {
      await sandbox.stop();
    }
  });

  it('keeps a change across a restart, in a state directory kept out of git', async () => {
    const first = await Sandbox.start({ stateDir: dir, log: recordingLog() });
    await (await witApi(first)).updateWorkItem(null, [{ op: 'add', path: '/fields/System.Title', value: 'Renamed in the sandbox' }], 7);
    await first.stop();
    assert.match(await readFile(path.join(dir, '.gitignore'), 'utf8'), /^\*$/m);

    const second = await Sandbox.start({ stateDir: dir, log: recordingLog() });
    try {
      const item = await (await witApi(second)).getWorkItem(7);
      assert.equal(item.fields?.['System.Title'], 'Renamed in the sandbox');
    } finally {
      await second.stop();
    }
  });

  it('moves an unreadable state file aside, says so, and starts from the demo data', async () => {
    await writeFile(path.join(dir, 'azure-devops.json'), '{"version": 1, "truncated', 'utf8');
    const log = recordingLog();
    const sandbox = await Sandbox.start({ stateDir: dir, log });
    try {
      assert.equal((await (await witApi(sandbox)).getWorkItem(7)).id, 7);
      assert.ok((await readdir(dir)).includes('azure-devops.json.broken'));
      assert.match(log.warnings.join('\n'), /could not be read .*moved to azure-devops\.json\.broken/);
    } finally {
      await sandbox.stop();
    }
  });

  it('applies the fault settings while running and lifts them when cleared', async () => {
    const sandbox = await Sandbox.start({ stateDir: undefined, log: recordingLog(), faults: [{ route: '*', kind: 'status', status: 503 }] });
    try {
      await assert.rejects(async () => (await witApi(sandbox)).getWorkItem(7), /503|unavailable/i);
      assert.ok(sandbox.server.requests.some((r) => r.status === 503));
      sandbox.configure({ latencyMs: 0, faults: [] });
      assert.equal((await (await witApi(sandbox)).getWorkItem(7)).id, 7);
    } finally {
      await sandbox.stop();
    }
  });

  it('answers the OpenAI client at the model URLs it reports', async () => {
    const sandbox = await Sandbox.start({ stateDir: undefined, log: recordingLog() });
    try {
      const client = new OpenAI({ baseURL: sandbox.endpoints().models?.openaiBaseUrl, apiKey: sandbox.credentials.openaiKey });
      const reply = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hello sandbox' }] });
      assert.ok((reply.choices[0]?.message.content ?? '').length > 0);
    } finally {
      await sandbox.stop();
    }
  });

  it('serves the demo GitHub repository and Project to octokit, and keeps an issue edit across a restart', async () => {
    const first = await Sandbox.start({ stateDir: dir, log: recordingLog() });
    const octokitFor = (sandbox: Sandbox) => new Octokit({ baseUrl: sandbox.endpoints().github?.baseUrl, auth: sandbox.credentials.githubToken });
    const { owner, repo, projectNumber } = first.endpoints().github ?? assert.fail('no GitHub endpoint');
    const issues = await octokitFor(first).rest.issues.listForRepo({ owner, repo, state: 'open' });
    assert.ok(issues.data.length > 0);
    const issue = issues.data[0] ?? assert.fail('no issue');
    await octokitFor(first).rest.issues.update({ owner, repo, issue_number: issue.number, title: 'Edited in the sandbox' });
    const project = await octokitFor(first).graphql<{ organization: { projectV2: { title: string } } }>(
      'query($owner: String!, $number: Int!) { organization(login: $owner) { projectV2(number: $number) { title } } }',
      { owner, number: projectNumber },
    );
    assert.ok(project.organization.projectV2.title.length > 0);
    await first.stop();

    const second = await Sandbox.start({ stateDir: dir, log: recordingLog() });
    try {
      const again = await octokitFor(second).rest.issues.get({ owner, repo, issue_number: issue.number });
      assert.equal(again.data.title, 'Edited in the sandbox');
    } finally {
      await second.stop();
    }
  });

  describe('reachable from this machine only, with credentials of its own (issue 10, item 6)', () => {
    const send = (url: string, host: string, authorization?: string): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const u = new URL(url);
        const req = http.request({ hostname: u.hostname, port: u.port, path: u.pathname + u.search, method: 'GET', headers: { host, ...(authorization ? { authorization } : {}) } }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });

    it('answers only requests addressed to 127.0.0.1:<port> or localhost:<port> (DNS rebinding gets 421)', async () => {
      const sandbox = await Sandbox.start({ stateDir: undefined, log: recordingLog() });
      try {
        const { github } = sandbox.endpoints();
        const url = `${github!.baseUrl}/user`;
        const port = new URL(url).port;
        const auth = `Bearer ${sandbox.credentials.githubToken}`;
        for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) assert.equal((await send(url, host, auth)).status, 200, host);
        for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${Number(port) + 1}`, `127.0.0.1.nip.io:${port}`, `localhost.evil.example:${port}`]) {
          const r = await send(url, host, auth);
          assert.equal(r.status, 421, `Host: "${host}"`);
          assert.match(r.body, /answers only requests to 127\.0\.0\.1:\d+ or localhost:\d+/);
        }
      } finally {
        await sandbox.stop();
      }
    });

    it('makes random credentials per session; the fixed ones (and another session\'s) are refused', async () => {
      const a = await Sandbox.start({ stateDir: undefined, log: recordingLog() });
      const b = await Sandbox.start({ stateDir: undefined, log: recordingLog() });
      try {
        assert.notDeepEqual(a.credentials, b.credentials);
        for (const value of Object.values(a.credentials)) assert.ok(!Object.values(SANDBOX_CREDENTIALS).includes(value));
        const url = `${a.endpoints().github!.baseUrl}/user`;
        const host = new URL(url).host;
        assert.equal((await send(url, host, `Bearer ${a.credentials.githubToken}`)).status, 200);
        assert.equal((await send(url, host, `Bearer ${SANDBOX_CREDENTIALS.githubToken}`)).status, 401);
        assert.equal((await send(url, host, `Bearer ${b.credentials.githubToken}`)).status, 401);
        await assert.rejects(witApi(b).then(async () => (await new azdev.WebApi(a.endpoints().azureDevOps!.organizationUrl, azdev.getPersonalAccessTokenHandler(SANDBOX_CREDENTIALS.azureDevOpsPat)).getWorkItemTrackingApi()).getWorkItem(1)), /401/);
      } finally {
        await a.stop();
        await b.stop();
      }
    });
  });

  it('listens on the port it had last time, so its URLs (and the boards\' caches kept per URL) stay the same', async () => {
    const first = await Sandbox.start({ stateDir: dir, log: recordingLog() });
    const url = first.url;
    await first.stop();
    const second = await Sandbox.start({ stateDir: dir, log: recordingLog() });
    try {
      assert.equal(second.url, url);
      // The port is taken now: the next one starts elsewhere and remembers that.
      const log = recordingLog();
      const third = await Sandbox.start({ stateDir: dir, log });
      try {
        assert.notEqual(third.url, url);
        assert.equal(JSON.parse(await readFile(path.join(dir, 'port.json'), 'utf8')).port, Number(new URL(third.url).port));
      } finally {
        await third.stop();
      }
    } finally {
      await second.stop();
    }
  });

  it('ignores a remembered port that is not one (a repository may ship the file)', async () => {
    for (const text of ['{"port":80}', '{"port":"8080"}', 'not json', '{"port":70000}']) {
      await writeFile(path.join(dir, 'port.json'), text);
      const sandbox = await Sandbox.start({ stateDir: dir, log: recordingLog() });
      try {
        assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.ok(Number(new URL(sandbox.url).port) >= 1024);
      } finally {
        await sandbox.stop();
      }
    }
  });
});
