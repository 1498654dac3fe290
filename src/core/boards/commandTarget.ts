import { z } from 'zod';
import { type TrackerKind } from '../workItem';

/**
 * What a work item command was invoked on. From the trees it is a node; from a TODO lens, hover or
 * another extension it is `{ reference, key }` (core/todo/todoPresentation commandArgument), which
 * is validated here since it comes from outside the feature (a command link anyone can write).
 */
const ReferenceArgSchema = z.object({
  reference: z.discriminatedUnion('tracker', [
    z.object({ tracker: z.literal('azureBoards'), id: z.number().int().positive(), organization: z.string().optional(), project: z.string().optional() }),
    z.object({ tracker: z.literal('github'), id: z.number().int().positive(), owner: z.string().optional(), repo: z.string().optional() }),
  ]),
  key: z.string().optional(),
});

export interface ItemAddress {
  readonly tracker: TrackerKind;
  readonly id: number;
  /** `owner/repo` for a GitHub reference that names one. */
  readonly repository?: string;
}

/** The tracker and id a `{ reference, key }` argument names; undefined for anything else. */
export function addressFromReferenceArgument(arg: unknown): ItemAddress | undefined {
  const parsed = ReferenceArgSchema.safeParse(arg);
  if (!parsed.success) return undefined;
  const r = parsed.data.reference;
  if (r.tracker === 'azureBoards') return { tracker: 'azureBoards', id: r.id };
  return { tracker: 'github', id: r.id, ...(r.owner && r.repo ? { repository: `${r.owner}/${r.repo}` } : {}) };
}

/** The text that links a commit to the item: `AB#12` (Azure Boards' commit mention) or `owner/repo#5` / `#5`. */
export function commitReference(address: ItemAddress, currentRepository?: string): string {
  if (address.tracker === 'azureBoards') return `AB#${address.id}`;
  if (!address.repository || address.repository.toLowerCase() === currentRepository?.toLowerCase()) return `#${address.id}`;
  return `${address.repository}#${address.id}`;
}

/**
 * The commit message with the reference added: appended on the first line's end when the message
 * is one line, else on a line of its own at the end; unchanged when the reference is already there.
 */
export function withCommitReference(message: string, reference: string): string {
  const escaped = reference.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (new RegExp(`(^|[^\\w/#])${escaped}(?!\\d)`).test(message)) return message;
  const trimmed = message.replace(/\s+$/, '');
  if (trimmed === '') return reference;
  return trimmed.includes('\n') ? `${trimmed}\n${reference}` : `${trimmed} ${reference}`;
}
