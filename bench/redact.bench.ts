/**
 * How much redaction costs per log line. Run: `npx tsx bench/redact.bench.ts`.
 *
 * Compares, side by side on the same lines and interleaved rounds:
 *   redactText        the real thing (keyword pre-filter, then one RegExp per rule)
 *   baseline:combined every rule's RegExp joined into one alternation, one replace (no pre-filter)
 *   baseline:oneRule  String.replace with one rule (GitHub tokens): the floor of "doing anything"
 * and prints the median ns/line of each, and redactText's ratio to each baseline.
 */
import { redactText, RULES } from '../src/core/redact';
import { fill } from '../test/unit/core/redact/canaries';

const clean = [
  'Activated in 42 ms (backend live).',
  'GET https://dev.azure.com/contoso/web/_apis/wit/workitems?ids=1,2,3&api-version=7.1 200 in 183 ms',
  'Moved AB#42 from New to Active (Agile / User Story).',
  'prompt tokens: 523, completion tokens: 88, maxTokens=4096',
  '[orchestrator] step 3/7: create branch feature/42-login-page from main',
  'Wrote 3 files: src/login.ts, src/login.test.ts, README.md',
  'Rate limited by GitHub; retrying after 12 s (X-RateLimit-Remaining: 0).',
  'Verified audit trail: 1204 events, head 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
];
const secret = [
  `Authorization: Bearer ${['gh', 'p_', fill(36)].join('')}`,
  `cloning https://ada:${fill(12)}@dev.azure.com/contoso/_git/web`,
  `{"password":"${fill(16)}","user":"ada"}`,
  `AZURE_DEVOPS_EXT_PAT=${fill(52, 'abcdefghijklmnopqrstuvwxyz234567')}`,
];
// 1 line in 20 holds a secret, the rest are ordinary log lines.
const lines: string[] = [];
for (let i = 0; i < 2000; i++) lines.push(i % 20 === 0 ? secret[(i / 20) % secret.length]! : clean[i % clean.length]!);
const prompt = Array.from({ length: 400 }, (_, i) => clean[i % clean.length]).join('\n'); // ~25 KB

// Named groups become plain ones: one alternation cannot repeat a name.
const combined = new RegExp(RULES.map((r) => `(?:${r.pattern.source.replace(/\(\?<([A-Za-z]+)>/g, '(')})`).join('|'), 'gi');
const oneRule = RULES.find((r) => r.id === 'github-token')!.pattern;

const candidates: Record<string, (s: string) => string> = {
  redactText,
  'baseline:combined': (s) => s.replace(combined, '[REDACTED]'),
  'baseline:oneRule': (s) => s.replace(oneRule, '[REDACTED]'),
};

function timeOnce(fn: (s: string) => string, input: readonly string[]): number {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (const line of input) sink += fn(line).length;
  const ns = Number(process.hrtime.bigint() - start);
  if (sink < 0) console.log(sink); // keeps the work observable so it is not optimised away
  return ns / input.length;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function run(label: string, input: readonly string[], rounds: number, unit: string, scale: number): void {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
  for (const fn of Object.values(candidates)) timeOnce(fn, input); // warm-up
  for (let r = 0; r < rounds; r++) for (const [name, fn] of Object.entries(candidates)) samples[name]!.push(timeOnce(fn, input));
  console.log(`\n${label}`);
  const ours = median(samples['redactText']!);
  for (const [name, xs] of Object.entries(samples)) {
    const m = median(xs);
    const ratio = name === 'redactText' ? '' : `  redactText is ${(ours / m).toFixed(2)}x this`;
    console.log(`  ${name.padEnd(18)} ${(m / scale).toFixed(0).padStart(8)} ${unit}${ratio}`);
  }
}

console.log(`node ${process.version}; ${lines.length} log lines (5% with a secret), ${RULES.length} rules`);
run('Log lines', lines, 30, 'ns/line', 1);
run(`A ${Math.round(prompt.length / 1024)} KB prompt`, [prompt], 30, 'µs/prompt', 1000);
