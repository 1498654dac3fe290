import { type ASTNode, execute, getOperationAST, GraphQLError, Kind, parse, validate, visit, type DocumentNode, type ExecutionResult } from 'graphql';
import { type GitHubState } from '../state/state';
import { urlsFor } from '../render/urls';
import { GitHubGraphQLError } from './errors';
import { checkLimits, type GitHubErrorJson } from './limits';
import { mutationRoot, queryRoot } from './root';
import { githubSchema } from './schema';

export interface GraphQLRequestBody {
  readonly query?: unknown;
  readonly variables?: unknown;
  readonly operationName?: unknown;
}

export interface GraphQLOutcome {
  /** The JSON body (always answered with HTTP 200, as GitHub does for query errors). */
  readonly body: { data?: unknown; errors?: GitHubErrorJson[] };
  /** Rate-limit points the query cost (0 when it was refused before running). */
  readonly cost: number;
  /** False when the graphql budget had no room for the cost. */
  readonly rateLimited: boolean;
}

const loc = (e: GraphQLError) => (e.locations ? { locations: e.locations.map((l) => ({ line: l.line, column: l.column })) } : {});

/** How GitHub names the start of a path: `query`, `query Name`, `mutation Name`, `fragment Name`. */
export function operationLabel(kind: string, name: string | undefined): string {
  return name ? `${kind} ${name}` : kind;
}

/** The path GitHub reports for a validation error: the operation and the field names down to the node. */
function pathTo(document: DocumentNode, target: ASTNode | undefined): string[] {
  if (!target) return [];
  const stack: string[] = [];
  let found: string[] = [];
  // One generic visitor: graphql-js calls a kind's own visitor instead of the generic one, not both.
  const label = (n: ASTNode): string | undefined =>
    n.kind === Kind.OPERATION_DEFINITION
      ? operationLabel(n.operation, n.name?.value)
      : n.kind === Kind.FRAGMENT_DEFINITION
        ? operationLabel('fragment', n.name.value)
        : n.kind === Kind.FIELD
          ? (n.alias?.value ?? n.name.value)
          : undefined;
  visit(document, {
    enter: (n) => {
      const l = label(n);
      if (l !== undefined) stack.push(l);
      if (n === target) {
        found = [...stack];
        if (n.kind === Kind.ARGUMENT) found.push(n.name.value);
      }
      return undefined;
    },
    leave: (n) => {
      if (label(n) !== undefined) stack.pop();
      return undefined;
    },
  });
  return found;
}

/** graphql-js validation messages in GitHub's wording (GitHub runs graphql-ruby), with its extensions codes. */
function githubValidationError(e: GraphQLError, document: DocumentNode): GitHubErrorJson & { extensions?: Record<string, unknown> } {
  const m = e.message;
  const path = pathTo(document, e.nodes?.[0]);
  let r: RegExpExecArray | null;
  if ((r = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(m))) {
    return { path, ...loc(e), extensions: { code: 'undefinedField', typeName: r[2], fieldName: r[1] }, message: `Field '${r[1]}' doesn't exist on type '${r[2]}'` };
  }
  if ((r = /^Field "(\w+)" argument "(\w+)" of type "([^"]+)" is required, but it was not provided\./.exec(m))) {
    return { path, ...loc(e), extensions: { code: 'missingRequiredArguments', className: 'Field', name: r[1], arguments: r[2] }, message: `Field '${r[1]}' is missing required arguments: ${r[2]}` };
  }
  if ((r = /^Unknown argument "(\w+)" on field "(\w+)\.(\w+)"\./.exec(m))) {
    return { path, ...loc(e), extensions: { code: 'argumentNotAccepted', name: r[3], typeName: 'Field', argumentName: r[1] }, message: `Field '${r[3]}' doesn't accept argument '${r[1]}'` };
  }
  if ((r = /^Variable "\$(\w+)" is not defined/.exec(m))) {
    return { path, ...loc(e), extensions: { code: 'variableNotDefined', variableName: r[1] }, message: `Variable $${r[1]} is used but not declared` };
  }
  if ((r = /^Field "(\w+)" of type "([^"]+)" must have a selection of subfields/.exec(m))) {
    return { path, ...loc(e), extensions: { code: 'selectionMismatch', nodeName: `field '${r[1]}'`, typeName: r[2]!.replace(/[![\]]/g, '') }, message: `Field must have selections (field '${r[1]}' returns ${r[2]!.replace(/[![\]]/g, '')} but has no selections. Did you mean '${r[1]} { ... }'?)` };
  }
  return { path, ...loc(e), message: m };
}

/** An execution error as GitHub lists it: `type` at the top level, `path`, `locations`, `message`. */
function githubExecutionError(e: GraphQLError): GitHubErrorJson {
  const original = e.originalError;
  const type = original instanceof GitHubGraphQLError ? original.type : e instanceof GitHubGraphQLError ? e.type : undefined;
  return { ...(type ? { type } : {}), path: e.path ? [...e.path] : [], ...loc(e), message: e.message };
}

/**
 * Projects (v2) fields need the token's `project` scope (`read:project` is enough to read); without
 * it GitHub answers INSUFFICIENT_SCOPES for the first such field and runs nothing.
 */
