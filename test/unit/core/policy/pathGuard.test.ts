import assert from 'node:assert/strict';
import { checkPathLexically, guardPath, type PathRefusal, type RealPathResolver } from '../../../../src/core/policy';

const root = '/work/project';

describe('path guard (lexical)', () => {
  const refusals: [string, PathRefusal, RegExp][] = [
    ['', 'empty', /empty/],
    ['src/a\0.ts', 'nulByte', /NUL byte/],
    ['../secrets.txt', 'outsideWorkspace', /outside the workspace .*"\.\." may not climb out/],
    ['src/../../other/x', 'outsideWorkspace', /outside the workspace/],
    ['/etc/passwd', 'outsideWorkspace', /resolves to \/etc\/passwd, outside the workspace \/work\/project/],
    ['/work/project-other/a', 'outsideWorkspace', /outside/],
    ['C:\\Windows\\system32', 'windowsDrive', /Windows drive path/],
    ['C:secrets', 'windowsDrive', /current directory of drive C:/],
    ['\\\\server\\share\\x', 'uncPath', /network \(UNC\) path/],
    ['//server/share/x', 'uncPath', /UNC/],
    ['\\\\?\\C:\\x', 'devicePath', /device path/],
    ['\\\\.\\pipe\\x', 'devicePath', /device path/],
    ['src\\..\\..\\x', 'backslash', /backslash/],
    ['~/.ssh/id_rsa', 'homeOrVariable', /never expanded/],
    ['$HOME/.npmrc', 'homeOrVariable', /variable/],
    ['${HOME}/x', 'homeOrVariable', /variable/],
    ['%APPDATA%\\x', 'homeOrVariable', /variable/],
  ];
  for (const [requested, code, reason] of refusals) {
    it(`refuses ${JSON.stringify(requested)} (${code})`, () => {
      const d = checkPathLexically(root, requested, { platform: 'posix' });
      assert.ok(!d.ok, 'expected a refusal');
      assert.equal(d.code, code);
      assert.match(d.reason, reason);
    });
  }

  it('allows relative paths, harmless .. and absolute paths inside', () => {
    assert.deepEqual(checkPathLexically(root, 'src/a.ts', { platform: 'posix' }), { ok: true, absolute: '/work/project/src/a.ts', relative: 'src/a.ts' });
    assert.deepEqual(checkPathLexically(root, 'src/../lib/b.ts', { platform: 'posix' }), { ok: true, absolute: '/work/project/lib/b.ts', relative: 'lib/b.ts' });
    assert.deepEqual(checkPathLexically(root, '/work/project/README.md', { platform: 'posix' }), { ok: true, absolute: '/work/project/README.md', relative: 'README.md' });
    assert.ok(checkPathLexically(root, '.', { platform: 'posix' }).ok);
  });

  it('refuses without a workspace', () => {
    const d = checkPathLexically(undefined, 'a.ts');
    assert.ok(!d.ok && d.code === 'noWorkspace' && /Open a folder/.test(d.reason));
  });

  it('refuses writes to .git and the audit trail, but allows reading them', () => {
    for (const p of ['.git/config', 'sub/.GIT/hooks/pre-commit', '.devops/audit/audit-2025-01-01.jsonl']) {
      const d = checkPathLexically(root, p, { platform: 'posix', forWrite: true });
      assert.ok(!d.ok && d.code === 'protected', p);
      assert.ok(checkPathLexically(root, p, { platform: 'posix' }).ok);
    }
    assert.ok(checkPathLexically(root, '.devops/plan.md', { platform: 'posix', forWrite: true }).ok);
    assert.ok(checkPathLexically(root, '.github/workflows/ci.yml', { platform: 'posix', forWrite: true }).ok);
  });

  it('handles Windows paths on Windows, case-insensitively', () => {
    const win = 'C:\\work\\project';
    assert.deepEqual(checkPathLexically(win, 'src\\a.ts', { platform: 'win32' }), { ok: true, absolute: 'C:\\work\\project\\src\\a.ts', relative: 'src/a.ts' });
    assert.ok(checkPathLexically(win, 'c:\\WORK\\Project\\x.ts', { platform: 'win32' }).ok);
    const other = checkPathLexically(win, 'D:\\work\\project\\x.ts', { platform: 'win32' });
    assert.ok(!other.ok && other.code === 'outsideWorkspace');
    const up = checkPathLexically(win, '..\\x', { platform: 'win32' });
    assert.ok(!up.ok && up.code === 'outsideWorkspace');
    const unc = checkPathLexically(win, '\\\\host\\c$\\x', { platform: 'win32' });
    assert.ok(!unc.ok && unc.code === 'uncPath');
  });

  it('reads names as Windows does: trailing dots and spaces, 8.3 short names, streams, devices (issue 10, item 5)', () => {
    const win = 'C:\\work\\project';
    const w = { platform: 'win32' as const, forWrite: true };
    // Windows drops trailing dots and spaces, so these are .git and .devops\audit: protected.
    for (const p of ['.git.\\hooks\\pre-commit', '.git \\hooks\\pre-commit', '.git. .\\config', 'src\\..\\.GIT.\\hooks\\x', '.devops.\\audit\\audit-2026-01-01.jsonl', '.devops\\audit..\\x.jsonl']) {
      const d = checkPathLexically(win, p, w);
      assert.ok(!d.ok && d.code === 'protected', `${p}: ${d.ok ? 'allowed' : d.code}`);
    }
    for (const [p, reason] of [
      ['GIT~1\\hooks\\pre-commit', /8\.3 short name/],
      ['DEVOPS~1\\audit\\x.jsonl', /8\.3 short name/],
      ['.git:Zone.Identifier\\hooks\\pre-commit', /alternate data stream/],
      ['src\\a.ts:hidden', /alternate data stream/],
      ['NUL', /device "NUL"/],
      ['src\\com1.txt', /device "com1.txt"/],
      ['...\\x', /dots and spaces/],
    ] as const) {
      const d = checkPathLexically(win, p, w);
      assert.ok(!d.ok && d.code === 'windowsName' && reason.test(d.reason), `${p}: ${d.ok ? 'allowed' : d.reason}`);
    }
    // The normalised path is what comes back, and ordinary names stay as they are.
    assert.deepEqual(checkPathLexically(win, 'src.\\a.ts ', w), { ok: true, absolute: 'C:\\work\\project\\src\\a.ts', relative: 'src/a.ts' });
    assert.ok(checkPathLexically(win, 'docs\\v1.2\\notes.md', w).ok);
    // Off Windows these are ordinary names.
    assert.ok(checkPathLexically(root, '.git./hooks', { platform: 'posix', forWrite: true }).ok);
  });
});

