import { BLOCKED_TAG, hasTag, parseTags } from '../../process';

/**
 * When an item became blocked, from its history: the moment of the change that made it blocked
 * after it last was not (a later unblock and block again starts the clock again). "Blocked too
 * long" is measured from there, not from the item's last change (a comment or a re-estimate on a
 * blocked item does not make it any less stuck).
 */

/** One revision of an Azure Boards work item: when, and the fields it changed (the updates API). */
export interface FieldRevision {
  readonly at: string;
  readonly fields: Readonly<Record<string, { readonly newValue?: unknown }>>;
}

export const AZURE_BLOCKED_FIELD = 'Microsoft.VSTS.CMMI.Blocked';

/** Azure Boards: blocked is the Blocked tag, or the Blocked field (CMMI, Scrum tasks) set to Yes. */
export function azureBlockedSince(revisions: readonly FieldRevision[]): string | undefined {
  let tags: unknown;
  let field: unknown;
  let since: string | undefined;
  for (const r of revisions) {
    const was = blockedBy(tags, field);
    if ('System.Tags' in r.fields) tags = r.fields['System.Tags']?.newValue;
    if (AZURE_BLOCKED_FIELD in r.fields) field = r.fields[AZURE_BLOCKED_FIELD]?.newValue;
    const is = blockedBy(tags, field);
    if (is && !was) since = r.at;
    if (!is) since = undefined;
  }
  return since;
}

const blockedBy = (tags: unknown, field: unknown): boolean => (typeof field === 'string' && field.trim().toLowerCase() === 'yes') || hasTag(parseTags(typeof tags === 'string' ? tags : undefined), BLOCKED_TAG);

/** One event of a GitHub issue's history: a label added or removed, or its Project item's Status changed. */
export type IssueHistoryEvent =
  | { readonly kind: 'labeled' | 'unlabeled'; readonly at: string; readonly label: string }
  | { readonly kind: 'status'; readonly at: string; readonly status: string | null };

/**
 * GitHub: blocked is a `blocked` (or `status: blocked`) label, or the Project item's Status named
 * Blocked; the events arrive in any order and are read oldest first.
 */
export function githubBlockedSince(events: readonly IssueHistoryEvent[], isBlockedLabel: (name: string) => boolean): string | undefined {
  const labels = new Set<string>();
  let status: string | null = null;
  let since: string | undefined;
  for (const e of [...events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
    const was = labels.size > 0 || isBlockedStatus(status);
    if (e.kind === 'status') status = e.status;
    else if (isBlockedLabel(e.label)) {
      if (e.kind === 'labeled') labels.add(e.label.toLowerCase());
      else labels.delete(e.label.toLowerCase());
    }
    const is = labels.size > 0 || isBlockedStatus(status);
    if (is && !was) since = e.at;
    if (!is) since = undefined;
  }
  return since;
}

const isBlockedStatus = (status: string | null): boolean => status !== null && /^blocked$/i.test(status.trim());
