import { isDevOpsError } from '../../../core/errors';
import { type AgentContext } from '../../runtime/context';
import { type Finding } from '../../runtime/plan';
import { mayHoldSecret, ripgrepAnchorPattern } from './candidates';
import { scanTextForSecrets } from './secretEngine';

/** Files that are never text a secret is typed into: not read at all. */
const BINARY = /\.(?:png|jpe?g|gif|bmp|ico|webp|avif|tiff?|psd|pdf|zip|gz|tgz|bz2|xz|7z|rar|jar|war|ear|class|dll|exe|so|dylib|o|a|lib|bin|wasm|woff2?|ttf|otf|eot|mp[34]|m4a|wav|ogg|flac|mov|avi|mkv|webm|sqlite3?|db|pyc|pyo|node|vsix|nupkg|snk)$/i;
/** Our own output and the sandbox's demo data, not the project's. */
export const NOT_SCANNED = ['.devops/reports/**', '.devops/sandbox/**', '.devops/security-baseline.json'];

export interface SecretScanStats {
  /** How candidates were found: ripgrep named them, or every listed file was read here. */
  readonly engine: 'ripgrep' | 'read';
  /** Why ripgrep was not used, when it was not (a whole-workspace scan only). */
  readonly fallbackWhy?: string;
  /** Files looked at: ripgrep's count of the files it searched, or the files listed and read. */
  readonly listed: number;
  /** Files read (each once). */
  readonly read: number;
  /** Files that held an anchor and went to the rules. */
  readonly candidates: number;
  /** Files that are not UTF-8 text (binary or another encoding) and were left alone. */
  readonly notText: number;
  readonly truncated: boolean;
}

export const MAX_SECRET_FILES = 200_000;
const IN_FLIGHT = 32;

/**
 * Secrets in the workspace's files (or only `only`, the files just saved). A whole-workspace scan
 * first asks ripgrep for the files holding text some rule needs (candidates.ts), so a file that
 * cannot hold a secret is never read here at all; without ripgrep every file is read once through
 * the runtime's guarded reader and kept only when it holds such text. Only candidates go to
 * secretlint's engine.
 */
export async function scanWorkspaceSecrets(ctx: Pick<AgentContext, 'files' | 'signal'>, only?: readonly string[]): Promise<{ findings: Finding[]; stats: SecretScanStats }> {
  let engine: SecretScanStats['engine'] = 'read';
  let fallbackWhy: string | undefined;
  let listing: { readonly paths: readonly string[]; readonly truncated: boolean; readonly searched?: number };
  if (only) listing = { paths: only, truncated: false };
  else {
    const found = await ctx.files.search(['**'], ripgrepAnchorPattern(), { ignore: NOT_SCANNED, max: MAX_SECRET_FILES });
    if (found.engine === 'ripgrep') {
      engine = 'ripgrep';
      listing = { paths: found.paths, truncated: found.truncated, searched: found.searched };
    } else {
      fallbackWhy = found.why;
      listing = await ctx.files.list(['**'], { ignore: NOT_SCANNED, max: MAX_SECRET_FILES });
    }
  }
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
      // ripgrep's single case-insensitive pattern is a superset: the exact anchors are asked again.
      if (!mayHoldSecret(text)) continue;
      candidates++;
      findings.push(...(await scanTextForSecrets(text, { file: path })));
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, paths.length) }, worker));
  findings.sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
  const listed = listing.searched ?? listing.paths.length;
  return { findings, stats: { engine, ...(fallbackWhy !== undefined ? { fallbackWhy } : {}), listed, read, candidates, notText, truncated: listing.truncated } };
}
