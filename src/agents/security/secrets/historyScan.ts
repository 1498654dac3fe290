import { isDevOpsError } from '../../../core/errors';
import { type AgentContext } from '../../runtime/context';
import { type Finding } from '../../runtime/plan';
import { type Skipped } from '../dependencies/dependencyScan';
import { mayHoldSecret } from './candidates';
import { scanTextForSecrets } from './secretEngine';

export type HistoryScope = 'unpushed' | 'all';

const MARK = '@@@commit ';

/**
 * Secrets added by commits: the lines each commit added (git log -p through the runtime's command
 * runner), file by file, through the same engine. By default only commits not yet pushed (a
 * secret there can still be taken out before anyone has it); `all` reads the whole history.
 */
export async function scanHistory(ctx: AgentContext, scope: HistoryScope): Promise<{ findings: Finding[]; skipped: Skipped[]; commits: number | undefined }> {
  const range = scope === 'all' ? ['--all'] : ['HEAD@{upstream}..HEAD'];
  let stdout: string;
  try {
    const result = await ctx.commands.run({ file: 'git', args: ['log', '-p', '--no-color', '--no-ext-diff', '--no-textconv', '-U0', `--format=${MARK}%H`, ...range], why: `Look for secrets in the lines ${scope === 'all' ? 'every commit' : 'the commits not yet pushed'} added.`, timeoutMs: 10 * 60_000 });
    if (result.exitCode !== 0) {
      const why = /no upstream|upstream/i.test(result.stderr) ? 'this branch has no upstream, so no commit counts as not yet pushed; scan with --history all to read every commit' : result.stderr.trim().split('\n')[0]?.slice(0, 200) || `git exited with ${result.exitCode}`;
      return { findings: [], skipped: [{ category: 'secrets', why: `Git history not checked: ${why}.` }], commits: undefined };
    }
    stdout = result.stdout;
  } catch (error) {
    if (isDevOpsError(error) && error.code === 'cancelled') throw error;
    return { findings: [], skipped: [{ category: 'secrets', why: `Git history not checked: ${(error as Error).message}` }], commits: undefined };
  }
  const findings: Finding[] = [];
  let commits = 0;
  let commit = '';
  let file: string | undefined;
  let added: string[] = [];
  let firstLine = 1;
  const flush = async (): Promise<void> => {
    if (file && added.length) {
      const text = added.join('\n');
      if (mayHoldSecret(text)) findings.push(...(await scanTextForSecrets(text, { file, commit, lineOffset: firstLine - 1 })));
    }
    added = [];
  };
  for (const line of stdout.split('\n')) {
    if (line.startsWith(MARK)) {
      await flush();
      commit = line.slice(MARK.length).trim();
      commits++;
      file = undefined;
    } else if (line.startsWith('+++ ')) {
      await flush();
      file = line === '+++ /dev/null' ? undefined : line.slice(4).replace(/^b\//, '');
    } else if (line.startsWith('@@')) {
      await flush();
      firstLine = Number(/\+(\d+)/.exec(line)?.[1] ?? 1);
    } else if (line.startsWith('+') && file) added.push(line.slice(1));
  }
  await flush();
  return { findings, skipped: [], commits };
}
