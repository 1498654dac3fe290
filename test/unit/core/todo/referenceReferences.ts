// Reference finding as it was before the fixed-text prefilter (commit 65b81f8), kept unchanged as an oracle:
// the differential test in references.test.ts checks the current findReferences finds the same references.
import { type TrackerKind } from '../../../../src/core/workItem';

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

/** A user pattern after validation: a global regex with a named group `id`. */
export interface ReferencePattern {
  readonly source: string;
  readonly regex: RegExp;
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
    let regex: RegExp;
    try {
      regex = new RegExp(source, 'g');
    } catch (error) {
      problems.push({ source, message: `is not a valid regular expression (${error instanceof Error ? error.message : String(error)})` });
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
    patterns.push({ source, regex });
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

// Order matters: earlier patterns claim their span first (a URL before the `#45` inside it).
const BUILTIN: readonly BuiltinPattern[] = [
  {
    regex: /https?:\/\/dev\.azure\.com\/(?<org>[^/\s?#]+)\/(?<project>[^/\s?#]+)\/_workitems\/edit\/(?<id>\d+)\b[^\s)\]>"']*/g,
    build: (g) => azure(positiveId(g.id), g.org, g.project),
  },
  {
    regex: /https?:\/\/(?<org>[\w-]+)\.visualstudio\.com\/(?:DefaultCollection\/)?(?<project>[^/\s?#]+)\/_workitems\/edit\/(?<id>\d+)\b[^\s)\]>"']*/g,
    build: (g) => azure(positiveId(g.id), g.org, g.project),
  },
  {
    regex: /https?:\/\/github\.com\/(?<owner>[\w.-]+)\/(?<repo>[\w.-]+)\/(?:issues|pull)\/(?<id>\d+)\b[^\s)\]>"']*/g,
    build: (g) => github(positiveId(g.id), g.owner, g.repo),
  },
  { regex: /(?<![\w#])AB#(?<id>\d+)\b/g, build: (g) => azure(positiveId(g.id)) },
  {
    regex: /(?<![\w./-])(?<owner>[A-Za-z0-9](?:[\w-]*[A-Za-z0-9])?)\/(?<repo>[\w.-]+)#(?<id>\d+)\b/g,
    build: (g) => github(positiveId(g.id), g.owner, g.repo),
  },
  { regex: /(?<![\w-])GH-(?<id>\d+)\b/g, build: (g) => github(positiveId(g.id)) },
  {
    // `&#123;` is an HTML entity and `##12` a heading; only a lone `#` and digits is a reference.
    regex: /(?<![\w&#/])#(?<id>\d+)\b/g,
    build: (g, tracker) => (tracker === 'azureBoards' ? azure(positiveId(g.id)) : github(positiveId(g.id))),
  },
];

/** Every reference in `text`, left to right, without overlaps. User patterns claim their spans first. */
export function referenceFindReferences(text: string, options: ReferenceOptions): FoundReference[] {
  const found: FoundReference[] = [];
  const overlaps = (start: number, end: number): boolean => found.some((f) => start < f.end && f.start < end);
  const collect = (regex: RegExp, build: Builder): void => {
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      if (m[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const start = m.index;
      const end = start + m[0].length;
      if (overlaps(start, end)) continue;
      const reference = build(m.groups ?? {}, options.defaultTracker);
      if (reference) found.push({ reference, start, end, raw: m[0] });
    }
  };
  for (const pattern of options.patterns) {
    collect(pattern.regex, (g, fallback) => {
      // An owner and repo say GitHub even without a `tracker` group.
      const tracker = trackerFromGroup(g.tracker, g.owner && g.repo ? 'github' : fallback);
      return tracker === 'azureBoards' ? azure(positiveId(g.id), g.organization ?? g.org, g.project) : github(positiveId(g.id), g.owner, g.repo);
    });
  }
  for (const pattern of BUILTIN) collect(pattern.regex, pattern.build);
  return found.sort((a, b) => a.start - b.start);
}
