import { type OutboxEntrySummary } from './workTracker';

/**
 * The status bar item for remote changes waiting in the outbox: hidden when nothing waits, a
 * warning when a change conflicts with an edit made on the service meanwhile or has failed for good.
 */
export interface OutboxStatus {
  readonly visible: boolean;
  /** With codicons: `$(cloud-upload) 3`. */
  readonly text: string;
  readonly tooltip: string;
  readonly warning: boolean;
  readonly pending: number;
  readonly conflicts: number;
  readonly failed: number;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function outboxStatus(entries: readonly OutboxEntrySummary[]): OutboxStatus {
  const pending = entries.filter((e) => e.state === 'pending').length;
  const conflicts = entries.filter((e) => e.state === 'conflict').length;
  const failed = entries.filter((e) => e.state === 'failed').length;
  const total = entries.length;
  if (total === 0) return { visible: false, text: '', tooltip: 'No remote changes waiting.', warning: false, pending, conflicts, failed };
  const warning = conflicts + failed > 0;
  const parts: string[] = [];
  if (pending) parts.push(`${plural(pending, 'change')} waiting to be sent`);
  if (conflicts) parts.push(`${plural(conflicts, 'conflict')} to resolve`);
  if (failed) parts.push(`${plural(failed, 'change')} that failed`);
  const lastError = entries.find((e) => e.lastError)?.lastError;
  const tooltip = `AI DevOps: ${parts.join(', ')}.${lastError ? ` Last error: ${lastError}` : ''} Click to review.`;
  return { visible: true, text: `$(${warning ? 'warning' : 'cloud-upload'}) ${total}`, tooltip, warning, pending, conflicts, failed };
}

/** A quick pick row for one entry. */
export function outboxEntryLabel(entry: OutboxEntrySummary): { label: string; description: string; detail: string } {
  const icon = entry.state === 'conflict' ? '$(warning)' : entry.state === 'failed' ? '$(error)' : '$(cloud-upload)';
  const tracker = entry.tracker === 'azureBoards' ? 'Azure Boards' : 'GitHub';
  const attempts = `${plural(entry.attempts, 'attempt')}`;
  return {
    label: `${icon} ${entry.description}`,
    description: `${tracker} · ${entry.state} · ${attempts}`,
    detail: entry.lastError ? `Queued ${entry.createdAt.replace('T', ' ').slice(0, 16)} · ${entry.lastError}` : `Queued ${entry.createdAt.replace('T', ' ').slice(0, 16)}`,
  };
}
