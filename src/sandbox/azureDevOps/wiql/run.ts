import { badRequest } from '../http/errors';
import { type FieldDef } from '../state/fields';
import { parseAsOf, workItemAsOf } from '../state/history';
import { type WorkItemRecord } from '../state/model';
import { linkType, targetIdOf } from '../state/relations';
import { type Expr, type FieldRef, type Query, type Value } from './ast';
import { evaluate, LINK_TYPE_FIELD, resolveField, sortKey, type EvalContext, type Row } from './evaluate';
import { parseWiql } from './parser';

/**
 * The service's hard cap on a query's result (VS402337). `$top` cuts an answer short, silently,
 * but does not lift the cap: a `$top` above it is held to the cap too (the strict reading of the
 * documented limit, so a client that asks for more cannot pass here and fail on the service).
 */
export const WIQL_RESULT_LIMIT = 20_000;

/** Whether a query matching `count` rows is refused: more than the cap and no `$top` within it. */
const overLimit = (count: number, top: number | undefined): boolean => count > WIQL_RESULT_LIMIT && (top === undefined || top > WIQL_RESULT_LIMIT);

export interface LinkResult {
  readonly rel: string | null;
  readonly sourceId: number | null;
  readonly targetId: number;
}

export interface QueryResult {
  readonly queryType: 'flat' | 'oneHop' | 'tree';
  readonly queryResultType: 'workItem' | 'workItemLink';
  readonly columns: readonly FieldDef[];
  readonly sortColumns: readonly { readonly field: FieldDef; readonly descending: boolean }[];
  readonly workItems?: readonly number[];
  readonly relations?: readonly LinkResult[];
  /** The moment the query was evaluated at: its ASOF date, or now. */
  readonly asOf: Date;
}

function conjuncts(expr: Expr | undefined): Expr[] {
  if (!expr) return [];
  return expr.kind === 'and' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr];
}

function refsOf(expr: Expr, out = new Set<'source' | 'target' | 'link'>()): Set<'source' | 'target' | 'link'> {
  const add = (f: FieldRef) => out.add(f.name.toLowerCase() === LINK_TYPE_FIELD ? 'link' : (f.end ?? 'source'));
  const addValue = (v: Value) => {
    if (v.kind === 'field') add(v.field);
  };
  switch (expr.kind) {
    case 'and':
    case 'or':
      refsOf(expr.left, out);
      refsOf(expr.right, out);
      break;
    case 'not':
      refsOf(expr.expr, out);
      break;
    case 'in':
      add(expr.field);
      expr.values.forEach(addValue);
      break;
    default:
      add(expr.field);
      addValue(expr.value);
  }
  return out;
}

const all = (exprs: Expr[], row: Row, ctx: EvalContext) => exprs.every((e) => evaluate(e, row, ctx));

function sorter(orderBy: Query['orderBy']): (a: WorkItemRecord, b: WorkItemRecord) => number {
  return (a, b) => {
    for (const { field, descending } of orderBy) {
      const ka = sortKey(a, field);
      const kb = sortKey(b, field);
      if (ka === kb) continue;
      const less = ka < kb ? -1 : 1;
      return descending ? -less : less;
    }
    return a.id - b.id;
  };
}

