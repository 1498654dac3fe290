import { type GhContext } from '../http/context';
import { notFound } from '../http/errors';
import { type RepoRecord, type RunRecord } from '../state/model';

/** The run a route's `run_id` names, or 404 as GitHub answers. */
export function runOf(ctx: GhContext, repo: RepoRecord): RunRecord {
  const id = Number(ctx.param('run_id'));
  const r = repo.runs.find((x) => x.id === id);
  if (!r) throw notFound(ctx.docs);
  return r;
}
