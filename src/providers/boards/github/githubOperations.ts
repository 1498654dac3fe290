import { z } from 'zod';
import { type OutboxJson } from '../../../core/boards/outbox';

/**
 * The writes the GitHub trackers make, as data: what the first attempt sends and what the outbox
 * keeps (and replays) when it could not be sent. Every write can tell whether it was already made:
 * a state or assignee write compares the remote item; a comment or a new issue carries the client
 * id marker in its body; a Status write compares the item's Status.
 */
const number = z.number().int().positive();

export const GitHubOpSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('changeState'), number, state: z.string().min(1), expectedUpdatedAt: z.string() }),
  z.object({ op: z.literal('assignToMe'), number, expectedUpdatedAt: z.string() }),
  /** `body` already carries the client id marker. */
  z.object({ op: z.literal('addComment'), number, body: z.string().min(1) }),
  z.object({
    op: z.literal('create'),
    title: z.string().min(1),
    body: z.string(),
    labels: z.array(z.string()),
    assignToMe: z.boolean(),
    parentId: number.nullable(),
  }),
  z.object({ op: z.literal('setStatus'), projectNumber: number, itemId: z.string().min(1), status: z.string().min(1), expectedStatus: z.string().nullable() }),
]);
export type GitHubOp = z.infer<typeof GitHubOpSchema>;

export const opToJson = (op: GitHubOp): OutboxJson => op as unknown as OutboxJson;
