import { BACKLOG_LEVELS, type BacklogLevel, type BugsBehavior, findType, levelOf, type ProcessTemplate, typeNames, type WorkItemTypeDef } from './templates';

/**
 * Parent/child rules of the backlog hierarchy, checked before anything is created or linked:
 * a parent sits exactly one backlog level above its child (Epic > Feature > requirement-level
 * type > Task; Basic: Epic > Issue > Task). Where bugs sit depends on the team's bug setting.
 */
export type HierarchyCheck =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** One sentence a user can act on. */
      readonly reason: string;
      /** Types that may be the child's parent, and the parent's children, in this template. */
      readonly allowedParents: readonly string[];
      readonly allowedChildren: readonly string[];
    };

export interface HierarchyOptions {
  /** The team's "Working with bugs" setting; the template's default when not given. */
  readonly bugsBehavior?: BugsBehavior;
}

const LEVEL_NAMES: Readonly<Record<BacklogLevel, string>> = { epic: 'Epic', feature: 'Feature', requirement: 'requirement', task: 'task' };

function typesAt(template: ProcessTemplate, level: BacklogLevel | undefined, bugs: BugsBehavior): WorkItemTypeDef[] {
  return level === undefined ? [] : template.types.filter((t) => levelOf(t, bugs) === level);
}

/** The levels this template fills, top to bottom (Basic has no Feature level). */
function levels(template: ProcessTemplate, bugs: BugsBehavior): BacklogLevel[] {
  return BACKLOG_LEVELS.filter((level) => typesAt(template, level, bugs).length > 0);
}
const step = (template: ProcessTemplate, bugs: BugsBehavior, level: BacklogLevel, by: -1 | 1): BacklogLevel | undefined => {
  const ls = levels(template, bugs);
  return ls[ls.indexOf(level) + by];
};

// "a User Story", "an Epic": type names starting with U sound like "you".
const vowelSound = (name: string): boolean => /^[AEIO]/i.test(name);
export const article = (name: string): string => `${vowelSound(name) ? 'an' : 'a'} ${name}`;
const An = (name: string): string => `${vowelSound(name) ? 'An' : 'A'} ${name}`;

/** The types that may be children of `parentType` (empty for the lowest level or an unknown type). */
export function allowedChildTypes(template: ProcessTemplate, parentType: string, options: HierarchyOptions = {}): string[] {
  const bugs = options.bugsBehavior ?? template.defaultBugsBehavior;
  const parent = findType(template, parentType);
  const level = parent ? levelOf(parent, bugs) : undefined;
  return level ? typesAt(template, step(template, bugs, level, 1), bugs).map((t) => t.name) : [];
}

/** The types that may be the parent of `childType`. */
export function allowedParentTypes(template: ProcessTemplate, childType: string, options: HierarchyOptions = {}): string[] {
  const bugs = options.bugsBehavior ?? template.defaultBugsBehavior;
  const child = findType(template, childType);
  const level = child ? levelOf(child, bugs) : undefined;
  return level ? typesAt(template, step(template, bugs, level, -1), bugs).map((t) => t.name) : [];
}

export function checkParentChild(template: ProcessTemplate, parentType: string, childType: string, options: HierarchyOptions = {}): HierarchyCheck {
  const bugs = options.bugsBehavior ?? template.defaultBugsBehavior;
  const parent = findType(template, parentType);
  const child = findType(template, childType);
  const allowedParents = allowedParentTypes(template, childType, options);
  const allowedChildren = allowedChildTypes(template, parentType, options);
  const refuse = (reason: string): HierarchyCheck => ({ ok: false, reason, allowedParents, allowedChildren });

  for (const [role, name, def] of [['parent', parentType, parent], ['child', childType, child]] as const) {
    if (!def) return refuse(`"${name}" (the ${role}) is not a backlog work item type of the ${template.name} process; its types are ${typeNames(template)}.`);
  }
  const p = parent!;
  const c = child!;
  const pl = levelOf(p, bugs);
  const cl = levelOf(c, bugs);
  for (const [def, level] of [[p, pl], [c, cl]] as const) {
    if (level === undefined) {
      return refuse(`Bugs are not on this team's backlogs ("Working with bugs" is off), so ${article(def.name)} has no place in the ${template.name} hierarchy. Turn bugs on in the team settings, or link with "Related" instead.`);
    }
  }
  const ls = levels(template, bugs);
  const pi = ls.indexOf(pl!);
  const ci = ls.indexOf(cl!);
  const hint = allowedParents.length ? ` ${An(c.name)}'s parent must be ${orList(allowedParents)}.` : ` ${An(c.name)} sits at the top of the hierarchy and has no parent.`;
  if (ci === pi + 1) return { ok: true };
  if (ci === pi) return refuse(`${An(p.name)} cannot be the parent of ${article(c.name)}: both sit on the ${LEVEL_NAMES[pl!]} backlog level.${hint}`);
  if (ci < pi) return refuse(`${An(p.name)} cannot be the parent of ${article(c.name)}: the ${c.name} sits above it in the ${template.name} hierarchy (${hierarchyLine(template, bugs)}).${hint}`);
  const between = typesAt(template, ls[pi + 1], bugs).map((t) => t.name);
  return refuse(`${An(p.name)} cannot be the direct parent of ${article(c.name)}: put it under ${orList(between)}, which sits between them (${hierarchyLine(template, bugs)}).`);
}

function orList(names: readonly string[]): string {
  const withArticle = names.map(article);
  return withArticle.length <= 1 ? (withArticle[0] ?? '') : `${withArticle.slice(0, -1).join(', ')} or ${withArticle[withArticle.length - 1]}`;
}

/** `Epic > Feature > User Story > Task/Bug` for the given bug setting. */
export function hierarchyLine(template: ProcessTemplate, bugs: BugsBehavior = template.defaultBugsBehavior): string {
  return BACKLOG_LEVELS.map((level) => typesAt(template, level, bugs).map((t) => t.name).join('/'))
    .filter((x) => x.length > 0)
    .join(' > ');
}
