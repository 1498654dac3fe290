import { type AST, parseTOML } from 'toml-eslint-parser';
import { type ManifestReading, type VersionSpot } from './versionEdit';

type KeyValue = AST.TOMLKeyValue;

const keyNames = (key: AST.TOMLKey): string[] => key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));

/** Every key/value in the document with its full dotted path (`project.version`), array tables with their index. */
function* entries(program: AST.TOMLProgram): Generator<{ path: (string | number)[]; kv: KeyValue }> {
  const top = program.body[0];
  if (!top) return;
  for (const node of top.body) {
    if (node.type === 'TOMLKeyValue') yield { path: keyNames(node.key), kv: node };
    else for (const kv of node.body) yield { path: [...node.resolvedKey, ...keyNames(kv.key)], kv };
  }
}

function parse(text: string, file: string): { program?: AST.TOMLProgram; problem?: string } {
  try {
    return { program: parseTOML(text) };
  } catch (error) {
    return { problem: `${file} is not valid TOML (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); its version was left alone.` };
  }
}

/** A string value's characters inside its quotes (basic or literal, one line). */
function spotOf(text: string, kv: KeyValue, label: string): VersionSpot | undefined {
  const v = kv.value;
  if (v.type !== 'TOMLValue' || v.kind !== 'string' || v.style === undefined) return undefined;
  const raw = text.slice(v.range[0], v.range[1]);
  const quote = raw.startsWith('"""') || raw.startsWith("'''") ? 3 : 1;
  return { start: v.range[0] + quote, end: v.range[1] - quote, label };
}

const same = (a: readonly (string | number)[], b: readonly (string | number)[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

function readAt(text: string, file: string, paths: readonly (readonly string[])[]): ManifestReading {
  const { program, problem } = parse(text, file);
  if (!program) return { version: undefined, spots: [], problem: problem! };
  for (const want of paths) {
    for (const { path, kv } of entries(program)) {
      if (same(path, want)) {
        const spot = spotOf(text, kv, want.join('.'));
        if (!spot) return { version: undefined, spots: [], problem: `${file}: ${want.join('.')} is not a plain string; its version was left alone.` };
        return { version: text.slice(spot.start, spot.end), spots: [spot] };
      }
      // `version.workspace = true` (Cargo) or `dynamic = ["version"]` (PEP 621): the version lives elsewhere.
      if (same(path.slice(0, want.length), want) && path.length > want.length) return { version: undefined, spots: [], problem: `${file} takes ${want.join('.')} from the workspace; the workspace's Cargo.toml carries the version.` };
    }
  }
  for (const { path, kv } of entries(program)) {
    if (same(path, ['project', 'dynamic']) && kv.value.type === 'TOMLArray' && kv.value.elements.some((e) => e.type === 'TOMLValue' && e.value === 'version')) {
      return { version: undefined, spots: [], problem: `${file} declares its version dynamic (a build backend computes it from the tag), so there is nothing to change there.` };
    }
  }
  return { version: undefined, spots: [] };
}

/** pyproject.toml: `[project] version` (PEP 621), else `[tool.poetry] version`. */
export function readPyproject(text: string, file = 'pyproject.toml'): ManifestReading {
  return readAt(text, file, [['project', 'version'], ['tool', 'poetry', 'version']]);
}

/** Cargo.toml: `[package] version`, else `[workspace.package] version`; with the package's name. */
export function readCargoToml(text: string, file = 'Cargo.toml'): ManifestReading & { readonly name: string | undefined } {
  const reading = readAt(text, file, [['package', 'version'], ['workspace', 'package', 'version']]);
  const { program } = parse(text, file);
  let name: string | undefined;
  if (program) for (const { path, kv } of entries(program)) if (same(path, ['package', 'name']) && kv.value.type === 'TOMLValue' && typeof kv.value.value === 'string') name = kv.value.value;
  return { ...reading, name };
}

/** Cargo.lock: the `[[package]]` entry of the crate itself (by name and its current version). */
export function readCargoLock(text: string, crate: string, current: string, file = 'Cargo.lock'): ManifestReading {
  const { program, problem } = parse(text, file);
  if (!program) return { version: undefined, spots: [], problem: problem! };
  const top = program.body[0];
  for (const node of top?.body ?? []) {
    if (node.type !== 'TOMLTable' || node.kind !== 'array' || node.resolvedKey[0] !== 'package') continue;
    const name = node.body.find((kv) => same(keyNames(kv.key), ['name']));
    const version = node.body.find((kv) => same(keyNames(kv.key), ['version']));
    if (name?.value.type === 'TOMLValue' && name.value.value === crate && version?.value.type === 'TOMLValue' && version.value.value === current) {
      const spot = spotOf(text, version, `[[package]] ${crate} version`);
      if (spot) return { version: current, spots: [spot] };
    }
  }
  return { version: undefined, spots: [] };
}
