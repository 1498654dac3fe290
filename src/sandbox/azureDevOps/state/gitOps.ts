import { AdoHttpError, badRequest } from '../http/errors';
import { EMPTY_OBJECT_ID, objectId } from './ids';
import { type Commit, type GitChange, type GitUser, type Repository } from './model';

/** A repository's history is a DAG of commits that each list their file changes; trees are replayed from them. */
export function commitOf(repo: Repository, id: string): Commit | undefined {
  const wanted = id.toLowerCase();
  return repo.commits.find((c) => c.commitId === wanted);
}

/** Files and their text at a commit, replaying first parents from the root. */
export function treeAt(repo: Repository, commitId: string | undefined): Map<string, string> {
  const chain: Commit[] = [];
  let cursor = commitId ? commitOf(repo, commitId) : undefined;
  while (cursor) {
    chain.push(cursor);
    cursor = cursor.parents[0] ? commitOf(repo, cursor.parents[0]) : undefined;
  }
  const tree = new Map<string, string>();
  for (const commit of chain.reverse()) {
    for (const change of commit.changes) {
      if (change.changeType === 'delete') tree.delete(change.path);
      else tree.set(change.path, change.content ?? '');
    }
  }
  return tree;
}

/** Commits reachable from a commit, newest first (by committer date, then walk order). */
export function history(repo: Repository, from: string | undefined): Commit[] {
  const seen = new Set<string>();
  const out: Commit[] = [];
  const queue = from ? [from] : [];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const commit = commitOf(repo, id);
    if (!commit) continue;
    out.push(commit);
    queue.push(...commit.parents);
  }
  return out.sort((a, b) => Date.parse(b.committer.date) - Date.parse(a.committer.date));
}

export function mergeBase(repo: Repository, a: string, b: string): string | undefined {
  const ancestors = new Set(history(repo, a).map((c) => c.commitId));
  return history(repo, b).find((c) => ancestors.has(c.commitId))?.commitId;
}

export function refOf(repo: Repository, name: string): Repository['refs'][number] | undefined {
  return repo.refs.find((r) => r.name.toLowerCase() === name.toLowerCase());
}

/** `main`, `heads/main` or `refs/heads/main` to `refs/heads/main`. */
export function branchRef(name: string): string {
  if (name.startsWith('refs/')) return name;
  if (name.startsWith('heads/')) return `refs/${name}`;
  return `refs/heads/${name}`;
}

/** A commit from a branch name, a full ref or a commit id. */
export function resolveVersion(repo: Repository, version: string | undefined): string | undefined {
  if (!version) return refOf(repo, repo.defaultBranch)?.objectId;
  const ref = refOf(repo, branchRef(version)) ?? refOf(repo, `refs/tags/${version}`);
  if (ref) return peel(repo, ref.objectId);
  return commitOf(repo, version)?.commitId;
}

/** An annotated tag's id resolves to the commit it tags. */
export function peel(repo: Repository, id: string): string {
  return repo.annotatedTags.find((t) => t.objectId === id)?.taggedObjectId ?? id;
}

export function addCommit(repo: Repository, parents: string[], message: string, author: GitUser, committer: GitUser, changes: GitChange[]): Commit {
  const base = treeAt(repo, parents[0]);
  for (const change of changes) {
    if (!change.path.startsWith('/')) throw badRequest('InvalidArgumentValueException', `The path '${change.path}' must start with /.`);
    const exists = base.has(change.path);
    if (change.changeType === 'add' && exists) {
      throw new AdoHttpError(409, 'GitItemAlreadyExistsException', `TF401028: The path '${change.path}' already exists at commit ${parents[0]}; use changeType edit to change it.`);
    }
    if (change.changeType !== 'add' && !exists) {
      throw badRequest('GitItemNotFoundException', `TF401174: The item '${change.path}' could not be found in the repository at commit ${parents[0] ?? '(none)'}.`);
    }
    if (change.changeType === 'delete') base.delete(change.path);
    else base.set(change.path, change.content ?? '');
  }
  const commitId = objectId('commit', parents.join(','), message, author.name, author.date, committer.date, JSON.stringify(changes));
  const commit: Commit = { commitId, parents, author, committer, comment: message, changes };
  repo.commits.push(commit);
  return commit;
}

/** The changes that bring `target` up to `source` (files changed on the source side since their merge base). */
export function mergeChanges(repo: Repository, source: string, target: string): GitChange[] {
  const base = treeAt(repo, mergeBase(repo, source, target));
  const from = treeAt(repo, source);
  const into = treeAt(repo, target);
  const changes: GitChange[] = [];
  for (const [path, content] of from) {
    if (base.get(path) === content) continue;
    if (into.get(path) === content) continue;
    changes.push({ changeType: into.has(path) ? 'edit' : 'add', path, content });
  }
  for (const path of base.keys()) if (!from.has(path) && into.has(path)) changes.push({ changeType: 'delete', path });
  return changes;
}

export const isZero = (id: string) => id === EMPTY_OBJECT_ID;

export function changeCounts(commit: Commit): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of commit.changes) {
    const key = c.changeType === 'add' ? 'Add' : c.changeType === 'edit' ? 'Edit' : 'Delete';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
