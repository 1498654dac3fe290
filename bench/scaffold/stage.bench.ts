/**
 * The "generated projects" stage's time per template: the stage (test/generated/run.ts) run once
 * per template with only that template's variants, wall time and the variants it passed.
 *
 *   AIDEVOPS_VSCODE_CACHE=/path/to/.cache/vscode npx tsx bench/scaffold/stage.bench.ts [template...]
 *
 * The first Node template run fills the shared npm cache (.cache/generated-npm); run the stage once
 * before to measure warm times, as `npm test` sees them.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { TEMPLATES } from '../../src/agents/scaffold/options';

const root = path.resolve(__dirname, '..', '..');
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [...TEMPLATES];
console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores\n`);
let total = 0;
for (const template of chosen) {
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'test/generated/run.ts', `${template}/`], { cwd: root, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  total += seconds;
  const summary = /(\d+) passed, (\d+) failed/.exec(result.stdout);
  console.log(`${template.padEnd(9)} ${seconds.toFixed(1).padStart(7)} s   ${summary ? `${summary[1]} passed, ${summary[2]} failed` : `no summary (exit ${result.status})`}`);
  for (const line of result.stdout.split('\n').filter((l) => /^(ok|FAIL) /.test(l))) console.log(`    ${line}`);
}
console.log(`\nall templates ${total.toFixed(1)} s`);
