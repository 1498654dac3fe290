import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import schema from '../../../fixtures/sarif/sarif-2.1.0-rtm.5.json';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { FINGERPRINT_KEY, toSarif } from '../../../../src/agents/runtime/sarif';
import { SARIF_REPORT_PATH, securityAgent } from '../../../../src/agents/security/securityAgent';
import { type Harness, makeHarness, ScriptedUi } from '../runtime/harness';
import { plantedSecrets } from './secretCorpus';

/** One insecure pattern per ESLint rule we ship (eslint-plugin-security, then the SDL pass). */
const INSECURE_JS: Readonly<Record<string, string>> = {
  'security/detect-eval-with-expression': 'eval(userInput);',
  'security/detect-child-process': "const cp = require('child_process'); cp.exec(cmd);",
  'security/detect-non-literal-require': 'require(name);',
  'security/detect-non-literal-fs-filename': "const fs = require('fs'); fs.readFile(p, () => {});",
  'security/detect-non-literal-regexp': 'new RegExp(pattern);',
  'security/detect-unsafe-regex': 'const r = /(x+x+)+y/;',
  'security/detect-pseudoRandomBytes': "require('crypto').pseudoRandomBytes(8);",
  'security/detect-buffer-noassert': 'buf.readUInt8(0, true);',
  'security/detect-new-buffer': 'new Buffer(size);',
  'security/detect-possible-timing-attacks': 'if (password === input) { grant(); }',
  'security/detect-object-injection': 'obj[key] = value;',
  'security/detect-disable-mustache-escape': 'template.escapeMarkup = false;',
  'security/detect-no-csrf-before-method-override': 'app.use(express.csrf()); app.use(express.methodOverride());',
  'security/detect-bidi-characters': 'const s = "a\u202Eb";',
  'no-eval': 'eval("1 + 1");',
  'no-implied-eval': 'setTimeout("alert(1)", 10);',
  'no-new-func': 'new Function("a", "return a");',
  '@microsoft/sdl/no-inner-html': 'element.innerHTML = html;',
  '@microsoft/sdl/no-document-write': 'document.write(html);',
  '@microsoft/sdl/no-insecure-url': 'fetch("http://example.com/data");',
  '@microsoft/sdl/no-postmessage-star-origin': 'window.postMessage(data, "*");',
  '@microsoft/sdl/no-document-domain': 'document.domain = "example.com";',
  '@microsoft/sdl/no-cookies': 'document.cookie = "a=b";',
  '@microsoft/sdl/no-electron-node-integration': 'new BrowserWindow({ webPreferences: { nodeIntegration: true } });',
  '@microsoft/sdl/no-html-method': '$(el).html(content);',
  '@microsoft/sdl/no-unsafe-alloc': 'Buffer.allocUnsafe(10);',
};

