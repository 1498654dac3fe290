import { GRAPHQL_ROUTE } from '../http/auth';
import { badRequest } from '../http/errors';
import { chargeContent, rateHeadersOf, type GhRouteDef } from '../http/routes';
import { executeGitHubGraphQL, type GraphQLRequestBody } from '../graphql/execute';

const DOCS = 'https://docs.github.com/graphql';

/** POST /graphql: GitHub's GraphQL API (see graphql/execute.ts). */
export const graphqlRoutes: readonly GhRouteDef[] = [
  {
    name: GRAPHQL_ROUTE,
    method: 'POST',
    pattern: '/graphql',
    docs: DOCS,
    // The query's cost goes to the graphql budget (charged by the executor), not one request to core.
    free: true,
    handler: async (ctx) => {
      let request: GraphQLRequestBody;
      try {
        request = JSON.parse(ctx.req.body.toString('utf8') || 'null') as GraphQLRequestBody;
      } catch {
        throw badRequest('Problems parsing JSON', DOCS);
      }
      if (typeof request !== 'object' || request === null) throw badRequest('Problems parsing JSON', DOCS);
      const limits = ctx.state.limits;
      try {
        // Mutations are content-creating requests for the secondary limit, as on GitHub.
        const outcome = await executeGitHubGraphQL(ctx.state, ctx.login, ctx.apiBase, request, (op) => op === 'mutation' && chargeContent(ctx.state));
        return { status: 200, body: outcome.body };
      } finally {
        rateHeadersOf.set(ctx.req, limits.headers(limits.snapshot('graphql')));
      }
    },
  },
];
