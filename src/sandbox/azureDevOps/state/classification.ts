import { type ClassificationNode } from './model';

/** Area and iteration trees: paths are `Project\Child\Grandchild`, compared case-insensitively. */
export interface NodeHit {
  readonly node: ClassificationNode;
  /** `Project\Sprint 1`, the form System.IterationPath holds. */
  readonly path: string;
  readonly parent: ClassificationNode | undefined;
}

export function walkNodes(root: ClassificationNode, visit: (hit: NodeHit) => void): void {
  const go = (node: ClassificationNode, path: string, parent: ClassificationNode | undefined): void => {
    visit({ node, path, parent });
    node.children.forEach((child) => go(child, `${path}\\${child.name}`, node));
  };
  go(root, root.name, undefined);
}

export function findNodeByPath(root: ClassificationNode, path: string): NodeHit | undefined {
  const wanted = normalizePath(path);
  let found: NodeHit | undefined;
  walkNodes(root, (hit) => {
    if (!found && hit.path.toLowerCase() === wanted) found = hit;
  });
  return found;
}

export function findNodeByIdentifier(root: ClassificationNode, identifier: string): NodeHit | undefined {
  let found: NodeHit | undefined;
  walkNodes(root, (hit) => {
    if (!found && (hit.node.identifier.toLowerCase() === identifier.toLowerCase() || String(hit.node.id) === identifier)) found = hit;
  });
  return found;
}

/** `\Project\Iteration\Sprint 1` (the classification node API form) or `Project\Sprint 1` to `project\sprint 1`. */
export function normalizePath(path: string): string {
  return path.replace(/^\\+/, '').replace(/\\+$/, '').toLowerCase();
}

/** WIQL UNDER: the path itself or anything below it. */
export function isUnder(path: string, ancestor: string): boolean {
  const p = normalizePath(path);
  const a = normalizePath(ancestor);
  return p === a || p.startsWith(`${a}\\`);
}

/** Where a dated iteration stands relative to `now`: the team iterations API's timeFrame. */
export function timeFrameOf(node: ClassificationNode, now: Date): 'past' | 'current' | 'future' {
  if (!node.startDate || !node.finishDate) return 'future';
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const start = Date.parse(node.startDate);
  const finish = Date.parse(node.finishDate);
  if (finish < today) return 'past';
  if (start > today) return 'future';
  return 'current';
}
