import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BrowserMissingError, launchChromium } from '../../../scripts/vscode/browser';
import { installExtensionFolder } from '../../../scripts/vscode/extensionFolder';
import { copyDemoWorkspace, tempRun } from '../../../scripts/vscode/workspace';

describe('harness: browser, extension folder and workspace copy', () => {
  let run: ReturnType<typeof tempRun>;
  beforeEach(() => (run = tempRun('harness-unit')));
  afterEach(() => run.remove());

  it('says what to do when Chromium is missing', async () => {
    await assert.rejects(launchChromium({ executablePath: path.join(run.dir, 'chromium') }), (error: Error) => {
      assert.ok(error instanceof BrowserMissingError);
      assert.match(error.message, /Chromium is not installed at .*chromium\. Run `npm run test:integration` or `npm start` once .* or set AIDEVOPS_CHROMIUM/);
      return true;
    });
  });

  /** A built extension as the harness expects it: package.json, dist/extension.js, media/. */
  function fakeExtension(version: string): string {
    const root = path.join(run.dir, `ext-${version}`);
    mkdirSync(path.join(root, 'dist'), { recursive: true });
    mkdirSync(path.join(root, 'media'), { recursive: true });
    mkdirSync(path.join(root, 'src'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'ai-devops', publisher: 'ai-devops', version, main: './dist/extension.js' }));
    writeFileSync(path.join(root, 'dist', 'extension.js'), 'exports.activate = () => undefined;');
    writeFileSync(path.join(root, 'media', 'icon.svg'), '<svg/>');
    writeFileSync(path.join(root, 'src', 'extension.ts'), 'export {}');
    return root;
  }

  it('copies what ships into publisher.name-version/, replacing an older version', () => {
    const extensions = path.join(run.dir, 'extensions');
    installExtensionFolder(extensions, 'copy', fakeExtension('0.1.0'));
    const { id, folder } = installExtensionFolder(extensions, 'copy', fakeExtension('0.2.0'));
    assert.equal(id, 'ai-devops.ai-devops');
    assert.equal(path.basename(folder), 'ai-devops.ai-devops-0.2.0');
    assert.equal(existsSync(path.join(extensions, 'ai-devops.ai-devops-0.1.0')), false);
    assert.match(readFileSync(path.join(folder, 'dist', 'extension.js'), 'utf8'), /activate/);
    assert.equal(existsSync(path.join(folder, 'media', 'icon.svg')), true);
    assert.equal(existsSync(path.join(folder, 'src')), false, 'sources do not ship');
  });

  it('links the repository for npm start, so a rebuild shows after Reload Window', () => {
    const root = fakeExtension('0.1.0');
    const { folder } = installExtensionFolder(path.join(run.dir, 'extensions'), 'link', root);
    assert.ok(lstatSync(folder).isSymbolicLink());
    assert.equal(readlinkSync(folder), root);
  });

  it('refuses to install an extension that was not built', () => {
    const root = fakeExtension('0.1.0');
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'ai-devops', publisher: 'ai-devops', version: '0.1.0', main: './dist/missing.js' }));
    assert.throws(() => installExtensionFolder(path.join(run.dir, 'extensions'), 'copy', root), /not built \(dist\/missing\.js is missing\)\. Run `npm run build` first/);
  });

  it('copies the demo workspace without the sandbox state of earlier runs', () => {
    const source = path.join(run.dir, 'demo');
    mkdirSync(path.join(source, '.devops', 'sandbox'), { recursive: true });
    mkdirSync(path.join(source, 'src'), { recursive: true });
    writeFileSync(path.join(source, 'src', 'cart.ts'), '// TODO AB#4 discounts');
    writeFileSync(path.join(source, '.devops', 'README.md'), 'records');
    writeFileSync(path.join(source, '.devops', 'sandbox', 'state.json'), '{}');
    const copy = copyDemoWorkspace(path.join(run.dir, 'into'), source);
    assert.equal(readFileSync(path.join(copy, 'src', 'cart.ts'), 'utf8'), '// TODO AB#4 discounts');
    assert.equal(existsSync(path.join(copy, '.devops', 'README.md')), true);
    assert.equal(existsSync(path.join(copy, '.devops', 'sandbox')), false);
  });
});
