import { type OutboxEntrySummary } from './workTracker';

/**
 * The status bar item for remote changes waiting in the outbox: hidden when nothing waits, a
 * warning when a change waits for the user (it conflicts with an edit made on the service
 * meanwhile, or the service refused it).
 */
export interface OutboxStatus {
  readonly visible: boolean;
  /** With codicons: `$(cloud-upload) 3`. */
  readonly text: string;
  readonly tooltip: string;
  readonly warning: boolean;
  /** Will be sent from this window. */
  readonly pending: number;
  readonly conflicts: number;
  readonly refused: number;
  /** Pending, but for another connection or account: sent only from a window connected there. */
  readonly elsewhere: number;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function outboxStatus(entries: readonly OutboxEntrySummary[]): OutboxStatus {
  const elsewhere = entries.filter((e) => e.state === 'pending' && e.elsewhere !== undefined).length;
  const pending = entries.filter((e) => e.state === 'pending').length - elsewhere;
  const conflicts = entries.filter((e) => e.state === 'conflict').length;
  const refused = entries.filter((e) => e.state === 'refused').length;
  const total = entries.length;
  if (total === 0) return { visible: false, text: '', tooltip: 'No remote changes waiting.', warning: false, pending, conflicts, refused, elsewhere };
  const warning = conflicts + refused > 0;
  const parts: string[] = [];
  if (pending) parts.push(`${plural(pending, 'change')} waiting to be sent`);
  if (conflicts) parts.push(`${plural(conflicts, 'conflict')} to resolve`);
  if (refused) parts.push(`${plural(refused, 'change')} the service refused`);
  if (elsewhere) parts.push(`${plural(elsewhere, 'change')} for another repository, project or account (sent only from a window connected to it)`);
  const lastError = entries.find((e) => e.lastError && e.elsewhere === undefined)?.lastError;
  const tooltip = `AI DevOps: ${parts.join(', ')}.${lastError ? ` Last error: ${lastError}` : ''} Click to review.`;
  return { visible: true, text: `$(${warning ? 'warning' : 'cloud-upload'}) ${total}`, tooltip, warning, pending, conflicts, refused, elsewhere };
}

/** A quick pick row for one entry. */
export function outboxEntryLabel(entry: OutboxEntrySummary): { label: string; description: string; detail: string } {
  const icon = entry.state === 'conflict' ? '$(warning)' : entry.state === 'refused' ? '$(error)' : entry.elsewhere !== undefined ? '$(link-external)' : '$(cloud-upload)';
  const state = entry.state === 'pending' && entry.elsewhere !== undefined ? 'waits for another window' : entry.state;
  const queued = `Queued ${entry.createdAt.replace('T', ' ').slice(0, 16)}`;
  const why = entry.elsewhere ?? entry.lastError;
  return {
    label: `${icon} ${entry.description}`,
    description: `${entry.where} · ${state} · ${plural(entry.attempts, 'attempt')}`,
    detail: why ? `${queued} · ${why}` : queued,
  };
}
