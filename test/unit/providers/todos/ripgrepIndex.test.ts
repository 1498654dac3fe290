import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { locateRipgrep } from '../../../../src/providers/todos/locateRipgrep';
import { ripgrepArguments, ripgrepExcludeGlob, RipgrepUnavailableError, searchFilesWithTags } from '../../../../src/providers/todos/ripgrepSearch';
import { TodoIndex } from '../../../../src/providers/todos/todoIndex';
import { FakeLogger } from '../../fakes/fakeLogger';
import { fileTree } from './fileTree';

/** The ripgrep VS Code ships (the same package, from the npm registry, with every platform's binary). */
const ripgrep = path.join(path.dirname(require.resolve('@vscode/ripgrep-universal')), '..', 'bin', `${process.platform}-${process.arch}`, process.platform === 'win32' ? 'rg.exe' : 'rg');

const parser = { tags: ['TODO', 'FIXME'], defaultTracker: 'azureBoards' as const, referencePatterns: [] };


const listing = (index: TodoIndex): string[] => [...index.todos()].map((t) => `${t.relativePath}:${t.todo.line}:${t.todo.title}`).sort();

/** A stand-in for ripgrep that behaves badly in one way; a shell script, so POSIX only. */
function fakeRipgrep(dir: string, body: string): string {
  const file = path.join(dir, 'fake-rg');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const posixOnly = process.platform === 'win32' ? it.skip : it;

describe('TODO index with ripgrep', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const files = {
    '.gitignore': 'dist/\n*.log.ts\n!keep.log.ts\n',
    'src/a.ts': 'const s = "// TODO not a comment";\n// TODO AB#1 real\n',
    'src/b.py': '# FIXME python\n',
    'src/plain.ts': 'export const noTagHere = 1;\n',
    'src/notes.txt': '// TODO unknown language is skipped\n',
    'dist/out.js': '// TODO ignored by the root .gitignore\n',
    'src/x.log.ts': '// TODO ignored by a glob in .gitignore\n',
    'src/keep.log.ts': '// TODO re-included by a negation\n',
    'src/gen/.gitignore': '*.ts\n!keep.ts\n',
    'src/gen/x.ts': '// TODO ignored by a nested .gitignore\n',
    'src/gen/keep.ts': '// TODO re-included by the nested .gitignore\n',
    'node_modules/lib/index.js': '// TODO excluded by files.exclude\n',
    'top.ts': '// TODO excluded by a root-only files.exclude glob\n',
    'src/top.ts': '// TODO the same name deeper is not excluded\n',
    'out/deep/x.ts': '// TODO excluded by out/**\n',
    '.hidden/h.ts': '// TODO hidden folders are indexed\n',
    '.ignore': 'src/b.py\n',
    'src/big.ts': `// TODO too large\n${'x'.repeat(3000)}`,
    'src/blob.ts': Buffer.concat([Buffer.from('// TODO binary\n'), Buffer.from([0, 1, 2, 3])]),
    'src/latin1.ts': Buffer.from('// TODO caf\xe9 in latin1\n', 'latin1'),
    'src/utf16.ts': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('// FIXME utf16 file\n', 'utf16le')]),
    'src/bom.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('// TODO after a BOM\n')]),
    'src/name with spaces & ünïcode.ts': '// TODO odd file name\n',
    '.git/hooks/pre-commit.sh': '# TODO inside .git\n',
  };
  const excludeGlobs = ['**/node_modules', 'top.ts', 'out/**'];

  it('indexes exactly what the walk indexes: .gitignore (nested, negations, no git repository), files.exclude, hidden, .git, size, binary, encodings', async () => {
    root = fileTree(files);
    symlinkSync(path.join(root, 'src'), path.join(root, 'loop'));
    const walked = new TodoIndex({ folders: [{ root, excludeGlobs }], parser, log: new FakeLogger(), maxFileBytes: 2048, workers: 0 });
    const walkStats = await walked.rebuild();
    const log = new FakeLogger();
    const searched = new TodoIndex({ folders: [{ root, excludeGlobs }], parser, log, maxFileBytes: 2048, workers: 0, ripgrepPath: ripgrep });
    const stats = await searched.rebuild();
    assert.equal(walkStats.engine, 'walk');
    assert.equal(stats.engine, 'ripgrep', log.text);
    assert.deepEqual(listing(searched), [
      '.hidden/h.ts:0:hidden folders are indexed',
      'src/a.ts:1:real',
      'src/b.py:0:python',
      'src/bom.ts:0:after a BOM',
      'src/gen/keep.ts:0:re-included by the nested .gitignore',
      'src/keep.log.ts:0:re-included by a negation',
      'src/latin1.ts:0:café in latin1',
      'src/name with spaces & ünïcode.ts:0:odd file name',
      'src/top.ts:0:the same name deeper is not excluded',
      'src/utf16.ts:0:utf16 file',
    ]);
    assert.deepEqual(listing(searched), listing(walked));
    assert.equal(stats.skippedBinary, 1);
    assert.equal(stats.skippedLarge, 1);
    assert.equal(stats.decodedAsLatin1, 1);
    assert.equal(stats.skippedUnknownLanguage, 1);
    // ripgrep's own count of the files it searched, after the ignore rules (.gitignore, file.exclude, .git).
    assert.equal(stats.filesListed, 17);
  });

  it('updates one file at a time afterwards, as the walk does', async () => {
    root = fileTree({ 'a.ts': '// TODO one\n' });
    const index = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log: new FakeLogger(), workers: 0, ripgrepPath: ripgrep });
    await index.rebuild();
    writeFileSync(path.join(root, 'b.ts'), '// FIXME two\n');
    await index.refreshFile(path.join(root, 'b.ts'));
    assert.deepEqual(listing(index), ['a.ts:0:one', 'b.ts:0:two']);
  });

  it('indexes several folders, each with its own excludes, and finds nothing in a folder without tags', async () => {
    root = fileTree({ 'one/a.ts': '// TODO in one\n', 'one/skip/b.ts': '// TODO skipped in one\n', 'two/skip/c.ts': '// TODO kept in two\n', 'three/d.ts': 'nothing\n' });
    const folders = [
      { root: path.join(root, 'one'), excludeGlobs: ['skip/**'] },
      { root: path.join(root, 'two'), excludeGlobs: [] },
      { root: path.join(root, 'three'), excludeGlobs: [] },
    ];
    const index = new TodoIndex({ folders, parser, log: new FakeLogger(), workers: 0, ripgrepPath: ripgrep });
    const stats = await index.rebuild();
    assert.equal(stats.engine, 'ripgrep');
    assert.deepEqual(listing(index), ['a.ts:0:in one', 'skip/c.ts:0:kept in two']);
  });

  it('walks instead when ripgrep is missing, and says why', async () => {
    root = fileTree({ 'a.ts': '// TODO walked\n' });
    const log = new FakeLogger();
    const index = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log, workers: 0, ripgrepPath: path.join(root, 'no-such-rg') });
    const stats = await index.rebuild();
    assert.equal(stats.engine, 'walk');
    assert.deepEqual(listing(index), ['a.ts:0:walked']);
    assert.match(log.text, /ripgrep could not start \(ENOENT\); walking the folders instead/);
  });

  it('walks instead when ripgrep refuses an exclude glob, with ripgrep’s reason', async () => {
    root = fileTree({ 'a.ts': '// TODO walked\n', '[x/b.ts': '// TODO excluded by a glob ripgrep cannot parse\n' });
    const log = new FakeLogger();
    const index = new TodoIndex({ folders: [{ root, excludeGlobs: ['[x/**'] }], parser, log, workers: 0, ripgrepPath: ripgrep });
    const stats = await index.rebuild();
    assert.equal(stats.engine, 'walk');
    assert.match(log.text, /ripgrep refused the search: .*glob/);
    assert.deepEqual(listing(index), ['a.ts:0:walked']);
  });

  posixOnly('walks instead when ripgrep dies half-way, keeping nothing of its partial answer', async () => {
    root = fileTree({ 'a.ts': '// TODO a\n', 'b.ts': '// TODO b\n' });
    const bin = mkdtempSync(path.join(tmpdir(), 'fake-rg-'));
    try {
      const log = new FakeLogger();
      const index = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log, workers: 0, ripgrepPath: fakeRipgrep(bin, "printf 'a.ts\\0'\nkill -9 $$") });
      const stats = await index.rebuild();
      assert.equal(stats.engine, 'walk');
      assert.deepEqual(listing(index), ['a.ts:0:a', 'b.ts:0:b']);
      assert.match(log.text, /ripgrep stopped \(SIGKILL\)/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  posixOnly('keeps what ripgrep found when it could only skip unreadable paths (exit code 2, no message)', async () => {
    root = fileTree({ 'a.ts': '// TODO a\n', 'b.ts': '// TODO b\n' });
    const bin = mkdtempSync(path.join(tmpdir(), 'fake-rg-'));
    try {
      const log = new FakeLogger();
      const index = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log, workers: 0, ripgrepPath: fakeRipgrep(bin, "printf './a.ts\\0\\n1 matches\\n2 files searched\\n'\nexit 2") });
      const stats = await index.rebuild();
      assert.equal(stats.engine, 'ripgrep');
      assert.equal(stats.filesListed, 2);
      assert.deepEqual(listing(index), ['a.ts:0:a']);
      assert.match(log.text, /ripgrep could not read some paths/);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  posixOnly('stops ripgrep when the rebuild is cancelled or superseded', async () => {
    root = fileTree({ 'a.ts': '// TODO a\n' });
    const bin = mkdtempSync(path.join(tmpdir(), 'fake-rg-'));
    const pidFile = path.join(bin, 'pid');
    try {
      const slow = fakeRipgrep(bin, `echo $$ > '${pidFile}'\nprintf 'a.ts\\0'\nexec sleep 30`);
      const index = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log: new FakeLogger(), workers: 0, ripgrepPath: slow });
      const before = new AbortController();
      before.abort();
      await assert.rejects(index.rebuild(before.signal), { code: 'cancelled' });
      assert.equal(existsSync(pidFile), false, 'ripgrep was not started for a rebuild cancelled before it began');
      const controller = new AbortController();
      const running = index.rebuild(controller.signal);
      while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 10));
      const pid = Number(readFileSync(pidFile, 'utf8'));
      controller.abort();
      await assert.rejects(running, { code: 'cancelled' });
      await waitUntilGone(pid);

      rmSync(pidFile);
      const older = index.rebuild();
      while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await new Promise((r) => setTimeout(r, 10));
      const olderPid = Number(readFileSync(pidFile, 'utf8'));
      // The same index walks this time: the newer rebuild wins and the older one's ripgrep is stopped at once.
      index.reconfigure({ folders: [{ root, excludeGlobs: [] }], parser, log: new FakeLogger(), workers: 0 });
      const latest = index.rebuild();
      await assert.rejects(older, /newer TODO index rebuild/);
      await waitUntilGone(olderPid);
      const stats = await latest;
      assert.equal(stats.engine, 'walk');
      assert.equal(stats.todos, 1);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

async function waitUntilGone(pid: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.fail(`process ${pid} still runs`);
}

describe('ripgrep arguments and location', () => {
  it('anchors slash-less files.exclude globs at the folder, as VS Code reads them', () => {
    assert.equal(ripgrepExcludeGlob('top.ts'), '!/top.ts');
    assert.equal(ripgrepExcludeGlob('out/**'), '!/out/**');
    assert.equal(ripgrepExcludeGlob('**/node_modules'), '!**/node_modules');
    const args = ripgrepArguments({ tags: ['TODO', '-x'], excludeGlobs: ['', 'a'], threads: 2 });
    assert.deepEqual(args.slice(args.indexOf('--glob', args.indexOf('!.git')), args.indexOf('--fixed-strings')), ['--glob', '!/a']);
    // A tag that looks like a flag stays a pattern; no user config file is read.
    assert.ok(args.includes('--no-config'));
    assert.deepEqual(args.slice(args.indexOf('--regexp')), ['--regexp', 'TODO', '--regexp', '-x', '--', '.']);
    assert.deepEqual(args.slice(args.indexOf('--threads'), args.indexOf('--threads') + 2), ['--threads', '2']);
  });

  it('finds nothing without tags, without starting ripgrep', async () => {
    const search = searchFilesWithTags({ ripgrepPath: '/no/such/rg', root: tmpdir(), tags: [], excludeGlobs: [] });
    const step = await search.next();
    assert.deepEqual(step, { done: true, value: { filesSearched: 0, partial: false } });
  });

  it('reports a ripgrep that cannot start as unavailable', async () => {
    const search = searchFilesWithTags({ ripgrepPath: '/no/such/rg', root: tmpdir(), tags: ['TODO'], excludeGlobs: [] });
    await assert.rejects(search.next(), (error: unknown) => error instanceof RipgrepUnavailableError && /ENOENT/.test(error.message));
  });

  it('finds VS Code’s ripgrep in each layout VS Code has shipped, and only an executable one', () => {
    const appRoot = mkdtempSync(path.join(tmpdir(), 'app-root-'));
    try {
      assert.equal(locateRipgrep(appRoot, 'linux', 'x64'), undefined);
      const universal = path.join(appRoot, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', 'linux-x64', 'rg');
      mkdirSync(path.dirname(universal), { recursive: true });
      writeFileSync(universal, '');
      chmodSync(universal, 0o644);
      if (process.platform !== 'win32') assert.equal(locateRipgrep(appRoot, 'linux', 'x64'), undefined);
      chmodSync(universal, 0o755);
      assert.equal(locateRipgrep(appRoot, 'linux', 'x64'), universal);
      assert.equal(locateRipgrep(appRoot, 'linux', 'arm64'), undefined);
      const unpacked = path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', 'rg');
      mkdirSync(path.dirname(unpacked), { recursive: true });
      writeFileSync(unpacked, '');
      chmodSync(unpacked, 0o755);
      assert.equal(locateRipgrep(appRoot, 'linux', 'arm64'), unpacked);
      const classic = path.join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
      mkdirSync(path.dirname(classic), { recursive: true });
      writeFileSync(classic, '');
      chmodSync(classic, 0o755);
      assert.equal(locateRipgrep(appRoot, 'linux', 'x64'), classic);
      const windows = path.join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg.exe');
      writeFileSync(windows, '');
      assert.equal(locateRipgrep(appRoot, 'win32', 'x64'), windows);
    } finally {
      rmSync(appRoot, { recursive: true, force: true });
    }
  });
});
