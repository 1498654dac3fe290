import semver from 'semver';
import { type ParsedCommit } from './conventionalCommits';

/**
 * The next version from conventional commits, by the rule conventional-recommended-bump applies
 * with the `conventionalcommits` preset in strict mode: a breaking change is major, a feature
 * minor, any other commit whose type is not a hidden one (docs, style, chore, refactor, test,
 * build, ci) a patch (fix, perf, revert, and commits that are not conventional at all); only
 * hidden types is nothing to release. Below 1.0.0 the preset's `preMajor` rule moves each down
 * one step (breaking is minor, a feature a patch). A pre-release continues its series
 * (`1.1.0-rc.0` -> `1.1.0-rc.1`) unless the commits need a bigger step than the series is for.
 */

export type ReleaseType = 'major' | 'minor' | 'patch';
export const RELEASE_TYPES: readonly ReleaseType[] = ['major', 'minor', 'patch'];

/** The preset's hidden types: changes users do not see, which alone release nothing. */
export const HIDDEN_TYPES: readonly string[] = ['docs', 'style', 'chore', 'refactor', 'test', 'build', 'ci'];

export interface BumpRecommendation {
  /** Undefined when nothing since the last release is releasable. */
  readonly releaseType: ReleaseType | undefined;
  /** The commits that decided it (the breaking ones for major, the features for minor, ...). */
  readonly decidedBy: readonly ParsedCommit[];
  readonly breaking: number;
  readonly features: number;
  readonly fixes: number;
  /** In words, for the plan's facts. */
  readonly reason: string;
}

const isFeature = (c: ParsedCommit): boolean => c.type === 'feat' || c.type === 'feature';

export function recommendBump(commits: readonly ParsedCommit[], options: { readonly preMajor: boolean }): BumpRecommendation {
  // One pass over the commits (a long release has thousands), each in the first group it fits.
  const breaking: ParsedCommit[] = [];
  const features: ParsedCommit[] = [];
  const fixes: ParsedCommit[] = [];
  for (const c of commits) {
    if (c.breaking) breaking.push(c);
    else if (isFeature(c)) features.push(c);
    else if (!HIDDEN_TYPES.includes(c.type ?? '')) fixes.push(c);
  }
  let level = breaking.length ? 0 : features.length ? 1 : fixes.length ? 2 : undefined;
  const counts = { breaking: breaking.length, features: features.length, fixes: fixes.length };
  if (level === undefined) return { releaseType: undefined, decidedBy: [], ...counts, reason: 'No releasable commits: only ' + (commits.length ? `hidden types (${HIDDEN_TYPES.join(', ')})` : 'no commits') + ' since the last release.' };
  const decidedBy = [breaking, features, fixes][level]!;
  if (options.preMajor && level < 2) level += 1;
  const releaseType = RELEASE_TYPES[level]!;
  const what = counts.breaking ? `${counts.breaking} breaking change${counts.breaking === 1 ? '' : 's'}` : counts.features ? `${counts.features} feature${counts.features === 1 ? '' : 's'}` : `${counts.fixes} fix${counts.fixes === 1 ? '' : 'es'} or other visible change${counts.fixes === 1 ? '' : 's'}`;
  return { releaseType, decidedBy, ...counts, reason: `${what}${options.preMajor ? ' (below 1.0.0: one step smaller)' : ''} make${decidedBy.length === 1 ? 's' : ''} it a ${releaseType} release.` };
}

/** The first component that is not zero, from the right: what a pre-release series is for (commit-and-tag-version's rule). */
function activeType(version: string): ReleaseType {
  if (semver.patch(version) !== 0) return 'patch';
  if (semver.minor(version) !== 0) return 'minor';
  return 'major';
}

const priority = (t: ReleaseType): number => 2 - RELEASE_TYPES.indexOf(t);

export interface NextVersionOptions {
  /** Make a pre-release with this identifier (`rc`, `beta`). Default: the current pre-release's own, when it is one. */
  readonly preid?: string;
  /** Leave a pre-release series for the stable version. */
  readonly stable?: boolean;
}

/** The version after `current` for `releaseType`, honouring pre-release series. */
export function nextVersion(current: string, releaseType: ReleaseType, options: NextVersionOptions = {}): string {
  const parsed = semver.parse(current);
  if (!parsed) throw new Error(`"${current}" is not a semantic version.`);
  const currentPre = typeof parsed.prerelease[0] === 'string' ? parsed.prerelease[0] : undefined;
  const preid = options.stable ? undefined : (options.preid ?? currentPre);
  if (preid === undefined) return semver.inc(current, releaseType)!;
  if (parsed.prerelease.length > 0 && (currentPre === preid || currentPre === undefined)) {
    const active = activeType(current);
    if (active === releaseType || priority(active) > priority(releaseType)) return semver.inc(current, 'prerelease', preid)!;
  }
  return semver.inc(current, `pre${releaseType}`, preid)!;
}

/** The release type a version step is, for a version given by hand (`--release-as 2.0.0`). */
export function releaseTypeBetween(from: string, to: string): ReleaseType {
  const d = semver.diff(from, to);
  if (d === 'major' || d === 'premajor') return 'major';
  if (d === 'minor' || d === 'preminor') return 'minor';
  return 'patch';
}
