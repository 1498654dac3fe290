import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * Checks a GraphQL answer against the schema the query ran on: every selected field is present,
 * non-null fields are not null, lists are lists, enums hold one of their values, scalars have
 * their wire form (DateTime, URI, GitObjectID...), and each object's __typename (added to every
 * selection) is a type the field may return. Problems come back as "path: what is wrong".
 */
export function withTypenames(query: string): DocumentNode {
  return visit(parse(query), {
    SelectionSet: (node: SelectionSetNode) => {
      if (node.selections.some((s) => s.kind === Kind.FIELD && s.name.value === '__typename' && !s.alias)) return undefined;
      return { ...node, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } }, ...node.selections] };
    },
  });
}

const SCALARS: Record<string, (v: unknown) => boolean> = {
  String: (v) => typeof v === 'string',
  ID: (v) => typeof v === 'string',
  Int: (v) => Number.isInteger(v),
  Float: (v) => typeof v === 'number',
  Boolean: (v) => typeof v === 'boolean',
  DateTime: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v),
  Date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
  // GitHub's URI scalar is an RFC 3986 URI reference: resourcePath is relative (`/orgs/x/projects/1`).
  URI: (v) => typeof v === 'string' && (URL.canParse(v) || /^\/[^\s]*$/.test(v)),
  HTML: (v) => typeof v === 'string',
  GitObjectID: (v) => typeof v === 'string' && /^[0-9a-f]{40}$/.test(v),
  BigInt: (v) => typeof v === 'string' && /^-?\d+$/.test(v),
};

export function checkResponse(schema: GraphQLSchema, document: DocumentNode, data: unknown): string[] {
  const problems: string[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return ['no operation'];
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return ['no root type'];

  const applies = (concrete: GraphQLObjectType, condition: string | undefined): boolean => {
    if (!condition || condition === concrete.name) return true;
    const t = schema.getType(condition);
    return !!t && isAbstractType(t) && schema.isSubType(t, concrete);
  };

  const fieldsOf = (set: SelectionSetNode, concrete: GraphQLObjectType, out: { key: string; name: string; set: SelectionSetNode | undefined }[]) => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) out.push({ key: s.alias?.value ?? s.name.value, name: s.name.value, set: s.selectionSet });
      else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (applies(concrete, s.typeCondition?.name.value)) fieldsOf(s.selectionSet, concrete, out);
      } else {
        const f = fragments.get(s.name.value);
        if (f && applies(concrete, f.typeCondition.name.value)) fieldsOf(f.selectionSet, concrete, out);
      }
    }
    return out;
  };

  const check = (type: GraphQLOutputType, value: unknown, set: SelectionSetNode | undefined, path: string): void => {
    if (isNonNullType(type)) {
      if (value === null || value === undefined) problems.push(`${path}: null for non-null ${String(type)}`);
      else check(type.ofType, value, set, path);
      return;
    }
    if (value === null) return;
    if (value === undefined) return void problems.push(`${path}: missing`);
    if (isListType(type)) {
      if (!Array.isArray(value)) return void problems.push(`${path}: not a list`);
      value.forEach((v, i) => check(type.ofType, v, set, `${path}[${i}]`));
      return;
    }
    if (isScalarType(type)) {
      const ok = SCALARS[type.name];
      if (ok && !ok(value)) problems.push(`${path}: ${JSON.stringify(value)} is not a ${type.name}`);
      return;
    }
    if (isEnumType(type)) {
      if (!type.getValues().some((v) => v.name === value)) problems.push(`${path}: ${JSON.stringify(value)} is not a ${type.name}`);
      return;
    }
    if (typeof value !== 'object' || Array.isArray(value)) return void problems.push(`${path}: not an object`);
    const obj = value as Record<string, unknown>;
    const named = getNamedType(type);
    const concrete = schema.getType(String(obj['__typename']));
    if (!concrete || !isObjectType(concrete)) return void problems.push(`${path}: __typename ${String(obj['__typename'])} is not an object type`);
    if (isAbstractType(named) ? !schema.isSubType(named, concrete) : named !== concrete) return void problems.push(`${path}: ${concrete.name} where ${named.name} is expected`);
    if (!set) return;
    for (const f of fieldsOf(set, concrete, [])) {
      if (f.name === '__typename') {
        if (obj[f.key] !== concrete.name) problems.push(`${path}.${f.key}: ${String(obj[f.key])}`);
        continue;
      }
      const def = concrete.getFields()[f.name];
      if (!def) {
        problems.push(`${path}.${f.key}: no field ${f.name} on ${concrete.name}`);
        continue;
      }
      if (!(f.key in obj)) {
        problems.push(`${path}.${f.key}: missing`);
        continue;
      }
      check(def.type, obj[f.key], f.set, `${path}.${f.key}`);
    }
  };

  const rootObj = { __typename: root.name, ...(data as Record<string, unknown>) };
  check(root, rootObj, operation.selectionSet, operation.operation);
  return problems;
}

export const printWithTypenames = (query: string): string => print(withTypenames(query));
