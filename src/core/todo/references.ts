import { RE2JS } from 're2js';
import { type TrackerKind } from '../workItem';

/**
 * Work item references in free text: `AB#123`, `#123` (the default tracker), `owner/repo#45`,
 * `GH-45`, Azure DevOps and GitHub URLs, and the user's own patterns.
 */
export type WorkItemReference =
  | { readonly tracker: 'azureBoards'; readonly id: number; readonly organization?: string; readonly project?: string }
  | { readonly tracker: 'github'; readonly id: number; readonly owner?: string; readonly repo?: string };

/** A reference and where it is in the text it was found in (offsets, end exclusive). */
export interface FoundReference {
  readonly reference: WorkItemReference;
  readonly start: number;
  readonly end: number;
  readonly raw: string;
}

/**
 * A user pattern after validation, compiled for RE2's linear-time engine (re2js): a pattern such as
 * `(?<id>\d)(x+x+)+y` backtracks exponentially in JavaScript's engine and would freeze the
 * extension host on one long TODO line; here every match costs time linear in the text.
 */
export interface ReferencePattern {
  readonly source: string;
  readonly re2: RE2JS;
  /** The named groups the pattern has (`id`, and optionally `tracker`, `owner`, `repo`, ...). */
  readonly groups: readonly string[];
}

export interface ReferencePatternProblem {
  readonly source: string;
  readonly message: string;
}

export interface ReferenceOptions {
  readonly defaultTracker: TrackerKind;
  readonly patterns: readonly ReferencePattern[];
}

const MAX_PATTERN_LENGTH = 500;

/**
 * Validates the user's patterns (setting aiDevops.workItems.referencePatterns). A bad one is
 * reported and left out; it never throws, so one typo does not turn off every lens.
 */
export function compileReferencePatterns(sources: readonly string[]): { patterns: ReferencePattern[]; problems: ReferencePatternProblem[] } {
  const patterns: ReferencePattern[] = [];
  const problems: ReferencePatternProblem[] = [];
  for (const source of sources) {
    if (source.length > MAX_PATTERN_LENGTH) {
      problems.push({ source, message: `is longer than ${MAX_PATTERN_LENGTH} characters` });
      continue;
    }
    try {
      new RegExp(source, 'g');
    } catch (error) {
      problems.push({ source, message: `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})` });
      continue;
    }
    let re2: RE2JS;
    try {
      re2 = RE2JS.compile(source);
    } catch (error) {
      problems.push({ source, message: `uses syntax the linear-time matcher does not support, such as lookarounds or backreferences (${error instanceof Error ? error.message : String(error)})` });
      continue;
    }
    // An empty alternative makes the regex match '', which exposes every named group it has.
    const groups = new RegExp(`${source}|`).exec('')?.groups ?? {};
    if (!('id' in groups)) {
      problems.push({ source, message: 'has no named group `id`, e.g. `JIRA-(?<id>\\d+)`' });
      continue;
    }
    if (new RegExp(source).test('')) {
      problems.push({ source, message: 'matches empty text, so it would match everywhere' });
      continue;
    }
    patterns.push({ source, re2, groups: Object.keys(groups) });
  }
  return { patterns, problems };
}

const trackerFromGroup = (value: string | undefined, fallback: TrackerKind): TrackerKind => {
  const v = value?.toLowerCase();
  if (v === undefined) return fallback;
  if (['azureboards', 'azure', 'ab', 'ado', 'azuredevops'].includes(v)) return 'azureBoards';
  if (['github', 'gh'].includes(v)) return 'github';
  return fallback;
};

const positiveId = (text: string | undefined): number | undefined => {
  if (text === undefined || !/^\d{1,9}$/.test(text)) return undefined;
  const id = Number(text);
  return id > 0 ? id : undefined;
};

type Builder = (groups: Record<string, string | undefined>, defaultTracker: TrackerKind) => WorkItemReference | undefined;

interface BuiltinPattern {
  readonly regex: RegExp;
  readonly build: Builder;
  /** What every match contains (FIXED_TEXT bits): a text without it skips the regex (most TODOs have no reference). */
  readonly needs: number;
}

const azure = (id: number | undefined, organization?: string, project?: string): WorkItemReference | undefined =>
  id === undefined ? undefined : { tracker: 'azureBoards', id, ...(organization ? { organization } : {}), ...(project ? { project: decodeSafe(project) } : {}) };
const github = (id: number | undefined, owner?: string, repo?: string): WorkItemReference | undefined =>
  id === undefined ? undefined : { tracker: 'github', id, ...(owner ? { owner } : {}), ...(repo ? { repo } : {}) };

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// Fixed text the built-in patterns need, each looked up once per text.
const HTTP = 1;
const HASH = 2;
const SLASH = 4;
const GH_DASH = 8;
const fixedTextIn = (text: string): number =>
  (text.includes('http') ? HTTP : 0) | (text.includes('#') ? HASH : 0) | (text.includes('/') ? SLASH : 0) | (text.includes('GH-') ? GH_DASH : 0);