describe('security agent: code and SARIF', () => {
  let h: Harness;
  beforeEach(async () => (h = await makeHarness()));
  afterEach(async () => h.dispose());

  it('finds each insecure pattern with its rule, in JavaScript and TypeScript, through both ESLint passes', async () => {
    const entries = Object.entries(INSECURE_JS);
    for (const [i, [, code]] of entries.entries()) await h.write(`src/f${i}.${i % 2 ? 'ts' : 'js'}`, `// case ${i}\n${code}\n`);
    const result = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['code'] }, mode: 'plan' });
    assert.equal(result.outcome, 'succeeded', result.error);
    for (const [i, [rule]] of entries.entries()) {
      const hits = result.plan!.findings.filter((f) => f.file === `src/f${i}.${i % 2 ? 'ts' : 'js'}` && f.ruleId === rule);
      assert.ok(hits.length >= 1, `${rule} not found in case ${i}: ${JSON.stringify(result.plan!.findings.filter((f) => f.file?.endsWith(`f${i}.${i % 2 ? 'ts' : 'js'}`)).map((f) => f.ruleId))}`);
      assert.equal(hits[0]!.line, 2);
      assert.ok(hits[0]!.helpUri?.startsWith('https://'), rule);
    }
  });

  it('names a file it cannot parse instead of calling it clean', async () => {
    await h.write('src/broken.ts', 'const = ;\n');
    const result = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['code'] }, mode: 'plan' });
    assert.ok(result.plan!.notes.some((n) => /could not be parsed.*src\/broken\.ts/.test(n)));
  });

  it('Python through bandit (installed by npm test from Debian): each insecure pattern with its rule, severity, line and link; a file bandit cannot parse is named', async () => {
    await h.write('app.py', 'import pickle\nimport subprocess\n\ndef run(cmd, data):\n    subprocess.call(cmd, shell=True)\n    return pickle.loads(data)\n');
    await h.write('pkg/broken.py', 'def broken(:\n');
    const result = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['code'] }, mode: 'plan' });
    assert.equal(result.outcome, 'succeeded', result.error);
    const python = result.plan!.findings.filter((f) => f.ruleId.startsWith('bandit/'));
    const byRule = new Map(python.map((f) => [f.ruleId, f]));
    assert.deepEqual([...byRule.keys()].sort(), ['bandit/B301', 'bandit/B403', 'bandit/B404', 'bandit/B602']);
    assert.equal(byRule.get('bandit/B602')!.severity, 'high');
    assert.equal(byRule.get('bandit/B602')!.line, 5);
    assert.equal(byRule.get('bandit/B602')!.file, 'app.py');
    assert.equal(byRule.get('bandit/B301')!.severity, 'medium');
    assert.equal(byRule.get('bandit/B301')!.line, 6);
    assert.match(byRule.get('bandit/B602')!.helpUri ?? '', /^https:\/\/bandit\.readthedocs\.io\//);
    assert.ok(result.plan!.notes.some((n) => /bandit could not read 1 file\(s\): pkg\/broken\.py/.test(n)), result.plan!.notes.join('\n'));
    const skipped = (result.plan!.result as { skipped: { category: string }[] }).skipped;
    assert.equal(skipped.length, 0);
    // A finding keeps its fingerprint when unrelated lines move it (suppressions and work items follow it).
    await h.write('app.py', '# a comment added above\n\nimport pickle\nimport subprocess\n\ndef run(cmd, data):\n    subprocess.call(cmd, shell=True)\n    return pickle.loads(data)\n');
    const again = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['code'] }, mode: 'plan' });
    const moved = again.plan!.findings.find((f) => f.ruleId === 'bandit/B602')!;
    assert.equal(moved.line, 7);
    assert.equal(moved.fingerprint, byRule.get('bandit/B602')!.fingerprint);
  });

  it('Python with bandit declined is skipped with why, never reported clean', async () => {
    const declining = new ScriptedUi('none');
    declining.confirmAnswer = false;
    const hd = await makeHarness({ ui: declining });
    try {
      await hd.write('app.py', 'import pickle\npickle.loads(data)\n');
      const result = await runAgent(hd.services, { agent: securityAgent, action: 'scan', input: { only: ['code'] }, mode: 'plan' });
      const skipped = (result.plan!.result as { skipped: { category: string; why: string }[] }).skipped;
      assert.equal(skipped[0]!.category, 'code');
      assert.match(skipped[0]!.why, /Python \(1 file\) not checked/);
      assert.ok(!result.plan!.findings.some((f) => f.ruleId.startsWith('bandit/')));
    } finally {
      await hd.dispose();
    }
  });

  it('Python without bandit installed is skipped with how to install it', async () => {
    const savedPath = process.env.PATH;
    // An empty PATH: bandit cannot be found, as on a machine without it.
    process.env.PATH = await fs.mkdtemp(path.join(os.tmpdir(), 'no-bandit-'));
    try {
      await h.write('app.py', 'import pickle\npickle.loads(data)\n');
      const result = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['code'] }, mode: 'plan' });
      const skipped = (result.plan!.result as { skipped: { category: string; why: string }[] }).skipped;
      assert.equal(skipped[0]!.category, 'code');
      assert.match(skipped[0]!.why, /Python \(1 file\) not checked: .*install bandit \(Debian\/Ubuntu: apt-get install bandit/);
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('reviews infrastructure with the platform agent\'s hardening rules, filed under infrastructure', async () => {
    await h.write('Dockerfile', 'FROM ubuntu:latest\nRUN apt-get update\nCMD ["bash"]\n');
    const result = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['infrastructure'] }, mode: 'plan' });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.ok(result.plan!.findings.length > 0);
    assert.ok(result.plan!.findings.every((f) => f.category === 'infrastructure' && f.file === 'Dockerfile'));
  });

  it('writes SARIF 2.1.0 that the official schema accepts, with stable partialFingerprints and suppressions kept', async () => {
    const [gh] = plantedSecrets(23);
    await h.write(gh!.file, gh!.text);
    await h.write('src/x.js', 'eval(userInput);\n');
    const first = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['secrets', 'code'], reports: true } });
    assert.equal(first.outcome, 'succeeded', first.error);
    const log = JSON.parse((await h.read(SARIF_REPORT_PATH))!) as { runs: { results: { partialFingerprints: Record<string, string>; suppressions?: unknown[] }[] }[] };
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    // The schema's formats, checked (ajv-formats is not a dependency here).
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///'));
    ajv.addFormat('date-time', (s: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s));
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 3)));
    const fingerprints = log.runs[0]!.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    const again = await runAgent(h.services, { agent: securityAgent, action: 'scan', input: { only: ['secrets', 'code'] }, mode: 'plan' });
    assert.deepEqual(again.plan!.findings.map((f) => f.fingerprint), fingerprints);
    const suppressedLog = toSarif([{ ...again.plan!.findings[0]!, suppressed: { reason: 'test fixture', by: 'ana', at: '2026-01-01T00:00:00Z' } }], { name: 't', version: '1' });
    assert.ok(validate(suppressedLog), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(suppressedLog.runs[0]!.results![0]!.suppressions![0]!.justification, 'test fixture');
  });
});
