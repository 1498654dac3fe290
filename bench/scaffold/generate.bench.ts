/**
 * Generating each template (render + write, no install) against copying the same files with
 * `cp -r`, in one run, interleaved.
 *
 *   npx tsx bench/scaffold/generate.bench.ts [runs]      (default 30 runs per template and way)
 *
 * - render: renderProject() alone, in process (what the agent does before the preview).
 * - render + write: renderProject() and writing every file into a fresh folder (what scaffolding costs
 *   once the runtime applies the plan, less the approval).
 * - cp -r: a fresh `cp -r` process copying a folder that already holds the same files (the baseline:
 *   the cheapest way to lay down a template that is kept as files).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TEMPLATES } from '../../src/agents/scaffold/options';
import { renderProject } from '../../src/agents/scaffold/templates';
import { writeProject } from '../../test/generated/writeProject';

const runs = Number(process.argv[2] ?? 30);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const work = mkdtempSync(path.join(os.tmpdir(), 'aidevops-bench-scaffold-'));

try {
  console.log(`${runs} runs per template and way, interleaved; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores\n`);
  console.log('template   files    bytes   render ms   render+write ms   cp -r ms   ratio (render+write / cp -r)');
  for (const template of TEMPLATES) {
    const options = { template, name: template === 'react' || template === 'vue' ? 'shop-ui' : 'orders-api' };
    const source = path.join(work, `${template}-source`);
    const output = renderProject(options);
    writeProject(source, output);
    const bytes = output.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    const render: number[] = [];
    const write: number[] = [];
    const copy: number[] = [];
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      renderProject(options);
      render.push(performance.now() - t);

      const target = path.join(work, `${template}-gen-${i}`);
      t = performance.now();
      writeProject(target, renderProject(options));
      write.push(performance.now() - t);

      const copyTarget = path.join(work, `${template}-cp-${i}`);
      t = performance.now();
      execFileSync('cp', ['-r', source, copyTarget]);
      copy.push(performance.now() - t);
      rmSync(target, { recursive: true, force: true });
      rmSync(copyTarget, { recursive: true, force: true });
    }
    const [r, w, c] = [median(render), median(write), median(copy)];
    console.log(`${template.padEnd(9)} ${String(output.files.length).padStart(6)} ${String(bytes).padStart(8)} ${r.toFixed(2).padStart(11)} ${w.toFixed(2).padStart(17)} ${c.toFixed(2).padStart(10)} ${(w / c).toFixed(2).padStart(8)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
