import { z } from 'zod';
import { type AdoContext, ok } from '../http/context';
import { type AdoRouteDef } from '../http/routes';
import { type FieldDef } from '../state/fields';
import { runWiql } from '../wiql/run';

const WiqlSchema = z.object({ query: z.string() });

function fieldRef(ctx: AdoContext, f: FieldDef): Record<string, unknown> {
  return { referenceName: f.referenceName, name: f.name, url: `${ctx.orgUrl}/_apis/wit/fields/${f.referenceName}` };
}

const ref = (ctx: AdoContext, id: number) => ({ id, url: `${ctx.orgUrl}/_apis/wit/workItems/${id}` });

export const witQueryRoutes: readonly AdoRouteDef[] = [
  {
    name: 'wit.wiql',
    method: 'POST',
    location: '1a9c53f7-f243-4447-b110-35ef023636e4',
    contract: { file: 'workItemTracking', path: '/{organization}/{project}/{team}/_apis/wit/wiql' },
    handler: (ctx) => {
      const { query } = ctx.json(WiqlSchema);
      const project = ctx.project();
      const team = project ? (ctx.team(project) ?? ctx.state.defaultTeam(project)) : undefined;
      const now = ctx.state.now();
      const result = runWiql(
        query,
        { state: ctx.state, user: ctx.user, project, team, now, timePrecision: ctx.query('timePrecision') === 'true' },
        ctx.queryInt('$top'),
      );
      return ok({
        queryType: result.queryType,
        queryResultType: result.queryResultType,
        asOf: result.asOf.toISOString(),
        columns: result.columns.map((c) => fieldRef(ctx, c)),
        sortColumns: result.sortColumns.map((s) => ({ field: fieldRef(ctx, s.field), descending: s.descending })),
        ...(result.workItems ? { workItems: result.workItems.map((id) => ref(ctx, id)) } : {}),
        ...(result.relations
          ? {
              workItemRelations: result.relations.map((r) => ({
                ...(r.rel ? { rel: r.rel } : {}),
                ...(r.sourceId !== null ? { source: ref(ctx, r.sourceId) } : {}),
                target: ref(ctx, r.targetId),
              })),
            }
          : {}),
      });
    },
  },
];
