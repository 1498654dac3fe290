import { type WorkTracker } from '../../core/boards/workTracker';
import { DevOpsError, isDevOpsError } from '../../core/errors';
import { PROCESS_TEMPLATES } from '../../core/process';
import { type ParsedCommit } from '../../core/release/conventionalCommits';
import { findReferences, referenceKey, referenceLabel, type WorkItemReference } from '../../core/todo/references';
import { type TrackerKind, type WorkItem } from '../../core/workItem';
import { type AgentTrackers } from '../runtime/context';

/** A work item a release names, with what the tracker says about it. */
export interface LinkedItem {
  readonly key: string;
  readonly label: string;
  readonly reference: WorkItemReference;
  /** Hashes of the commits (or merged pull requests' merge commits) that name it. */
  readonly commits: string[];
  /** Found through a merged pull request rather than a commit message. */
  readonly viaPullRequest?: number;
  readonly item?: WorkItem;
  /** Why it could not be read (not found, tracker not connected, another repository). */
  readonly unresolved?: string;
}

/** `Merge pull request #45 from ...` (GitHub) and `Merged PR 12: ...` (Azure Repos). */
export function mergedPullRequest(commit: ParsedCommit): { tracker: TrackerKind; id: number } | undefined {
  if (!commit.header.startsWith('Merge')) return undefined;
  const gh = /^Merge pull request #(\d+) from /.exec(commit.header);
  if (gh) return { tracker: 'github', id: Number(gh[1]) };
  const az = /^Merged PR (\d+):/.exec(commit.header);
  if (az) return { tracker: 'azureBoards', id: Number(az[1]) };
  return undefined;
}

/**
 * For a merge commit, the commits it brought in: from its second parent back along first parents
 * until the main line (the first-parent chain from the newest commit) or the release's start. A
 * squash merge ("Merged PR 12" with one parent) brought in only itself.
 */
export function mergedCommits(commits: readonly ParsedCommit[]): (merge: string) => readonly string[] {
  const byHash = new Map(commits.map((c) => [c.hash, c]));
  const mainline = new Set<string>();
  for (let c = commits[0]; c && !mainline.has(c.hash); c = byHash.get(c.parents[0] ?? '')) mainline.add(c.hash);
  return (merge) => {
    const out: string[] = [];
    const seen = new Set<string>();
    for (let c = byHash.get(byHash.get(merge)?.parents[1] ?? ''); c && !mainline.has(c.hash) && !seen.has(c.hash); c = byHash.get(c.parents[0] ?? '')) {
      seen.add(c.hash);
      if (!c.merge) out.push(c.hash);
    }
    return out;
  };
}

/** The references in a commit message (not in a merge's pull request number: that is a pull request, not an item). */
export function referencesIn(commit: ParsedCommit, defaultTracker: TrackerKind): WorkItemReference[] {
  // Every built-in reference form has a `#`, `GH-` or a URL in it; most commit messages have none.
  if (!commit.message.includes('#') && !commit.message.includes('GH-') && !commit.message.includes('http')) return [];
  const text = mergedPullRequest(commit) ? commit.message.split('\n').slice(1).join('\n') : commit.message;
  return findReferences(text, { defaultTracker, patterns: [] }).map((f) => f.reference);
}

function trackerFor(trackers: AgentTrackers, ref: WorkItemReference, repository: string | undefined): WorkTracker | undefined {
  if (ref.tracker === 'azureBoards') return ref.organization ? undefined : trackers.azure();
  if (ref.owner && ref.repo && repository && `${ref.owner}/${ref.repo}`.toLowerCase() !== repository.toLowerCase()) return undefined;
  return trackers.github();
}

/**
 * Every work item the release's commits name, and those named by the pull requests merged in it
 * (GitHub: the closing references in the pull request's description), with titles and states
 * read through the trackers in one batch per tracker.
 */
