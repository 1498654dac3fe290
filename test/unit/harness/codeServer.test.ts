import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { CodeServerStartError, startCodeServer } from '../../../scripts/vscode/codeServer';
import { freePort } from '../../../scripts/vscode/ports';
import { groupMembers, stopAll } from '../../../scripts/vscode/processGroup';
import { tempRun } from '../../../scripts/vscode/workspace';
import { fakeInstall, running, type FakeInstall } from './fakeInstall';

/** Lines every fake entry starts with: where its state dir is (beside --config). */
const PRELUDE = `
const fs = require('node:fs');
const path = require('node:path');
const arg = (name) => process.argv[process.argv.indexOf(name) + 1];
const state = path.dirname(arg('--config'));
`;

/** A stand-in code-server that answers /healthz on --bind-addr and records how it was started. */
const SERVES = `${PRELUDE}
fs.writeFileSync(path.join(state, 'started.json'), JSON.stringify({ argv: process.argv.slice(2), env: process.env }));
const [host, port] = arg('--bind-addr').split(':');
require('node:http').createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'application/json' });
  res.end('{"status":"alive"}');
}).listen(Number(port), host);
require('node:child_process').spawn('sleep', ['30'], { stdio: 'ignore' }); // like an extension host
`;

describe('harness: starting code-server', () => {
  let install: FakeInstall;
  let run: ReturnType<typeof tempRun>;
  beforeEach(() => {
    install = fakeInstall();
    run = tempRun('cs-test');
  });
  afterEach(async () => {
    await stopAll(500);
    run.remove();
    install.remove();
  });
  const stateDir = () => path.join(run.dir, 'state');

  it('starts on 127.0.0.1 with its own config, state and quiet settings, and answers /healthz', async () => {
    install.writeEntry(SERVES);
    process.env.npm_config_user_agent = 'npm/11 node/v20.20.2 linux x64';
    const server = await startCodeServer({ stateDir: stateDir(), userSettings: { 'editor.fontSize': 15 }, env: { AIDEVOPS_TEST_MARKER: 'm' } }).finally(() => delete process.env.npm_config_user_agent);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.equal((await fetch(new URL('healthz', server.url))).status, 200);

    const started = JSON.parse(readFileSync(path.join(stateDir(), 'started.json'), 'utf8')) as { argv: string[]; env: Record<string, string> };
    for (const flag of ['--auth', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', '--extensions-dir']) {
      assert.ok(started.argv.includes(flag), `${flag} passed`);
    }
    assert.ok(started.argv.includes(`127.0.0.1:${server.port}`));
    assert.match(readFileSync(path.join(stateDir(), 'config.yaml'), 'utf8'), /^auth: none$/m);
    const settings = JSON.parse(readFileSync(path.join(server.userDataDir, 'User', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(settings['workbench.startupEditor'], 'none');
    assert.equal(settings['editor.fontSize'], 15);
    // Its state stays in the run's dir, it runs on the cached Node, and the parent npm's settings do not leak in.
    assert.ok(started.env.XDG_DATA_HOME?.startsWith(stateDir()));
    assert.ok(started.env.PATH?.startsWith(install.paths.nodeBin));
    assert.equal(started.env.npm_config_nodedir, install.paths.node);
    assert.equal(started.env.npm_config_user_agent, undefined);
    assert.equal(started.env.AIDEVOPS_TEST_MARKER, 'm');

    assert.ok(server.memory().processes >= 2);
    await server.stop();
    assert.deepEqual(groupMembers(server.pid), [], 'the server and the process it forked are gone');
  });

  it('fails clearly when the port is taken, and starts nothing', async () => {
    install.writeEntry(SERVES);
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      await assert.rejects(startCodeServer({ stateDir: stateDir(), port }), (error: Error) => {
        assert.ok(error instanceof CodeServerStartError);
        assert.equal(error.message, `Port ${port} on 127.0.0.1 is already in use (another code-server or \`npm start\`?). Stop that process or choose another port (\`npm start -- --port N\`).`);
        return true;
      });
      assert.equal(existsSync(path.join(stateDir(), 'started.json')), false, 'code-server was never started');
    } finally {
      blocker.close();
    }
  });

  it('reports an install that does not start (its last lines and log) and leaves no process behind', async () => {
    install.writeEntry(`${PRELUDE}
const child = require('node:child_process').spawn('sleep', ['30'], { stdio: 'ignore' });
fs.writeFileSync(path.join(state, 'child.pid'), String(child.pid));
console.error('Error: kerberos.node was compiled against a different Node.js version');
process.exit(1);
`);
    await assert.rejects(startCodeServer({ stateDir: stateDir() }), (error: Error) => {
      assert.ok(error instanceof CodeServerStartError);
      assert.match(error.message, /code-server exited \(1\) before it answered/);
      assert.match(error.message, /kerberos\.node was compiled against a different Node\.js version/);
      assert.match(error.message, /Full log: .*code-server\.log/);
      return true;
    });
    const orphan = Number(readFileSync(path.join(stateDir(), 'child.pid'), 'utf8'));
    assert.equal(running(orphan), false, 'the process it forked before dying was stopped too');
  });

  it('gives up on a server that never answers, and stops it', async () => {
    install.writeEntry(`${PRELUDE}
fs.writeFileSync(path.join(state, 'self.pid'), String(process.pid));
console.log('starting slowly');
setInterval(() => undefined, 1000);
`);
    await assert.rejects(startCodeServer({ stateDir: stateDir(), startTimeoutMs: 1500 }), /did not answer on http:\/\/127\.0\.0\.1:\d+\/healthz within 2 s[\s\S]*starting slowly/);
    assert.equal(running(Number(readFileSync(path.join(stateDir(), 'self.pid'), 'utf8'))), false);
  });

  it('says how to install when code-server is missing', async () => {
    await assert.rejects(startCodeServer({ stateDir: stateDir() }), /code-server is not installed at .*Run `npm start` or `npm run test:integration`/);
  });
});
