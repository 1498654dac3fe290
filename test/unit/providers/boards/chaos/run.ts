import { runChaos, type ChaosFigures } from './chaosRun';

/**
 * Prints the chaos run's figures per seed: `npx tsx test/unit/providers/boards/chaos/run.ts [writes] seed...`
 * (default 300 writes, seeds 1 2 3). TRACE=1 prints every error the user was shown.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2).map(Number);
  const writes = args.length > 1 ? args[0]! : 300;
  const seeds = args.length > 1 ? args.slice(1) : args.length === 1 ? args : [1, 2, 3];
  const rows: ChaosFigures[] = [];
  for (const seed of seeds) {
    const figures = await runChaos({ seed, writes, ...(process.env.TRACE ? { trace: (l: string) => console.log(`  ${l}`) } : {}) });
    rows.push(figures);
    console.log(JSON.stringify({ ...figures, problems: undefined }));
    for (const p of figures.problems) console.log(`  ${p}`);
  }
  const faults = (f: ChaosFigures) => Object.entries(f.faults).map(([k, v]) => `${k} ${v.read}/${v.write}`).join(', ');
  console.log('\n| seed | writes | faults (read/write by kind) | applied | doubled | stuck | mismatched | misreported | conflicts | Send Now after restart | left | requests | s |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const f of rows) {
    console.log(`| ${f.seed} | ${f.writes} | ${f.faultTotal}: ${faults(f)} | ${f.applied} | ${f.doubled} | ${f.stuck} | ${f.mismatched} | ${f.misreported} | ${f.conflicts} | ${f.sentAfterRestart} sent, ${f.triedAfterRestart} tried of ${f.pendingAtRestart} | ${f.outboxLeft} | ${f.requests} | ${f.seconds.toFixed(1)} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
