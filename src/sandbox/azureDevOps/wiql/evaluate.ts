import { badRequest } from '../http/errors';
import { isUnder } from '../state/classification';
import { fieldByName, type FieldDef } from '../state/fields';
import { type Identity, type JsonValue, type Project, type Team, type WorkItemRecord } from '../state/model';
import { linkType } from '../state/relations';
import { type AzureDevOpsState } from '../state/state';
import { type CompareOp, type Expr, type FieldRef, type Value } from './ast';

/** What the macros and comparisons need besides the items: who asks, in which project and team, and when. */
export interface EvalContext {
  readonly state: AzureDevOpsState;
  readonly user: Identity;
  readonly project: Project | undefined;
  readonly team: Team | undefined;
  readonly now: Date;
  /** The API's timePrecision: without it dates compare by day, as the service does. */
  readonly timePrecision: boolean;
}

/** One row being tested: a work item, or in a links query the link's source, target and type. */
export interface Row {
  readonly source: WorkItemRecord;
  readonly target?: WorkItemRecord | undefined;
  readonly linkType?: string | undefined;
}

export const LINK_TYPE_FIELD = 'system.links.linktype';

export function resolveField(ref: FieldRef): FieldDef | 'linkType' {
  if (ref.name.toLowerCase() === LINK_TYPE_FIELD) return 'linkType';
  const def = fieldByName(ref.name);
  if (!def) throw badRequest('WorkItemTrackingQueryFieldException', `TF51005: The query references a field that does not exist. The error is caused by «${ref.name}».`);
  return def;
}

export function fieldValue(item: WorkItemRecord, def: FieldDef): JsonValue | undefined {
  if (def.referenceName === 'System.Id') return item.id;
  if (def.referenceName === 'System.Rev') return item.rev;
  return item.fields[def.referenceName];
}

function startOf(unit: 'day' | 'week' | 'month' | 'year', now: Date, offset: number): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  if (unit === 'day') d.setUTCDate(d.getUTCDate() + offset);
  if (unit === 'week') d.setUTCDate(d.getUTCDate() - d.getUTCDay() + offset * 7);
  if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + offset, 1);
  if (unit === 'year') d.setUTCFullYear(d.getUTCFullYear() + offset, 0, 1);
  return d;
}

/** A macro or literal as the comparison needs it. */
function valueOf(value: Value, ctx: EvalContext, row: Row): JsonValue | Identity | undefined {
  switch (value.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return value.value;
    case 'field': {
      const def = resolveField(value.field);
      const item = value.field.end === 'target' ? row.target : row.source;
      return def === 'linkType' ? (row.linkType ?? null) : item ? fieldValue(item, def) : undefined;
    }
    case 'macro':
      switch (value.macro) {
        case 'me':
          return ctx.user;
        case 'project':
          if (!ctx.project) throw badRequest('WorkItemTrackingQueryException', 'TF51011: The @Project macro needs a project: send the query to {organization}/{project}/_apis/wit/wiql.');
          return ctx.project.name;
        case 'currentiteration': {
          const project = ctx.project;
          if (!project) throw badRequest('WorkItemTrackingQueryException', 'TF51011: The @CurrentIteration macro needs a team context: send the query to {organization}/{project}/{team}/_apis/wit/wiql.');
          const team = value.argument ? ctx.state.findTeam(project, value.argument.replace(/^\[.*?\]\\/, '')) : ctx.team;
          const iterations = ctx.state.teamIterationPaths(project, team);
          const current = iterations.findIndex((i) => i.timeFrame === 'current');
          const chosen = current < 0 ? undefined : iterations[current + value.offset];
          // No current iteration (or none at the offset) matches nothing, as on the service.
          return chosen?.path ?? '\u0000no-iteration';
        }
        case 'today':
          return startOf('day', ctx.now, value.offset).toISOString();
        case 'startofday':
          return startOf('day', ctx.now, value.offset).toISOString();
        case 'startofweek':
          return startOf('week', ctx.now, value.offset).toISOString();
        case 'startofmonth':
          return startOf('month', ctx.now, value.offset).toISOString();
        case 'startofyear':
          return startOf('year', ctx.now, value.offset).toISOString();
      }
  }
}