describe('path guard (symlinks, through a resolver)', () => {
  /** A fake file system: real paths of existing entries; links map to their targets. */
  const fs: Record<string, string> = {
    '/work/project': '/work/project',
    '/work/project/src': '/work/project/src',
    '/work/project/src/a.ts': '/work/project/src/a.ts',
    '/work/project/escape': '/etc',
    '/work/project/inner': '/work/project/src',
    '/link-to-project': '/work/project',
  };
  const realpath: RealPathResolver = async (p) => fs[p];

  it('allows a file inside, an inner link and a new file in an existing folder', async () => {
    assert.ok((await guardPath(root, 'src/a.ts', realpath, { platform: 'posix' })).ok);
    assert.ok((await guardPath(root, 'inner/a.ts', realpath, { platform: 'posix' })).ok);
    assert.ok((await guardPath(root, 'src/new/deeper/b.ts', realpath, { platform: 'posix' })).ok);
  });

  it('refuses a link that leads out, and new files beneath it', async () => {
    for (const p of ['escape', 'escape/passwd', 'escape/new/file']) {
      const d = await guardPath(root, p, realpath, { platform: 'posix' });
      assert.ok(!d.ok && d.code === 'symlinkEscape' && /symbolic link to \/etc/.test(d.reason), p);
    }
  });

  it('compares against the real workspace when the workspace itself is a link', async () => {
    assert.ok((await guardPath('/link-to-project', 'src/a.ts', realpath, { platform: 'posix' })).ok);
  });

  it('refuses when the workspace folder is gone, or a link cannot be resolved', async () => {
    const gone = await guardPath('/nowhere', 'a.ts', realpath, { platform: 'posix' });
    assert.ok(!gone.ok && gone.code === 'noWorkspace');
    const loop = await guardPath(root, 'src/a.ts', async (p) => {
      if (p === root) return root;
      throw new Error('loop of symbolic links');
    }, { platform: 'posix' });
    assert.ok(!loop.ok && loop.code === 'symlinkEscape' && /cannot be resolved safely/.test(loop.reason));
  });
});
