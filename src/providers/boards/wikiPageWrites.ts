import { z } from 'zod';
import { type WikiPageOutcome, type WriteRequestOptions } from '../../core/boards/codeHost';
import { type Outbox } from '../../core/boards/outbox';
import { type WriteTarget } from '../../core/boards/writeTarget';
import { WIKI_PAGE_KIND } from './azureBoards/projectWiki';

const ResultSchema = z.object({ url: z.string(), created: z.boolean() }).loose();

/** Writes a page of the project wiki through the outbox, to `target`, as CodeHosts.writeWikiPage promises. */
export async function sendWikiPage(outbox: Outbox, target: WriteTarget, path: string, content: string, write: WriteRequestOptions): Promise<WikiPageOutcome> {
  const outcome = await outbox.send(
    {
      target,
      kind: WIKI_PAGE_KIND,
      subject: 'wiki',
      // A later write of the same page waits behind this one, so the last one planned is the one kept.
      touches: [`page ${path}`],
      payload: { path, content },
      description: `Wiki page ${path}`,
      clientId: write.clientId,
      ...(write.correlationId ? { correlationId: write.correlationId } : {}),
    },
    write.signal ? { signal: write.signal } : {},
  );
  switch (outcome.kind) {
    case 'applied': {
      // A page replayed from an entry queued by an older version answers nothing: say what is known.
      const result = ResultSchema.safeParse(outcome.result);
      return { kind: 'applied', url: result.success ? result.data.url : undefined, created: result.success ? result.data.created : undefined };
    }
    case 'queued':
      return { kind: 'queued', reason: outcome.reason };
    case 'conflict':
    case 'refused':
      return { kind: 'refused', message: outcome.message };
  }
}
