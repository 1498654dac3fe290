import { findNodeAtLocation, type Node, parseTree, type ParseError } from 'jsonc-parser';
import { type ManifestReading, type VersionSpot } from './versionEdit';

/** A string value's characters inside its quotes, as a spot. */
function stringSpot(tree: Node | undefined, path: (string | number)[], label: string): VersionSpot | undefined {
  const node = tree ? findNodeAtLocation(tree, path) : undefined;
  if (!node || node.type !== 'string') return undefined;
  return { start: node.offset + 1, end: node.offset + node.length - 1, label };
}

function parse(text: string, file: string): { tree: Node | undefined; problem?: string } {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  if (errors.length > 0 || !tree || tree.type !== 'object') return { tree: undefined, problem: `${file} is not a JSON object (error at offset ${errors[0]?.offset ?? 0}); its version was left alone.` };
  return { tree };
}

/** package.json: the top-level `version`. */
export function readPackageJson(text: string, file = 'package.json'): ManifestReading & { readonly name: string | undefined } {
  const { tree, problem } = parse(text, file);
  if (problem) return { version: undefined, spots: [], problem, name: undefined };
  const spot = stringSpot(tree, ['version'], 'version');
  const nameNode = tree ? findNodeAtLocation(tree, ['name']) : undefined;
  const name = nameNode?.type === 'string' ? String(nameNode.value) : undefined;
  return { version: spot ? text.slice(spot.start, spot.end) : undefined, spots: spot ? [spot] : [], name };
}

/**
 * package-lock.json / npm-shrinkwrap.json: the top-level `version` and the root package's
 * `packages[""].version` (lockfile v2 and v3); nothing else in the lockfile changes.
 */
export function readPackageLock(text: string, file = 'package-lock.json'): ManifestReading {
  const { tree, problem } = parse(text, file);
  if (problem) return { version: undefined, spots: [], problem };
  const spots = [stringSpot(tree, ['version'], 'version'), stringSpot(tree, ['packages', '', 'version'], 'packages[""].version')].filter((s): s is VersionSpot => s !== undefined);
  return { version: spots[0] ? text.slice(spots[0].start, spots[0].end) : undefined, spots };
}