// Order matters: earlier patterns claim their span first (a URL before the `#45` inside it).
const BUILTIN: readonly BuiltinPattern[] = [
  {
    regex: /https?:\/\/dev\.azure\.com\/(?<org>[^/\s?#]+)\/(?<project>[^/\s?#]+)\/_workitems\/edit\/(?<id>\d+)\b[^\s)\]>"']*/g,
    build: (g) => azure(positiveId(g.id), g.org, g.project),
    needs: HTTP,
  },
  {
    regex: /https?:\/\/(?<org>[\w-]+)\.visualstudio\.com\/(?:DefaultCollection\/)?(?<project>[^/\s?#]+)\/_workitems\/edit\/(?<id>\d+)\b[^\s)\]>"']*/g,
    build: (g) => azure(positiveId(g.id), g.org, g.project),
    needs: HTTP,
  },
  {
    regex: /https?:\/\/github\.com\/(?<owner>[\w.-]+)\/(?<repo>[\w.-]+)\/(?:issues|pull)\/(?<id>\d+)\b[^\s)\]>"']*/g,
    build: (g) => github(positiveId(g.id), g.owner, g.repo),
    needs: HTTP,
  },
  { regex: /(?<![\w#])AB#(?<id>\d+)\b/g, build: (g) => azure(positiveId(g.id)), needs: HASH },
  {
    regex: /(?<![\w./-])(?<owner>[A-Za-z0-9](?:[\w-]*[A-Za-z0-9])?)\/(?<repo>[\w.-]+)#(?<id>\d+)\b/g,
    build: (g) => github(positiveId(g.id), g.owner, g.repo),
    needs: HASH | SLASH,
  },
  { regex: /(?<![\w-])GH-(?<id>\d+)\b/g, build: (g) => github(positiveId(g.id)), needs: GH_DASH },
  {
    // `&#123;` is an HTML entity and `##12` a heading; only a lone `#` and digits is a reference.
    regex: /(?<![\w&#/])#(?<id>\d+)\b/g,
    build: (g, tracker) => (tracker === 'azureBoards' ? azure(positiveId(g.id)) : github(positiveId(g.id))),
    needs: HASH,
  },
];

/** User patterns: an owner and repo say GitHub even without a `tracker` group. */
const buildFromUserPattern: Builder = (g, fallback) => {
  const tracker = trackerFromGroup(g.tracker, g.owner && g.repo ? 'github' : fallback);
  return tracker === 'azureBoards' ? azure(positiveId(g.id), g.organization ?? g.org, g.project) : github(positiveId(g.id), g.owner, g.repo);
};

function overlapsFound(found: readonly FoundReference[], start: number, end: number): boolean {
  for (const f of found) if (start < f.end && f.start < end) return true;
  return false;
}

/** Adds the matches of `regex` that overlap nothing found before. Module-level, not a closure per call: this runs per TODO. */
function collect(text: string, regex: RegExp, build: Builder, defaultTracker: TrackerKind, found: FoundReference[]): void {
  regex.lastIndex = 0;
  for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
    if (m[0].length === 0) {
      regex.lastIndex++;
      continue;
    }
    const start = m.index;
    const end = start + m[0].length;
    if (overlapsFound(found, start, end)) continue;
    const reference = build(m.groups ?? {}, defaultTracker);
    if (reference) found.push({ reference, start, end, raw: m[0] });
  }
}

/** The matches of a user pattern, by RE2 (linear time), in the shape the built-in ones produce. */
function collectUser(text: string, pattern: ReferencePattern, defaultTracker: TrackerKind, found: FoundReference[]): void {
  const matcher = pattern.re2.matcher(text);
  while (matcher.find()) {
    const start = matcher.start();
    const end = matcher.end();
    if (end === start || overlapsFound(found, start, end)) continue;
    const groups: Record<string, string | undefined> = {};
    for (const name of pattern.groups) groups[name] = matcher.group(name) ?? undefined;
    const reference = buildFromUserPattern(groups, defaultTracker);
    if (reference) found.push({ reference, start, end, raw: text.slice(start, end) });
  }
}

/** Every reference in `text`, left to right, without overlaps. User patterns claim their spans first. */
export function findReferences(text: string, options: ReferenceOptions): FoundReference[] {
  const found: FoundReference[] = [];
  for (const pattern of options.patterns) collectUser(text, pattern, options.defaultTracker, found);
  const fixed = fixedTextIn(text);
  for (const pattern of BUILTIN) if ((pattern.needs & fixed) === pattern.needs) collect(text, pattern.regex, pattern.build, options.defaultTracker, found);
  if (found.length > 1) found.sort((x, y) => x.start - y.start);
  return found;
}

/**
 * A stable key for grouping and caching: `AB#123`, `AB#123@org/project` when the text named the
 * organization, `owner/repo#45`, or `GH#45` for a GitHub number in the configured repository.
 */
export function referenceKey(reference: WorkItemReference): string {
  if (reference.tracker === 'azureBoards') {
    return reference.organization ? `AB#${reference.id}@${reference.organization}/${reference.project ?? ''}` : `AB#${reference.id}`;
  }
  return reference.owner && reference.repo ? `${reference.owner}/${reference.repo}#${reference.id}` : `GH#${reference.id}`;
}

/** How a reference is written into a comment. `#45` alone would depend on the reader's default tracker. */
export function formatReference(reference: WorkItemReference): string {
  if (reference.tracker === 'azureBoards') return `AB#${reference.id}`;
  return reference.owner && reference.repo ? `${reference.owner}/${reference.repo}#${reference.id}` : `GH-${reference.id}`;
}

/** Short label for lenses and the tree: `AB#123`, `owner/repo#45`, `#45`. */
export function referenceLabel(reference: WorkItemReference): string {
  if (reference.tracker === 'azureBoards') return `AB#${reference.id}`;
  return reference.owner && reference.repo ? `${reference.owner}/${reference.repo}#${reference.id}` : `#${reference.id}`;
}
