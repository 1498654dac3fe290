import { strict as assert } from 'node:assert';
import { mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { decodeFile, looksBinary } from '../../../../src/providers/todos/fileDecoding';
import { emptyCounts, FileScanner } from '../../../../src/providers/todos/indexScan';
import { TodoIndex, type TodoIndexChange } from '../../../../src/providers/todos/todoIndex';
import { buildMatcher } from '../../../../src/core/todo/parserSettings';
import { FakeLogger } from '../../fakes/fakeLogger';
import { fileTree } from './fileTree';

const parser = { tags: ['TODO', 'FIXME'], defaultTracker: 'azureBoards' as const, referencePatterns: [] };


const listing = (index: TodoIndex): string[] =>
  [...index.todos()].map((t) => `${t.relativePath}:${t.todo.line}:${t.todo.title}`).sort();

describe('workspace TODO index', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const files = {
    '.gitignore': 'dist/\n*.log\n!keep.log\n',
    'src/a.ts': 'const s = "// TODO not a comment";\n// TODO AB#1 real\n',
    'src/b.py': '# FIXME python\n',
    'src/notes.txt': '// TODO unknown language is skipped\n',
    'dist/out.js': '// TODO ignored by the root .gitignore\n',
    'src/gen/.gitignore': '*.ts\n!keep.ts\n',
    'src/gen/x.ts': '// TODO ignored by a nested .gitignore\n',
    'src/gen/keep.ts': '// TODO re-included by the nested .gitignore\n',
    'node_modules/lib/index.js': '// TODO excluded by files.exclude\n',
    'src/big.ts': `// TODO too large\n${'x'.repeat(3000)}`,
    'src/blob.ts': Buffer.concat([Buffer.from('// TODO binary\n'), Buffer.from([0, 1, 2, 3])]),
    'src/latin1.ts': Buffer.from('// TODO caf\xe9 in latin1\n', 'latin1'),
    'src/utf16.ts': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('// FIXME utf16 file\n', 'utf16le')]),
    'src/bom.ts': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('// TODO after a BOM\n')]),
    '.git/hooks/pre-commit.sh': '# TODO inside .git\n',
  };
  const expected = [
    'src/a.ts:1:real',
    'src/b.py:0:python',
    'src/bom.ts:0:after a BOM',
    'src/gen/keep.ts:0:re-included by the nested .gitignore',
    'src/latin1.ts:0:café in latin1',
    'src/utf16.ts:0:utf16 file',
  ];

  for (const workers of [0, 1, 2]) {
    it(`indexes respecting .gitignore (nested too), files.exclude, size, binary and encodings (${workers} reader thread(s))`, async () => {
      root = fileTree(files);
      const index = new TodoIndex({ folders: [{ root, excludeGlobs: ['**/node_modules'] }], parser, log: new FakeLogger(), maxFileBytes: 2048, workers });
      const stats = await index.rebuild();
      assert.deepEqual(listing(index), expected);
      assert.equal(stats.workers, workers);
      assert.equal(stats.skippedBinary, 1);
      assert.equal(stats.skippedLarge, 1);
      assert.equal(stats.decodedAsLatin1, 1);
      assert.equal(stats.skippedUnknownLanguage, 1);
      assert.equal(stats.todos, expected.length);
    });
  }

  it('updates one file at a time: change, create, delete, ignored paths', async () => {
    root = fileTree(files);
    const log = new FakeLogger();
    const index = new TodoIndex({ folders: [{ root, excludeGlobs: ['**/node_modules'] }], parser, log, maxFileBytes: 2048, workers: 0 });
    await index.rebuild();
    const changes: TodoIndexChange[] = [];
    index.onDidChange((c) => changes.push(c));

    writeFileSync(path.join(root, 'src/a.ts'), '// TODO changed\n// FIXME added\n');
    await index.refreshFile(path.join(root, 'src/a.ts'));
    assert.deepEqual(index.todosIn(path.join(root, 'src/a.ts')).map((t) => t.todo.title), ['changed', 'added']);

    writeFileSync(path.join(root, 'src/new.go'), '// TODO new file\n');
    await index.refreshFile(path.join(root, 'src/new.go'));
    writeFileSync(path.join(root, 'dist/new.js'), '// TODO still ignored\n');
    await index.refreshFile(path.join(root, 'dist/new.js'));
    mkdirSync(path.join(root, 'src/gen/deeper'));
    writeFileSync(path.join(root, 'src/gen/deeper/y.ts'), '// TODO ignored by the nested rules\n');
    await index.refreshFile(path.join(root, 'src/gen/deeper/y.ts'));
    await index.refreshFile(path.join(root, 'outside/of/the/folder.ts'));

    unlinkSync(path.join(root, 'src/b.py'));
    await index.removePath(path.join(root, 'src/b.py'));
    await index.removePath(path.join(root, 'src/gen'));

    assert.deepEqual(listing(index), ['src/a.ts:0:changed', 'src/a.ts:1:added', 'src/bom.ts:0:after a BOM', 'src/latin1.ts:0:café in latin1', 'src/new.go:0:new file', 'src/utf16.ts:0:utf16 file']);
    assert.deepEqual(changes.map((c) => c.files.map((f) => path.relative(root, f)).join(',')), ['src/a.ts', 'src/new.go', 'src/b.py', 'src/gen/keep.ts']);
    assert.ok(changes.every((c) => !c.full));
  });

  it('a burst of 1,000 file changes (a branch switch) is read in one batch and announced once', async () => {
    const tree: Record<string, string> = { '.gitignore': 'ignored/\n' };
    for (let i = 0; i < 1_000; i++) tree[`pkg${i % 10}/f${i}.ts`] = i % 4 === 0 ? `// TODO old ${i}\n` : `export const v${i} = ${i};\n`;
    tree['gone/dir/a.ts'] = '// TODO in a directory that is deleted\n';
    tree['gone/dir/b.ts'] = '// FIXME also in it\n';
    root = fileTree(tree);
    const index = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log: new FakeLogger(), workers: 0 });
    await index.rebuild();
    assert.equal([...index.todos()].length, 252);
    const changes: TodoIndexChange[] = [];
    index.onDidChange((c) => changes.push(c));

    // The switch: every file rewritten (TODOs move to other files), one deleted, a directory deleted,
    // an ignored file written, and an open document whose editor text wins.
    const burst: { file: string; kind: 'changed' | 'deleted' }[] = [];
    for (let i = 0; i < 1_000; i++) {
      const file = path.join(root, `pkg${i % 10}/f${i}.ts`);
      if (i === 999) {
        unlinkSync(file);
        burst.push({ file, kind: 'deleted' });
        continue;
      }
      writeFileSync(file, i % 4 === 1 ? `// TODO new ${i}\n` : `export const w${i} = ${i};\n`);
      burst.push({ file, kind: 'changed' });
    }
    rmSync(path.join(root, 'gone'), { recursive: true });
    burst.push({ file: path.join(root, 'gone'), kind: 'deleted' });
    mkdirSync(path.join(root, 'ignored'));
    writeFileSync(path.join(root, 'ignored/x.ts'), '// TODO ignored\n');
    burst.push({ file: path.join(root, 'ignored/x.ts'), kind: 'changed' });
    const open = path.join(root, 'pkg1/f1.ts');
    await index.setDocumentText(open, '// TODO unsaved in the editor\n', 'typescript');
    changes.length = 0;

    const result = await index.applyChanges(burst);
    assert.equal(changes.length, 1, 'one announcement for the whole burst');
    assert.equal(changes[0]!.full, false);
    // 250 files lost their TODO, 249 gained one (f1 is open), 2 went with their directory.
    assert.equal(changes[0]!.files.length, 250 + 249 + 2);
    assert.equal(result.changed, changes[0]!.files.length);
    const titles = [...index.todos()].map((t) => t.todo.title);
    assert.equal(titles.length, 250);
    assert.ok(titles.includes('unsaved in the editor'));
    assert.ok(!titles.some((t) => t.startsWith('old ') || t === 'ignored' || t.includes('directory')));
    assert.ok(result.busyMs >= 0);

    // Nothing changed in a second identical burst of deletions of unknown files: no announcement.
    changes.length = 0;
    await index.applyChanges([{ file: path.join(root, 'never/was.ts'), kind: 'deleted' }]);
    assert.equal(changes.length, 0);
  });

  it('a burst with a .gitignore in it rebuilds once', async () => {
    root = fileTree({ 'a.ts': '// TODO a\n', 'b.ts': '// TODO b\n' });
    const index = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log: new FakeLogger(), workers: 0 });
    await index.rebuild();
    writeFileSync(path.join(root, '.gitignore'), 'b.ts\n');
    writeFileSync(path.join(root, 'a.ts'), '// TODO a2\n');
    const full: boolean[] = [];
    index.onDidChange((c) => full.push(c.full));
    await index.applyChanges([{ file: path.join(root, 'a.ts'), kind: 'changed' }, { file: path.join(root, '.gitignore'), kind: 'changed' }]);
    assert.deepEqual(listing(index), ['a.ts:0:a2']);
    assert.deepEqual(full, [true]);
  });

  it('takes an open document’s unsaved text over the disk, until it is closed', async () => {
    root = fileTree({ 'a.ts': '// TODO on disk\n' });
    const index = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log: new FakeLogger(), workers: 0 });
    await index.rebuild();
    const file = path.join(root, 'a.ts');
    await index.setDocumentText(file, '// TODO unsaved\n// FIXME also unsaved', 'typescript');
    await index.refreshFile(file);
    await index.rebuild();
    assert.deepEqual(listing(index), ['a.ts:0:unsaved', 'a.ts:1:also unsaved']);
    await index.setDocumentText(file, undefined);
    assert.deepEqual(listing(index), ['a.ts:0:on disk']);
  });

  it('rebuilds when a .gitignore changes', async () => {
    root = fileTree({ 'a.ts': '// TODO a\n', 'b.ts': '// TODO b\n' });
    const index = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log: new FakeLogger(), workers: 0 });
    await index.rebuild();
    writeFileSync(path.join(root, '.gitignore'), 'b.ts\n');
    const full: boolean[] = [];
    index.onDidChange((c) => full.push(c.full));
    await index.refreshFile(path.join(root, '.gitignore'));
    assert.deepEqual(listing(index), ['a.ts:0:a']);
    assert.deepEqual(full, [true]);
  });

  it('does not follow symbolic links and survives unreadable entries', async () => {
    root = fileTree({ 'real/a.ts': '// TODO once\n' });
    symlinkSync(path.join(root, 'real'), path.join(root, 'loop'));
    symlinkSync(path.join(root, 'missing.ts'), path.join(root, 'dangling.ts'));
    const index = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log: new FakeLogger(), workers: 0 });
    await index.rebuild();
    assert.deepEqual(listing(index), ['real/a.ts:0:once']);
    const counts = emptyCounts();
    const log: string[] = [];
    const scanner = new FileScanner(buildMatcher(parser).matcher, 1024, (where, code) => log.push(`${path.basename(where)} ${code}`));
    assert.equal(scanner.scan(path.join(root, 'gone.ts'), counts), undefined);
    assert.equal(counts.unreadable, 1);
    assert.deepEqual(log, ['gone.ts ENOENT']);
  });

  it('cancels a rebuild, and a newer rebuild supersedes an older one', async () => {
    root = fileTree(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`d${i % 10}/f${i}.ts`, `// TODO ${i}\n`])));
    const index = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log: new FakeLogger(), workers: 0 });
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(index.rebuild(aborted.signal), { code: 'cancelled' });
    const stats = await index.rebuild();
    assert.equal(stats.todos, 300);
    const controller = new AbortController();
    const worker = new TodoIndex({ folders: [{ root, excludeGlobs: [] }], parser, log: new FakeLogger(), workers: 2 });
    const running = worker.rebuild(controller.signal);
    controller.abort();
    await assert.rejects(running, { code: 'cancelled' });
  });

  it('reports bad reference patterns instead of throwing', () => {
    const index = new TodoIndex({ folders: [], parser: { ...parser, referencePatterns: ['(bad', 'OK-(?<id>\\d+)'] }, log: new FakeLogger(), workers: 0 });
    assert.deepEqual(index.patternProblems.map((p) => p.source), ['(bad']);
    assert.equal(index.matcher.references.patterns.length, 1);
  });
});

describe('file decoding', () => {
  it('tells binary from text and decodes what is not UTF-8 as latin1', () => {
    assert.equal(looksBinary(Buffer.from([65, 0, 66])), true);
    assert.equal(looksBinary(Buffer.concat([Buffer.from('x'.repeat(9000)), Buffer.from([0])])), false);
    assert.deepEqual(decodeFile(Buffer.from([0xff, 0xfe, 0x41, 0x00])), { kind: 'text', text: 'A', encoding: 'utf16le' });
    assert.deepEqual(decodeFile(Buffer.from([0xfe, 0xff, 0x00, 0x41])), { kind: 'text', text: 'A', encoding: 'utf16be' });
    assert.deepEqual(decodeFile(Buffer.from([0x63, 0xe9])), { kind: 'text', text: 'cé', encoding: 'latin1' });
    assert.deepEqual(decodeFile(Buffer.from('é', 'utf8')), { kind: 'text', text: 'é', encoding: 'utf8' });
    assert.deepEqual(decodeFile(Buffer.from([1, 0, 2])), { kind: 'binary' });
  });
});
