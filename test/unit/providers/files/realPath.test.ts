import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { guardPath } from '../../../../src/core/policy';
import { resolveRealPath } from '../../../../src/providers/files/realPath';

describe('path guard on a real file system', () => {
  let base: string;
  let root: string;
  let outside: string;

  before(async () => {
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-guard-'));
    root = path.join(base, 'project');
    outside = path.join(base, 'outside');
    await fs.mkdir(path.join(root, 'src'), { recursive: true });
    await fs.mkdir(outside);
    await fs.writeFile(path.join(root, 'src', 'a.ts'), 'x');
    await fs.writeFile(path.join(outside, 'secret.txt'), 's');
    await fs.symlink(outside, path.join(root, 'escape'), 'dir');
    await fs.symlink(path.join(root, 'src'), path.join(root, 'inner'), 'dir');
    await fs.symlink(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling.txt'), 'file');
    await fs.symlink(path.join(root, 'loop-b'), path.join(root, 'loop-a'));
    await fs.symlink(path.join(root, 'loop-a'), path.join(root, 'loop-b'));
    await fs.symlink(root, path.join(base, 'project-link'), 'dir');
  });

  after(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  it('allows files inside, through inner links, and new files', async () => {
    for (const p of ['src/a.ts', 'inner/a.ts', 'src/new/file.ts', 'new.txt']) assert.ok((await guardPath(root, p, resolveRealPath)).ok, p);
  });

  it('refuses a link to a folder outside, and anything beneath it', async () => {
    for (const p of ['escape', 'escape/secret.txt', 'escape/new/file.txt']) {
      const d = await guardPath(root, p, resolveRealPath);
      assert.ok(!d.ok && d.code === 'symlinkEscape', p);
    }
  });

  it('refuses a dangling link whose target would be created outside', async () => {
    const d = await guardPath(root, 'dangling.txt', resolveRealPath);
    assert.ok(!d.ok && d.code === 'symlinkEscape');
    assert.match(d.reason, /not-yet\.txt/);
  });

  it('refuses a loop of links', async () => {
    const d = await guardPath(root, 'loop-a/x', resolveRealPath);
    assert.ok(!d.ok && d.code === 'symlinkEscape');
  });

  it('works when the workspace is opened through a link', async () => {
    assert.ok((await guardPath(path.join(base, 'project-link'), 'src/a.ts', resolveRealPath)).ok);
    assert.ok(!(await guardPath(path.join(base, 'project-link'), 'escape/secret.txt', resolveRealPath)).ok);
  });

  it('resolves real paths and reports missing ones as undefined', async () => {
    assert.equal(await resolveRealPath(path.join(root, 'inner', 'a.ts')), await fs.realpath(path.join(root, 'src', 'a.ts')));
    assert.equal(await resolveRealPath(path.join(root, 'missing')), undefined);
  });
});
