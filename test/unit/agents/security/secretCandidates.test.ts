import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';
import { type FileText } from '../../../../src/agents/runtime/context';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { NodeWorkspaceFiles } from '../../../../src/agents/runtime/workspaceFiles';
import { securityAgent } from '../../../../src/agents/security/securityAgent';
import { mayHoldSecret, ripgrepAnchorPattern } from '../../../../src/agents/security/secrets/candidates';
import { scanTextForSecrets } from '../../../../src/agents/security/secrets/secretEngine';
import { OUR_RULES } from '../../../../src/agents/security/secrets/secretRules';
import { scanWorkspaceSecrets } from '../../../../src/agents/security/secrets/secretScan';
import { ripgrepFor } from '../../../../src/cli/cliEnvironment';
import { fileTree } from '../../providers/todos/fileTree';
import { makeHarness } from '../runtime/harness';
import { LOOK_ALIKES, plantedSecrets, presetSamples } from './secretCorpus';

/** The ripgrep VS Code ships (the same package, from the npm registry, with every platform's binary). */
const ripgrep = path.join(path.dirname(require.resolve('@vscode/ripgrep-universal')), '..', 'bin', `${process.platform}-${process.arch}`, process.platform === 'win32' ? 'rg.exe' : 'rg');

/** The runtime's reader, recording every file the scan opens. */
class RecordingFiles extends NodeWorkspaceFiles {
  readonly opened: string[] = [];
  override async read(requested: string): Promise<FileText | undefined> {
    this.opened.push(requested);
    return super.read(requested);
  }
}

const scanWith = (files: NodeWorkspaceFiles) => scanWorkspaceSecrets({ files, signal: new AbortController().signal });
const clean = (i: number): string => `export function sum${i}(xs: number[]): number {\n  return xs.reduce((a, b) => a + b, 0);\n}\n`;