const isIdentity = (v: unknown): v is Identity => typeof v === 'object' && v !== null && 'uniqueName' in v && 'displayName' in v;

function identityMatches(actual: unknown, expected: unknown): boolean {
  if (!isIdentity(actual)) return expected === '' || expected === undefined || expected === null;
  if (isIdentity(expected)) return actual.id === expected.id;
  const text = String(expected).trim().toLowerCase();
  return [actual.displayName, actual.uniqueName, `${actual.displayName} <${actual.uniqueName}>`, actual.id].some((v) => v.toLowerCase() === text);
}

function compareScalars(def: FieldDef | 'linkType', actual: unknown, expected: unknown, ctx: EvalContext): number | undefined {
  if (def !== 'linkType' && def.type === 'dateTime') {
    if (actual === undefined || actual === null || expected === undefined || expected === null) return undefined;
    let a = Date.parse(String(actual));
    let b = Date.parse(String(expected));
    if (Number.isNaN(b)) throw badRequest('WorkItemTrackingQueryException', `TF51009: The value '${String(expected)}' is not a valid date. Use an ISO 8601 date such as '2026-01-31'.`);
    if (!ctx.timePrecision) {
      const day = 86_400_000;
      a = Math.floor(a / day);
      b = Math.floor(b / day);
    }
    return a - b;
  }
  if (def !== 'linkType' && (def.type === 'integer' || def.type === 'double')) {
    if (actual === undefined || actual === null || expected === '' || expected === undefined) return undefined;
    const b = Number(expected);
    if (Number.isNaN(b)) throw badRequest('WorkItemTrackingQueryException', `TF51009: The value '${String(expected)}' is not a valid number for the field ${def.name}.`);
    return Number(actual) - b;
  }
  if (def !== 'linkType' && def.type === 'boolean') return String(actual ?? false).toLowerCase() === String(expected).toLowerCase() ? 0 : 1;
  const a = String(actual ?? '').toLowerCase();
  const b = String(expected ?? '').toLowerCase();
  return a === b ? 0 : a < b ? -1 : 1;
}

function linkTypeMatches(actual: string | undefined, expected: unknown): boolean {
  if (actual === undefined) return false;
  const wanted = String(expected).toLowerCase();
  const type = linkType(actual);
  return actual.toLowerCase() === wanted || type?.name.toLowerCase() === wanted;
}

function compare(op: CompareOp, def: FieldDef | 'linkType', actual: unknown, expected: unknown, ctx: EvalContext): boolean {
  if (def === 'linkType') {
    const same = linkTypeMatches(actual as string | undefined, expected);
    if (op === '=') return same;
    if (op === '<>') return !same;
    throw badRequest('WorkItemTrackingQueryException', 'TF51009: The link type can only be compared with = or <>.');
  }
  if (def.type === 'identity') {
    const same = identityMatches(actual, expected);
    if (op === '=') return same;
    if (op === '<>') return !same;
    throw badRequest('WorkItemTrackingQueryException', `TF51009: The identity field ${def.name} can only be compared with =, <>, IN or EVER.`);
  }
  const empty = expected === '' && (actual === undefined || actual === null || actual === '');
  if (expected === '') return op === '=' ? empty : op === '<>' ? !empty : false;
  const order = compareScalars(def, actual, expected, ctx);
  if (order === undefined) return op === '<>';
  switch (op) {
    case '=':
      return order === 0;
    case '<>':
      return order !== 0;
    case '>':
      return order > 0;
    case '<':
      return order < 0;
    case '>=':
      return order >= 0;
    case '<=':
      return order <= 0;
  }
}

function tagsOf(value: unknown): string[] {
  return typeof value === 'string' ? value.split(';').map((t) => t.trim().toLowerCase()).filter(Boolean) : [];
}

