import {
  getNamedType,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  type ValueNode,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import { MAX_PAGE_SIZE } from './connection';

export interface GitHubErrorJson {
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  message: string;
}

/** GitHub's limit on the nodes one query may ask for. */
export const MAX_NODES = 500_000;

function valueOf(node: ValueNode | undefined, variables: Readonly<Record<string, unknown>>): unknown {
  if (!node) return undefined;
  if (node.kind === Kind.VARIABLE) return variables[node.name.value];
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.NULL) return null;
  return undefined;
}

/**
 * GitHub's checks before a query runs ("resource limitations"): every connection needs `first` or
 * `last`, at most 100; the total node count stays under 500,000. Also the rate-limit cost: the
 * number of requests the query implies (each connection costs one request per parent node), /100,
 * at least 1.
 */
export function checkLimits(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): { errors: GitHubErrorJson[]; cost: number; nodeCount: number } {
  const errors: GitHubErrorJson[] = [];
  const typeInfo = new TypeInfo(schema);
  const path: string[] = [];
  // Multipliers of enclosing connections, so nested connections count per parent node.
  const multipliers: number[] = [1];
  let requests = 0;
  let nodes = 0;
  visit(
    operation,
    visitWithTypeInfo(typeInfo, {
      Field: {
        enter(node) {
          path.push(node.alias?.value ?? node.name.value);
          const def = typeInfo.getFieldDef();
          const type = def ? getNamedType(def.type) : undefined;
          const isConnection = !!def && !!type && type.name.endsWith('Connection') && def.args.some((a) => a.name === 'first');
          if (!isConnection) {
            multipliers.push(multipliers[multipliers.length - 1]!);
            return;
          }
          const arg = (name: string) => valueOf(node.arguments?.find((a) => a.name.value === name)?.value, variables);
          const first = arg('first');
          const last = arg('last');
          const where = { path: [operation.name ? `${operation.operation} ${operation.name.value}` : operation.operation, ...path], locations: node.loc ? [{ line: node.loc.startToken.line, column: node.loc.startToken.column }] : [] };
          const size = typeof first === 'number' ? first : typeof last === 'number' ? last : undefined;
          if (size === undefined) {
            errors.push({ type: 'MISSING_PAGINATION_BOUNDARIES', ...where, message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${node.name.value}\` connection.` });
          } else if (size > MAX_PAGE_SIZE) {
            const which = typeof first === 'number' ? 'first' : 'last';
            errors.push({ type: 'EXCESSIVE_PAGINATION', ...where, message: `Requesting ${size} records on the \`${node.name.value}\` connection exceeds the \`${which}\` limit of ${MAX_PAGE_SIZE} records.` });
          } else if (size < 0) {
            errors.push({ ...where, message: `\`${typeof first === 'number' ? 'first' : 'last'}\` on ${node.name.value} cannot be less than 0` });
          }
          const parent = multipliers[multipliers.length - 1]!;
          requests += parent;
          nodes += parent * (size ?? 0);
          multipliers.push(parent * Math.max(1, size ?? 1));
        },
        leave() {
          path.pop();
          multipliers.pop();
        },
      },
    }),
  );
  if (nodes > MAX_NODES) errors.push({ type: 'MAX_NODE_LIMIT_EXCEEDED', path: [], message: `This query requests up to ${nodes.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString('en-US')}.` });
  return { errors, cost: Math.max(1, Math.ceil(requests / 100)), nodeCount: nodes };
}