function missingProjectScope(document: DocumentNode, operation: 'query' | 'mutation' | 'subscription', granted: readonly string[]): GitHubErrorJson[] {
  const accepted = operation === 'mutation' ? ['project'] : ['read:project', 'project'];
  if (accepted.some((s) => granted.includes(s))) return [];
  let hit: { name: string; node: ASTNode & { loc?: { startToken: { line: number; column: number } } } } | undefined;
  visit(document, {
    Field: (n) => {
      if (!hit && /projectV2|ProjectV2|projectsV2|projectItems/.test(n.name.value)) hit = { name: n.name.value, node: n };
      return undefined;
    },
  });
  if (!hit) return [];
  const where = hit.node.loc ? { locations: [{ line: hit.node.loc.startToken.line, column: hit.node.loc.startToken.column }] } : {};
  return [
    {
      type: 'INSUFFICIENT_SCOPES',
      ...where,
      message: `Your token has not been granted the required scopes to execute this query. The '${hit.name}' field requires one of the following scopes: [${accepted.map((s) => `'${s}'`).join(', ')}], but your token has only been granted the: [${granted.map((s) => `'${s}'`).join(', ')}] scopes. Please modify your token's scopes at: https://github.com/settings/tokens.`,
    },
  ];
}

/** Clients send the same few query texts again and again (with other variables), so parsed and validated documents are kept. */
const documents = new Map<string, { document: DocumentNode } | { errors: GitHubErrorJson[] }>();
const MAX_CACHED_DOCUMENTS = 200;

function parseAndValidate(query: string): { document: DocumentNode } | { errors: GitHubErrorJson[] } {
  const hit = documents.get(query);
  if (hit) return hit;
  let result: { document: DocumentNode } | { errors: GitHubErrorJson[] };
  try {
    const document = parse(query);
    const invalid = validate(githubSchema(), document);
    result = invalid.length > 0 ? { errors: invalid.map((e) => githubValidationError(e, document)) } : { document };
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const where = error.locations?.[0];
    const detail = error.message.replace(/^Syntax Error: /, '');
    result = { errors: [{ message: `Parse error on ${detail}${where ? ` at [${where.line}, ${where.column}]` : ''}`, ...loc(error) }] };
  }
  if (documents.size >= MAX_CACHED_DOCUMENTS) documents.delete(documents.keys().next().value!);
  documents.set(query, result);
  return result;
}

/**
 * Runs one GraphQL request the way api.github.com does: parse and validate against GitHub's real
 * schema, refuse connections without `first`/`last` or above 100 records before anything runs,
 * charge the query's cost to the `graphql` budget, then execute with the stand-in's resolvers.
 * Errors come back in the `errors` array with HTTP 200.
 */
export async function executeGitHubGraphQL(
  state: GitHubState,
  login: string,
  apiBase: string,
  request: GraphQLRequestBody,
  /** Called once the query is admitted and charged, before it runs; may throw to refuse (secondary limit). */
  beforeRun?: (operation: 'query' | 'mutation' | 'subscription') => void,
): Promise<GraphQLOutcome> {
  const refuse = (errors: GitHubErrorJson[]): GraphQLOutcome => ({ body: { errors }, cost: 0, rateLimited: false });
  if (typeof request.query !== 'string') return refuse([{ message: 'A query attribute must be specified and must be a string.' }]);
  const variables = request.variables ?? {};
  if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return refuse([{ message: 'Variables are invalid JSON.' }]);
  const schema = githubSchema();
  const checked = parseAndValidate(request.query);
  if ('errors' in checked) return refuse(checked.errors);
  const document = checked.document;
  const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
  const operation = getOperationAST(document, operationName);
  if (!operation) {
    return refuse([{ message: operationName ? `No operation named "${operationName}"` : 'An operation name is required' }]);
  }
  const vars = variables as Record<string, unknown>;
  const limits = checkLimits(schema, operation, vars);
  if (limits.errors.length > 0) return refuse(limits.errors);

  const scopeErrors = missingProjectScope(document, operation.operation, state.scopes);
  if (scopeErrors.length > 0) return refuse(scopeErrors);

  const cost = limits.cost;
  if (!state.limits.spend('graphql', cost)) {
    const user = state.user(login);
    return { body: { errors: [{ type: 'RATE_LIMITED', message: `API rate limit already exceeded for user ID ${user?.id ?? 0}.` }] }, cost, rateLimited: true };
  }
  beforeRun?.(operation.operation);
  const ctx = { state, login, urls: urlsFor(apiBase) };
  const rate = () => {
    const s = state.limits.snapshot('graphql');
    return { cost, nodeCount: limits.nodeCount, limit: s.limit, remaining: s.remaining, used: s.used, resetAt: new Date(s.reset * 1000).toISOString() };
  };
  const rootValue = operation.operation === 'mutation' ? mutationRoot(ctx) : queryRoot(ctx, rate);
  const result: ExecutionResult = await execute({ schema, document, rootValue, contextValue: ctx, variableValues: vars, operationName });
  const body: GraphQLOutcome['body'] = {};
  if (result.data !== undefined) body.data = result.data;
  if (result.errors && result.errors.length > 0) body.errors = result.errors.map(githubExecutionError);
  return { body, cost, rateLimited: false };
}