function stripHtml(text: string): string {
  return text.replace(/<[^>]*>/g, ' ');
}

function contains(def: FieldDef | 'linkType', actual: unknown, expected: unknown, words: boolean): boolean {
  const needle = String(expected ?? '').toLowerCase();
  if (def !== 'linkType' && def.referenceName === 'System.Tags') return tagsOf(actual).includes(needle);
  const hay = stripHtml(String(isIdentity(actual) ? `${actual.displayName} <${actual.uniqueName}>` : (actual ?? ''))).toLowerCase();
  if (!words) return hay.includes(needle);
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*/g, '\\w*');
  return new RegExp(`(^|\\W)${escaped}($|\\W)`, 'i').test(hay);
}

function actualOf(ref: FieldRef, def: FieldDef | 'linkType', row: Row): unknown {
  if (def === 'linkType') return row.linkType;
  const item = ref.end === 'target' ? row.target : row.source;
  return item ? fieldValue(item, def) : undefined;
}

/** Every value a field has had, for EVER. */
function everValues(ref: FieldRef, def: FieldDef | 'linkType', row: Row): unknown[] {
  if (def === 'linkType') return [row.linkType];
  const item = ref.end === 'target' ? row.target : row.source;
  if (!item) return [];
  const seen = item.updates.flatMap((u) => {
    const change = u.fields[def.referenceName];
    return change ? [change.oldValue, change.newValue] : [];
  });
  return [fieldValue(item, def), ...seen];
}

export function evaluate(expr: Expr, row: Row, ctx: EvalContext): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluate(expr.left, row, ctx) && evaluate(expr.right, row, ctx);
    case 'or':
      return evaluate(expr.left, row, ctx) || evaluate(expr.right, row, ctx);
    case 'not':
      return !evaluate(expr.expr, row, ctx);
    case 'compare': {
      const def = resolveField(expr.field);
      return compare(expr.op, def, actualOf(expr.field, def, row), valueOf(expr.value, ctx, row), ctx);
    }
    case 'in': {
      const def = resolveField(expr.field);
      const actual = actualOf(expr.field, def, row);
      const hit = expr.values.some((v) => compare('=', def, actual, valueOf(v, ctx, row), ctx));
      return expr.negate ? !hit : hit;
    }
    case 'under': {
      const def = resolveField(expr.field);
      if (def === 'linkType' || def.type !== 'treePath') {
        throw badRequest('WorkItemTrackingQueryException', `TF51009: UNDER can only be used with Area Path and Iteration Path, not ${expr.field.name}.`);
      }
      const actual = actualOf(expr.field, def, row);
      const hit = typeof actual === 'string' && isUnder(actual, String(valueOf(expr.value, ctx, row)));
      return expr.negate ? !hit : hit;
    }
    case 'contains': {
      const def = resolveField(expr.field);
      const hit = contains(def, actualOf(expr.field, def, row), valueOf(expr.value, ctx, row), expr.words);
      return expr.negate ? !hit : hit;
    }
    case 'ever': {
      const def = resolveField(expr.field);
      const expected = valueOf(expr.value, ctx, row);
      const hit = everValues(expr.field, def, row).some((v) => v !== undefined && compare('=', def, v, expected, ctx));
      return expr.negate ? !hit : hit;
    }
  }
}

/** The value ORDER BY sorts on; missing values sort first, as on the service. */
export function sortKey(item: WorkItemRecord, ref: FieldRef): string | number {
  const def = resolveField(ref);
  if (def === 'linkType') return '';
  const v = fieldValue(item, def);
  if (v === undefined || v === null) return def.type === 'integer' || def.type === 'double' ? Number.NEGATIVE_INFINITY : '';
  if (isIdentity(v)) return v.displayName.toLowerCase();
  if (def.type === 'dateTime') return Date.parse(String(v));
  if (typeof v === 'number') return v;
  return String(v).toLowerCase();
}
