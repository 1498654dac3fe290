import semver from 'semver';
import { DevOpsError } from '../../core/errors';
import { nextVersion, recommendBump, type ReleaseType, releaseTypeBetween } from '../../core/release/bump';
import { type ParsedCommit } from '../../core/release/conventionalCommits';
import { type AgentContext } from '../runtime/context';
import { type Fact, type FileEdit, type Finding } from '../runtime/plan';
import { changelogSection, insertSection } from './changelog';
import { readHistory, type ReleaseHistory } from './history';
import { findManifests, type FoundManifest, versionEdit } from './manifests/manifests';
import { type ReleaseInput } from './releaseInput';
import { noteEntries, type NoteEntry, renderNotes } from './releaseNotes';
import { repositoryLinks, type RepositoryLinks } from './repositoryLinks';
import { modelSummary, type ReleaseSummary } from './releaseSummary';
import { isStillOpen, linkWorkItems, type LinkedItem, referencesIn } from './workItemLinks';
import { type WorkItemReference } from '../../core/todo/references';
import { type OutboxJson } from '../../core/boards/outbox';

/** Everything a release plan decided, before any effect is planned. */
export interface ReleaseDecision {
  readonly history: ReleaseHistory;
  readonly dir: string;
  readonly tagPrefix: string;
  readonly currentVersion: string;
  readonly nextVersion: string | undefined;
  readonly releaseType: ReleaseType | undefined;
  readonly tag: string | undefined;
  readonly decidedBy: readonly ParsedCommit[];
  readonly reason: string;
  readonly items: readonly LinkedItem[];
  readonly entries: readonly NoteEntry[];
  readonly notes: string;
  /** The model's summary on top of the notes, when a model gave a usable one. */
  readonly summary: ReleaseSummary | undefined;
  readonly date: string;
  readonly links: RepositoryLinks | undefined;
  readonly manifests: readonly FoundManifest[];
  readonly edits: readonly FileEdit[];
  readonly findings: readonly Finding[];
  readonly facts: readonly Fact[];
  readonly remarks: readonly string[];
}

