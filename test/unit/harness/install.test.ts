import assert from 'node:assert/strict';
import { aptInstalled, ensureAptPackages } from '../../../scripts/vscode/aptPackages';
import { checkCodeServer, readInstallMarker } from '../../../scripts/vscode/codeServerInstall';
import { CODE_SERVER_VERSION } from '../../../scripts/vscode/config';
import { nodeEnv } from '../../../scripts/vscode/nodeRuntime';
import { fakeInstall, type FakeInstall } from './fakeInstall';

describe('harness: install checks', () => {
  let install: FakeInstall;
  beforeEach(() => (install = fakeInstall()));
  afterEach(() => install.remove());

  it('treats a cache without the completion marker as not installed', () => {
    install.writeEntry(`console.log('${CODE_SERVER_VERSION} abc with Code 1.139.1')`);
    assert.match(checkCodeServer() ?? '', /^not installed/);
  });

  it('treats an edited or foreign marker as not installed', () => {
    install.writeEntry(`console.log('${CODE_SERVER_VERSION} abc with Code 1.139.1')`);
    install.writeMarker('{"codeServer": "4.105.1"');
    assert.equal(readInstallMarker(), undefined);
    install.writeMarker(JSON.stringify({ codeServer: '4.105.1', node: '22.0.0', installedAt: 'x', seconds: 1 }));
    assert.equal(readInstallMarker(), undefined);
    assert.match(checkCodeServer() ?? '', /^not installed/);
  });

  it('finds a broken install: the marker is there but code-server does not run', () => {
    install.writeMarker();
    install.writeEntry(`console.error("Error: Cannot find module './vscode/out/server-main.js'"); process.exit(1);`);
    assert.match(checkCodeServer() ?? '', /code-server --version failed \(.*Cannot find module/);
  });

  it('accepts an install that reports the expected version', () => {
    install.writeMarker();
    install.writeEntry(`console.log('[info] Wrote default config file'); console.log('${CODE_SERVER_VERSION} 53c2f32 with Code 1.139.1');`);
    assert.equal(checkCodeServer(), undefined);
  });

  it('runs npm and code-server on the cached Node, without the calling npm settings', () => {
    const env = nodeEnv({ PATH: '/usr/bin', npm_config_user_agent: 'npm/11 node/v20.20.2', npm_execpath: '/usr/lib/npm', NPM_CONFIG_NODEDIR: '/usr', HOME: '/root' });
    assert.equal(env.PATH, `${install.paths.nodeBin}:/usr/bin`);
    assert.equal(env.npm_config_nodedir, install.paths.node);
    assert.equal(env.npm_config_user_agent, undefined);
    assert.equal(env.npm_execpath, undefined);
    assert.equal(env.NPM_CONFIG_NODEDIR, undefined);
    assert.equal(env.HOME, '/root');
  });
});

describe('harness: Debian packages', () => {
  it('knows an installed package from a missing one', () => {
    assert.equal(aptInstalled('dpkg'), true);
    assert.equal(aptInstalled('aidevops-no-such-package'), false);
  });

  it('runs nothing when every package is already installed', async () => {
    const said: string[] = [];
    await ensureAptPackages(['dpkg', 'coreutils'], '/nonexistent/log', (l) => said.push(l));
    assert.deepEqual(said, []);
  });
});
