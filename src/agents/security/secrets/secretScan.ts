import { isDevOpsError } from '../../../core/errors';
import { type AgentContext } from '../../runtime/context';
import { type Finding } from '../../runtime/plan';
import { mayHoldSecret } from './candidates';
import { scanTextForSecrets } from './secretEngine';

/** Files that are never text a secret is typed into: not read at all. */
const BINARY = /\.(?:png|jpe?g|gif|bmp|ico|webp|avif|tiff?|psd|pdf|zip|gz|tgz|bz2|xz|7z|rar|jar|war|ear|class|dll|exe|so|dylib|o|a|lib|bin|wasm|woff2?|ttf|otf|eot|mp[34]|m4a|wav|ogg|flac|mov|avi|mkv|webm|sqlite3?|db|pyc|pyo|node|vsix|nupkg|snk)$/i;
/** Our own output and the sandbox's demo data, not the project's. */
export const NOT_SCANNED = ['.devops/reports/**', '.devops/sandbox/**', '.devops/security-baseline.json'];

export interface SecretScanStats {
  readonly listed: number;
  /** Files read (each once). */
  readonly read: number;
  /** Files that held an anchor and went to the rules. */
  readonly candidates: number;
  /** Files that are not UTF-8 text (binary or another encoding) and were left alone. */
  readonly notText: number;
  readonly truncated: boolean;
}

const MAX_FILES = 200_000;
const IN_FLIGHT = 32;

/**
 * Secrets in the workspace's files (or only `only`, the files just saved): each file is read once
 * through the runtime's guarded reader, kept only when it holds text some rule needs, and only
 * those go to secretlint's engine.
 */
export async function scanWorkspaceSecrets(ctx: AgentContext, only?: readonly string[]): Promise<{ findings: Finding[]; stats: SecretScanStats }> {
  const listing = only ? { paths: only, truncated: false } : await ctx.files.list(['**'], { ignore: NOT_SCANNED, max: MAX_FILES });
  const paths = listing.paths.filter((p) => !BINARY.test(p));
  const findings: Finding[] = [];
  let read = 0;
  let candidates = 0;
  let notText = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      if (ctx.signal.aborted) return;
      const path = paths[next++]!;
      let text: string | undefined;
      try {
        text = (await ctx.files.read(path))?.text;
      } catch (error) {
        if (isDevOpsError(error) && error.code === 'invalidInput') {
          notText++;
          continue;
        }
        throw error;
      }
      if (text === undefined) continue;
      read++;
      if (!mayHoldSecret(text)) continue;
      candidates++;
      findings.push(...(await scanTextForSecrets(text, { file: path })));
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, paths.length) }, worker));
  findings.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
  return { findings, stats: { listed: listing.paths.length, read, candidates, notText, truncated: listing.truncated } };
}