/** The version, the notes, the changelog and the manifest edits of the next release; nothing written. */
export async function decideRelease(ctx: AgentContext, input: ReleaseInput): Promise<ReleaseDecision> {
  const remarks: string[] = [];
  const dir = (input.package ?? '').replace(/\/+$/, '');
  if (dir && !(await ctx.files.exists(dir))) throw new DevOpsError('invalidInput', `--package ${dir}: there is no such folder in the workspace.`);
  // The walk's git is the longest step: it starts first, and the tags, the remote's URL (for
  // links; both from the repository's files when it can, without a git process) and the manifests
  // are read while it runs. Only a package released on its own needs its
  // manifest first, for the tag prefix its name gives.
  // The work items each commit names are read from its message while git streams the rest.
  const walk = (tagPrefix: string): Promise<{ history: ReleaseHistory; named: ReadonlyMap<string, readonly WorkItemReference[]> }> => {
    const named = new Map<string, readonly WorkItemReference[]>();
    const onParsed = (c: ParsedCommit): void => {
      const refs = referencesIn(c, ctx.trackers.defaultTracker);
      if (refs.length) named.set(c.hash, refs);
    };
    const walking = readHistory(ctx.git, { tagPrefix, onParsed, ...(dir ? { path: dir } : {}) }, ctx.signal).then((history) => ({ history, named }));
    walking.catch(() => undefined);
    return walking;
  };
  const early = !dir || input.tagPrefix !== undefined ? walk(input.tagPrefix ?? 'v') : undefined;
  const refs = ctx.git ? ctx.git.tagsAndRemote(input.remote ?? 'origin', ctx.signal) : undefined;
  refs?.catch(() => undefined);
  await ctx.step('Reading the manifests');
  // CHANGELOG.md too, while git runs: an fs read at the end waited for a busy machine's file threads.
  const changelogPath = dir ? `${dir}/CHANGELOG.md` : 'CHANGELOG.md';
  const changelog = ctx.files.read(changelogPath);
  changelog.catch(() => undefined);
  const manifests = await findManifests(ctx.files, dir);
  const packageName = manifests.find((m) => m.kind === 'npm' || m.kind === 'cargo')?.name;
  const tagPrefix = input.tagPrefix ?? (dir ? (packageName ? `${packageName}@` : `${dir.split('/').pop()}@`) : 'v');

  await ctx.step('Reading the history since the last release', { tagPrefix, ...(dir ? { package: dir } : {}) });
  const { history, named } = await (early ?? walk(tagPrefix));
  const manifestVersion = manifests.find((m) => m.version && semver.valid(m.version))?.version;
  const currentVersion = history.lastVersion ?? manifestVersion ?? '0.0.0';
  if (!history.lastTag) remarks.push(`No release tag starting with "${tagPrefix}" is reachable from HEAD: this is the first release, counted from ${manifestVersion ? `the manifest's version ${manifestVersion}` : '0.0.0'}.`);
  else if (manifestVersion && manifestVersion !== history.lastVersion) remarks.push(`The manifests say ${manifestVersion} but the last tag is ${history.lastTag}; the tag counts (as in conventional-recommended-bump), and the manifests are set to the new version.`);

  const bump = recommendBump(history.releasable, { preMajor: semver.lt(currentVersion, '1.0.0') });
  let releaseType = bump.releaseType;
  let next: string | undefined;
  if (input.releaseAs && semver.valid(input.releaseAs)) {
    next = semver.valid(input.releaseAs)!;
    if (!semver.gt(next, currentVersion)) throw new DevOpsError('invalidInput', `--release-as ${input.releaseAs} is not after the current version ${currentVersion}.`);
    releaseType = releaseTypeBetween(currentVersion, next);
  } else {
    if (input.releaseAs) releaseType = input.releaseAs as ReleaseType;
    next = releaseType ? nextVersion(currentVersion, releaseType, { ...(input.preid ? { preid: input.preid } : {}), ...(input.stable ? { stable: true } : {}) }) : undefined;
  }
  const tag = next ? `${tagPrefix}${next}` : undefined;
  const { hasTag, remoteUrl } = await refs!;
  if (tag && (await hasTag(tag))) throw new DevOpsError('conflict', `The tag ${tag} already exists but is not reachable from HEAD. Check out the branch it was made on, or release a later version with --release-as.`);

  await ctx.step('Reading the work items the commits name', { commits: history.commits.length });
  const linked = await linkWorkItems(history.commits, ctx.trackers, ctx.signal, ctx.log, named);
  remarks.push(...linked.notes);
  const links = repositoryLinks(remoteUrl);
  if (!links) remarks.push('The remote is not on GitHub or Azure Repos, so commits are shown by hash without links.');
  const entries = noteEntries(history.releasable, linked, links);
  const date = ctx.now().toISOString().slice(0, 10);
  if (next && ctx.model && entries.length) await ctx.step('Asking the model for a summary of the notes');
  const summary = next ? await modelSummary(ctx, { version: next, previousVersion: currentVersion, workItems: linked.items.map((i) => i.label) }, entries, remarks) : undefined;
  const notes = next ? renderNotes({ version: next, previousTag: history.lastTag, tag: tag!, date, entries, links, ...(summary ? { summary } : {}) }) : '';

  const findings: Finding[] = [];
  for (const i of linked.items) {
    if (i.item && isStillOpen(i.item)) {
      findings.push({
        ruleId: 'release/item-state-mismatch',
        category: 'release',
        severity: 'low',
        message: `${i.label} (${i.item.type} "${i.item.title}") is ${i.item.state}, but ${i.commits.length === 1 ? 'a commit' : `${i.commits.length} commits`} in this release name${i.commits.length === 1 ? 's' : ''} it (${i.commits.map((h) => h.slice(0, 7)).join(', ')}).`,
        fingerprint: `release/item-state-mismatch/${i.key}/${tag ?? 'none'}`,
        ...(i.item.url ? { helpUri: i.item.url } : {}),
      });
    } else if (i.unresolved) remarks.push(`${i.label}: ${i.unresolved}.`);
  }

  const edits: FileEdit[] = [];
  if (next) {
    const existing = await changelog;
    edits.push({
      path: changelogPath,
      action: existing ? 'modify' : 'create',
      content: insertSection(existing?.text, changelogSection(next, date, entries)),
      ...(existing ? { baseSha256: existing.sha256 } : {}),
      why: `a ${next} section (Keep a Changelog)`,
    });
    for (const m of manifests) {
      const { edit, note } = versionEdit(m, next);
      if (edit) edits.push(edit);
      if (note) remarks.push(note);
    }
  }
  if (!manifests.length) remarks.push(`No manifest with a version (package.json, pyproject.toml, Cargo.toml, *.csproj, Directory.Build.props) in ${dir || 'the workspace root'}: only the tag carries the version.`);

  const facts: Fact[] = [
    { label: 'Last release', value: history.lastTag ? `${history.lastTag} (${currentVersion})` : `none (counting from ${currentVersion})` },
    { label: 'Commits since', value: `${history.commits.length} (${history.releasable.length} counted; merges and reverted pairs left out)` },
    { label: 'Recommendation', value: bump.reason },
    ...(next ? [{ label: 'Next version', value: `${next} (${releaseType})${input.releaseAs ? ' as asked with --release-as' : ''}` }] : []),
    ...(bump.decidedBy.length ? [{ label: 'Decided by', value: bump.decidedBy.slice(0, 10).map((c) => `${c.shortHash} ${c.header}`).join('; ') + (bump.decidedBy.length > 10 ? `; and ${bump.decidedBy.length - 10} more` : '') }] : []),
    { label: 'Work items', value: linked.items.length ? linked.items.map((i) => `${i.label}${i.item ? ` (${i.item.state})` : ''}`).join(', ') : 'none named' },
  ];
  return { history, dir, tagPrefix, currentVersion, nextVersion: next, releaseType, tag, decidedBy: bump.decidedBy, reason: bump.reason, items: linked.items, entries, notes, summary, date, links, manifests, edits, findings, facts, remarks };
}

/** The JSON `ai-devops release plan --json` prints (the plan's `result`). */
export function releaseResult(d: ReleaseDecision): Record<string, OutboxJson> {
  const byCommit = new Map<string, string[]>();
  for (const i of d.items) {
    for (const hash of i.commits) {
      const labels = byCommit.get(hash);
      if (labels) labels.push(i.label);
      else byCommit.set(hash, [i.label]);
    }
  }
  // One result object per commit (10,000 in a long release): built in one loop, without a
  // closure or an empty array per commit that names no item.
  const releasable = d.history.releasable;
  const commits: OutboxJson[] = new Array<OutboxJson>(releasable.length);
  const none = Object.freeze([]) as unknown as OutboxJson[]; // shared, so frozen: read-only JSON
  for (let n = 0; n < releasable.length; n++) {
    const c = releasable[n]!;
    commits[n] = { hash: c.hash, type: c.type ?? null, scope: c.scope ?? null, subject: c.subject, breaking: c.breaking, workItems: byCommit.get(c.hash) ?? none };
  }
  return {
    currentVersion: d.currentVersion,
    nextVersion: d.nextVersion ?? null,
    releaseType: d.releaseType ?? null,
    previousTag: d.history.lastTag ?? null,
    tag: d.tag ?? null,
    commits,
    decidedBy: d.decidedBy.map((c) => c.hash),
    workItems: d.items.map((i) => ({ key: i.label, title: i.item?.title ?? null, state: i.item?.state ?? null, url: i.item?.url ?? null, ...(i.unresolved ? { unresolved: i.unresolved } : {}) })),
    notes: d.notes,
    summary: d.summary ? { text: d.summary.text, generatedBy: d.summary.model } : null,
    files: d.edits.map((e) => e.path),
  };
}