export interface LinkedItems {
  readonly items: LinkedItem[];
  readonly notes: string[];
  /** The keys of the items each commit's message names, in the message's order (read once, for the notes). */
  readonly keysByCommit: ReadonlyMap<string, readonly string[]>;
}

/**
 * `named`: the references each commit's message holds (referencesIn), when read already (as the
 * history streamed in); a commit absent from it names none. Without it they are read here.
 */
export async function linkWorkItems(commits: readonly ParsedCommit[], trackers: AgentTrackers, signal: AbortSignal, log: { warn(m: string): void }, named?: ReadonlyMap<string, readonly WorkItemReference[]>): Promise<LinkedItems> {
  const byKey = new Map<string, { reference: WorkItemReference; commits: string[]; has: Set<string>; viaPullRequest?: number }>();
  let pullRequestCommits: ((merge: string) => readonly string[]) | undefined;
  const add = (reference: WorkItemReference, hash: string, viaPullRequest?: number): void => {
    const key = referenceKey(reference);
    let entry = byKey.get(key);
    if (!entry) byKey.set(key, (entry = { reference, commits: [], has: new Set(), ...(viaPullRequest !== undefined ? { viaPullRequest } : {}) }));
    // An item of a merged pull request belongs to the commits the pull request brought in, which
    // are the notes' entries (the merge commit itself is not one). A Set keeps the list free of
    // repeats: an item named by hundreds of commits made a scan of its list per commit.
    const hashes = viaPullRequest === undefined ? [hash] : [hash, ...(pullRequestCommits ??= mergedCommits(commits))(hash)];
    for (const h of hashes) {
      if (entry.has.has(h)) continue;
      entry.has.add(h);
      entry.commits.push(h);
    }
  };
  const keysByCommit = new Map<string, string[]>();
  for (const c of commits) {
    const refs = named ? named.get(c.hash) : referencesIn(c, trackers.defaultTracker);
    if (!refs?.length) continue;
    keysByCommit.set(c.hash, refs.map(referenceKey));
    for (const r of refs) add(r, c.hash);
  }
  const notes: string[] = [];
  // Pull requests merged in the release: their descriptions name the issues they close (GitHub),
  // or work items are linked to them (Azure Repos).
  const pulls: { c: ParsedCommit; pr: { id: number } }[] = [];
  const azurePulls: { c: ParsedCommit; id: number }[] = [];
  for (const c of commits) {
    const pr = mergedPullRequest(c);
    if (pr?.tracker === 'github') pulls.push({ c, pr });
    else if (pr) azurePulls.push({ c, id: pr.id });
  }
  if (azurePulls.length) notes.push(...(await azurePullRequestItems(azurePulls, trackers, signal, add)));
  const github = trackers.github();
  if (pulls.length && github) {
    const read = await github.get(pulls.map((p) => p.pr!.id), signal).catch((e: unknown) => e);
    if (read instanceof Map) {
      for (const { c, pr } of pulls) {
        const item = read.get(pr!.id);
        if (!item || isDevOpsError(item)) continue;
        for (const f of findReferences(item.description, { defaultTracker: 'github', patterns: [] })) add(f.reference, c.hash, pr!.id);
      }
    } else notes.push(`The merged pull requests could not be read (${read instanceof Error ? read.message : String(read)}); only the items the commits name are listed.`);
  } else if (pulls.length) notes.push(`${pulls.length} merged pull request${pulls.length === 1 ? '' : 's'} (#${pulls.map((p) => p.pr!.id).join(', #')}) could not be read for their linked issues: GitHub is not connected.`);

  // One read per tracker.
  const groups = new Map<WorkTracker, { key: string; id: number }[]>();
  const unresolved = new Map<string, string>();
  let githubRepo: string | undefined;
  if (github) githubRepo = (await github.identity(signal).catch(() => undefined))?.label.match(/\(([^)]+)\)/)?.[1];
  for (const [key, e] of byKey) {
    const t = trackerFor(trackers, e.reference, githubRepo);
    if (!t) {
      unresolved.set(key, e.reference.tracker === 'azureBoards' ? (e.reference.organization ? 'in another Azure DevOps project' : 'Azure Boards is not connected') : githubRepo || !trackers.github() ? 'in another repository' : 'GitHub is not connected');
      continue;
    }
    const list = groups.get(t) ?? [];
    list.push({ key, id: e.reference.id });
    groups.set(t, list);
  }
  const found = new Map<string, WorkItem>();
  for (const [tracker, wanted] of groups) {
    try {
      const got = await tracker.get(wanted.map((w) => w.id), signal);
      for (const w of wanted) {
        const v = got.get(w.id);
        if (!v) unresolved.set(w.key, 'not found');
        else if (v instanceof DevOpsError) unresolved.set(w.key, v.code === 'notFound' ? 'not found' : v.message);
        else found.set(w.key, v);
      }
    } catch (error) {
      if (isDevOpsError(error) && error.code === 'cancelled') throw error;
      const why = error instanceof Error ? error.message : String(error);
      log.warn(`Reading work items for the release failed: ${why}`);
      for (const w of wanted) unresolved.set(w.key, `could not be read (${why})`);
    }
  }
  const items = [...byKey].map(([key, e]) => ({ key, label: referenceLabel(e.reference), reference: e.reference, commits: e.commits, ...(e.viaPullRequest !== undefined ? { viaPullRequest: e.viaPullRequest } : {}), ...(found.has(key) ? { item: found.get(key)! } : {}), ...(unresolved.has(key) ? { unresolved: unresolved.get(key)! } : {}) }));
  return { items, notes, keysByCommit };
}