describe('security agent: secret candidates found by ripgrep', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('has a positive sample for every secret rule, each found by its rule and named by ripgrep with the anchor pattern (no rule is lost)', async () => {
    const samples = [...plantedSecrets(), ...presetSamples()];
    const ruleIds = new Set([...presetRules.map((r) => r.meta.id).filter((id) => id !== '@secretlint/secretlint-rule-filter-comments'), ...OUR_RULES.map((r) => r.id)]);
    for (const id of ruleIds) assert.ok(samples.some((s) => s.ruleId === id), `no positive sample for ${id}: add one to secretCorpus.ts`);
    for (const s of samples) {
      const found = await scanTextForSecrets(s.text, { file: s.file });
      assert.ok(found.some((f) => f.ruleId === s.ruleId), `${s.kind}: ${s.ruleId} did not find its own sample (${found.map((f) => f.ruleId).join(', ')})`);
      assert.ok(mayHoldSecret(s.text), `${s.kind} fails the in-memory anchors`);
    }
    root = fileTree({ ...Object.fromEntries(samples.map((s) => [s.file, s.text])), 'src/clean.ts': clean(0) }, 'secret-candidates-');
    const search = await new NodeWorkspaceFiles(root, { ripgrepPath: ripgrep }).search(['**'], ripgrepAnchorPattern());
    assert.equal(search.engine, 'ripgrep', JSON.stringify(search));
    if (search.engine !== 'ripgrep') return;
    assert.deepEqual(samples.filter((s) => !search.paths.includes(s.file)).map((s) => s.kind), []);
    assert.ok(!search.paths.includes('src/clean.ts'));
  });

  it('never opens a file without an anchor: ripgrep names the candidates and only those are read', async () => {
    const planted = plantedSecrets(29);
    const tree: Record<string, string> = {};
    for (let i = 0; i < 60; i++) tree[`src/mod${i}/index.ts`] = clean(i);
    for (const p of planted) tree[p.file] = p.text;
    root = fileTree(tree, 'secret-candidates-');
    const files = new RecordingFiles(root, { ripgrepPath: ripgrep });
    const { findings, stats } = await scanWith(files);
    assert.equal(stats.engine, 'ripgrep');
    assert.deepEqual([...files.opened].sort(), planted.map((p) => p.file).sort());
    assert.equal(findings.length, planted.length);
    assert.equal(stats.listed, 60 + planted.length, 'ripgrep searched every file');
    assert.equal(stats.candidates, planted.length);
  });

  it('reads every file instead when ripgrep is missing or cannot run, finds the same, and says so in the output', async () => {
    const h = await makeHarness({ ripgrepPath: path.join(tmpdir(), 'no-such-dir', 'rg') });
    const without = await makeHarness();
    try {
      const planted = plantedSecrets(31);
      for (const harness of [h, without]) {
        for (const p of planted) await harness.write(p.file, p.text);
        await harness.write('src/clean.ts', clean(1));
      }
      const broken = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['secrets'] }, mode: 'plan' });
      assert.equal(broken.outcome, 'succeeded', broken.error);
      assert.equal(broken.plan!.findings.length, planted.length);
      assert.match(broken.plan!.facts.find((f) => f.label === 'Secrets')!.value, /ripgrep not used: ripgrep could not start \(ENOENT\); every file was read to find candidates/);
      const none = await runAgent(without.services, { agent: securityAgent, action: 'scan', input: { only: ['secrets'] }, mode: 'plan' });
      assert.equal(none.plan!.findings.length, planted.length);
      assert.match(none.plan!.facts.find((f) => f.label === 'Secrets')!.value, new RegExp(`${planted.length + 1} files read, ${planted.length} held text .*ripgrep not used: no ripgrep was found`));
    } finally {
      await h.dispose();
      await without.dispose();
    }
  });

  it('respects .gitignore, the always-ignored folders and our own reports exactly as reading every file does', async () => {
    const [a, b, c, d, e, f, g, k] = plantedSecrets(37);
    root = fileTree(
      {
        '.gitignore': 'secrets/\n*.local.ts\n!keep.local.ts\n',
        'src/kept.ts': a!.text,
        'secrets/ignored.ts': b!.text,
        'src/x.local.ts': c!.text,
        'src/keep.local.ts': d!.text,
        'pkg/.gitignore': '*.json\n',
        'pkg/config.json': e!.text,
        'node_modules/lib/index.js': f!.text,
        '.devops/reports/security.md': g!.text,
        // ripgrep's own ignore files are not the workspace's rules: a cloned repository cannot hide a file this way.
        '.ignore': 'src/hidden-by-dot-ignore.ts\n',
        '.rgignore': 'src/hidden-by-rgignore.ts\n',
        'src/hidden-by-dot-ignore.ts': k!.text,
        'src/hidden-by-rgignore.ts': k!.text,
        '.config/tool.ts': a!.text,
      },
      'secret-candidates-',
    );
    const viaRipgrep = await scanWith(new NodeWorkspaceFiles(root, { ripgrepPath: ripgrep }));
    const viaReading = await scanWith(new NodeWorkspaceFiles(root));
    assert.equal(viaRipgrep.stats.engine, 'ripgrep');
    assert.equal(viaReading.stats.engine, 'read');
    const filesOf = (r: typeof viaRipgrep): string[] => [...new Set(r.findings.map((x) => x.file!))].sort();
    assert.deepEqual(filesOf(viaRipgrep), ['.config/tool.ts', 'src/hidden-by-dot-ignore.ts', 'src/hidden-by-rgignore.ts', 'src/keep.local.ts', 'src/kept.ts']);
    assert.deepEqual(filesOf(viaRipgrep), filesOf(viaReading));
    assert.deepEqual(viaRipgrep.findings, viaReading.findings);
  });

  it('is not broken by files that are not UTF-8: they are counted and left alone, the rest is still scanned', async () => {
    const [a] = plantedSecrets(41);
    root = fileTree(
      {
        'src/a.ts': a!.text,
        'src/latin1.properties': Buffer.from('db.password=caf\xe9-secr\xe8t\n', 'latin1'),
        'src/utf16.ts': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(a!.text, 'utf16le')]),
        'src/blob.dat': Buffer.concat([Buffer.from('AccountKey='), Buffer.from([0, 0xff, 0xfe, 1, 2, 3])]),
        'src/plain-latin1.txt': Buffer.from('caf\xe9\n', 'latin1'),
        'docs/look.md': LOOK_ALIKES[0]!.text,
      },
      'secret-candidates-',
    );
    const { findings, stats } = await scanWith(new NodeWorkspaceFiles(root, { ripgrepPath: ripgrep }));
    assert.equal(stats.engine, 'ripgrep');
    assert.deepEqual(findings.map((f) => f.file), ['src/a.ts']);
    // The latin1 file, the UTF-16 file (ripgrep decodes its BOM and matches) and the blob hold an anchor; none is UTF-8.
    assert.equal(stats.notText, 3);
  });

  it('finds the CLI’s ripgrep: AIDEVOPS_RIPGREP first (empty: none), else rg on an absolute PATH entry', () => {
    root = mkdtempSync(path.join(tmpdir(), 'secret-candidates-'));
    const rg = path.join(root, process.platform === 'win32' ? 'rg.exe' : 'rg');
    writeFileSync(rg, '#!/bin/sh\n');
    chmodSync(rg, 0o755);
    const sep = process.platform === 'win32' ? ';' : ':';
    assert.equal(ripgrepFor({ PATH: ['relative/bin', root].join(sep) }), rg);
    assert.equal(ripgrepFor({ PATH: path.join(root, 'nothing') }), undefined);
    assert.equal(ripgrepFor({ PATH: root, AIDEVOPS_RIPGREP: '' }), undefined);
    assert.equal(ripgrepFor({ PATH: root, AIDEVOPS_RIPGREP: 'none' }), undefined);
    assert.equal(ripgrepFor({ PATH: '', AIDEVOPS_RIPGREP: '/opt/rg/bin/rg' }), '/opt/rg/bin/rg');
  });
});