/** Sorts with each item's keys computed once (decorate, sort, undecorate): ORDER BY over 20,000 items stays cheap. */
function sortItems(items: WorkItemRecord[], orderBy: Query['orderBy']): WorkItemRecord[] {
  const decorated = items.map((item) => ({ item, keys: orderBy.map((o) => sortKey(item, o.field)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < orderBy.length; i++) {
      const ka = a.keys[i] as string | number;
      const kb = b.keys[i] as string | number;
      if (ka === kb) continue;
      const less = ka < kb ? -1 : 1;
      return orderBy[i]?.descending ? -less : less;
    }
    return a.item.id - b.item.id;
  });
  return decorated.map((d) => d.item);
}

function limitExceeded(count: number): never {
  throw badRequest(
    'WorkItemTrackingQueryResultSizeLimitExceededException',
    `VS402337: The number of work items returned exceeds the size limit of ${WIQL_RESULT_LIMIT}. Change the query to return fewer items.`,
    { resultCount: count },
  );
}

function workItemLinks(item: WorkItemRecord, lookup: (id: number) => WorkItemRecord | undefined): { rel: string; target: WorkItemRecord }[] {
  return item.relations.flatMap((r) => {
    const type = linkType(r.rel);
    const id = targetIdOf(r);
    const target = id === undefined ? undefined : lookup(id);
    return type?.opposite && target ? [{ rel: type.referenceName, target }] : [];
  });
}

export function runWiql(text: string, ctx: EvalContext, top: number | undefined): QueryResult {
  const query = parseWiql(text);
  // ASOF: every item (and every link's target) as its revisions say it stood at that moment.
  const at = query.asOf === undefined ? undefined : parseAsOf(query.asOf, ctx.now);
  const asOf = at === undefined ? ctx.now : new Date(at);
  const lookup = (id: number): WorkItemRecord | undefined => {
    const item = ctx.state.workItem(id);
    return item && at !== undefined ? workItemAsOf(item, at) : item;
  };
  const columns = query.fields.map((f) => resolveField(f)).filter((d): d is FieldDef => d !== 'linkType');
  const sortColumns = query.orderBy.map((o) => ({ field: resolveField(o.field), descending: o.descending })).filter((s): s is { field: FieldDef; descending: boolean } => s.field !== 'linkType');
  const order = sorter(query.orderBy);
  const items = at === undefined ? ctx.state.doc.workItems : ctx.state.doc.workItems.flatMap((item) => workItemAsOf(item, at) ?? []);

  if (query.from === 'workitems') {
    if (query.where) for (const ref of refsOf(query.where)) if (ref !== 'source') throw badRequest('WorkItemTrackingQueryException', 'TF51009: [Target] fields and link types can only be used in a query FROM WorkItemLinks.');
    const matched = sortItems(items.filter((item) => !query.where || evaluate(query.where, { source: item }, ctx)), query.orderBy);
    if (overLimit(matched.length, top)) limitExceeded(matched.length);
    return { queryType: 'flat', queryResultType: 'workItem', columns, sortColumns, workItems: matched.slice(0, top ?? matched.length).map((i) => i.id), asOf };
  }

  const parts = conjuncts(query.where);
  const sourceOnly = parts.filter((p) => [...refsOf(p)].every((r) => r === 'source'));
  const linkParts = parts.filter((p) => !sourceOnly.includes(p));
  const roots = sortItems(items.filter((item) => all(sourceOnly, { source: item }, ctx)), query.orderBy);
  const matchingLinks = (source: WorkItemRecord) =>
    workItemLinks(source, lookup)
      .filter((l) => all(linkParts, { source, target: l.target, linkType: l.rel }, ctx))
      .sort((a, b) => order(a.target, b.target));
  const relations: LinkResult[] = [];

  if (query.mode === 'recursive') {
    const hierarchyOnly = linkParts.some((p) => refsOf(p).has('link'));
    if (!hierarchyOnly) throw badRequest('WorkItemTrackingQueryException', "TF51010: A tree query (MODE (Recursive)) needs [System.Links.LinkType] = 'System.LinkTypes.Hierarchy-Forward'.");
    const children = (source: WorkItemRecord) => matchingLinks(source).filter((l) => l.rel === 'System.LinkTypes.Hierarchy-Forward');
    const reached = new Set<number>();
    const mark = (item: WorkItemRecord, seen: Set<number>) => {
      for (const c of children(item)) {
        if (seen.has(c.target.id)) continue;
        seen.add(c.target.id);
        reached.add(c.target.id);
        mark(c.target, seen);
      }
    };
    roots.forEach((r) => mark(r, new Set([r.id])));
    const emit = (item: WorkItemRecord, seen: Set<number>) => {
      for (const c of children(item)) {
        if (seen.has(c.target.id)) continue;
        relations.push({ rel: 'System.LinkTypes.Hierarchy-Forward', sourceId: item.id, targetId: c.target.id });
        emit(c.target, new Set([...seen, c.target.id]));
      }
    };
    for (const root of roots.filter((r) => !reached.has(r.id))) {
      relations.push({ rel: null, sourceId: null, targetId: root.id });
      emit(root, new Set([root.id]));
    }
  } else {
    for (const source of roots) {
      const links = matchingLinks(source);
      if (query.mode === 'mustcontain' && links.length === 0) continue;
      if (query.mode === 'doesnotcontain' && links.length > 0) continue;
      relations.push({ rel: null, sourceId: null, targetId: source.id });
      if (query.mode !== 'doesnotcontain') links.forEach((l) => relations.push({ rel: l.rel, sourceId: source.id, targetId: l.target.id }));
    }
  }
  if (overLimit(relations.length, top)) limitExceeded(relations.length);
  return {
    queryType: query.mode === 'recursive' ? 'tree' : 'oneHop',
    queryResultType: 'workItemLink',
    columns,
    sortColumns,
    relations: relations.slice(0, top ?? relations.length),
    asOf,
  };
}