/** The work items linked to the Azure Repos pull requests merged in the release ("Merged PR 12: …"), added to the release's items. */
async function azurePullRequestItems(pulls: readonly { c: ParsedCommit; id: number }[], trackers: AgentTrackers, signal: AbortSignal, add: (reference: WorkItemReference, hash: string, viaPullRequest?: number) => void): Promise<string[]> {
  const named = `${pulls.length} merged pull request${pulls.length === 1 ? '' : 's'} (PR ${pulls.map((p) => p.id).join(', PR ')})`;
  let read: ReadonlyMap<number, readonly number[] | DevOpsError> | undefined;
  try {
    read = await trackers.azurePullRequestWorkItems?.([...new Set(pulls.map((p) => p.id))],
      signal,
    );
  } catch (error) {
    if (isDevOpsError(error) && error.code === 'cancelled') throw error;
    return [`The work items linked to ${named} could not be read (${error instanceof Error ? error.message : String(error)}); only the items the commits name are listed.`];
  }
  if (!read) return [`${named} could not be read for their linked work items: Azure DevOps is not connected.`];
  const missing: string[] = [];
  for (const { c, id } of pulls) {
    const ids = read.get(id);
    if (!ids || ids instanceof DevOpsError) {
      missing.push(`PR ${id}${ids ? ` (${ids.message})` : ''}`);
      continue;
    }
    for (const item of ids) add({ tracker: 'azureBoards', id: item }, c.hash, id);
  }
  return missing.length ? [`The work items linked to ${missing.join(', ')} could not be read; only the items the commits name are listed for ${missing.length === 1 ? 'it' : 'them'}.`] : [];
}

/** The state's category in whichever standard process defines it for the type (Active: InProgress). */
function categoryOf(item: WorkItem): string | undefined {
  if (item.tracker === 'github') return item.state === 'Open' ? 'InProgress' : 'Completed';
  for (const template of Object.values(PROCESS_TEMPLATES)) {
    const type = template.types.find((t) => t.name.toLowerCase() === item.type.toLowerCase());
    const state = type?.states.find((s) => s.name.toLowerCase() === item.state.toLowerCase());
    if (state) return state.category;
  }
  return undefined;
}

/** An item a released commit fixes or delivers that is still New or Active: the tracker and the code disagree. */
export function isStillOpen(item: WorkItem): boolean {
  const c = categoryOf(item);
  return c === 'Proposed' || c === 'InProgress';
}
