import semver from 'semver';
import { type FileEdit } from '../../runtime/plan';
import { type WorkspaceFiles } from '../../runtime/context';
import { readPackageJson, readPackageLock } from './packageJson';
import { readMsbuildProject } from './msbuildProject';
import { readCargoLock, readCargoToml, readPyproject } from './tomlManifest';
import { type ManifestReading, type VersionSpot, writeVersion } from './versionEdit';

/** A manifest found in the release's folder, its version and where it sits. */
export interface FoundManifest {
  readonly path: string;
  readonly kind: 'npm' | 'npm-lock' | 'python' | 'dotnet' | 'cargo' | 'cargo-lock';
  readonly version: string | undefined;
  readonly name?: string;
  readonly problem?: string;
  readonly sha256: string;
  readonly text: string;
  readonly spots: readonly VersionSpot[];
  readonly suffixSpot?: VersionSpot;
  readonly hasPrefix?: boolean;
}

const join = (dir: string, file: string): string => (dir ? `${dir}/${file}` : file);

/**
 * The manifests of the folder being released (the workspace root, or a monorepo package's folder):
 * package.json with its lockfile, pyproject.toml, Cargo.toml with Cargo.lock, Directory.Build.props
 * and the .NET project files. A project file in a sub-folder counts only when the release is of the
 * whole repository and it declares a version of its own.
 */
export async function findManifests(files: WorkspaceFiles, dir: string): Promise<FoundManifest[]> {
  const found: FoundManifest[] = [];
  const add = async (path: string, kind: FoundManifest['kind'], read: (text: string) => ManifestReading & { name?: string | undefined; suffixSpot?: VersionSpot; hasPrefix?: boolean }): Promise<FoundManifest | undefined> => {
    const file = await files.read(path);
    if (!file) return undefined;
    const r = read(file.text);
    if (!r.version && !r.problem && r.spots.length === 0) return undefined;
    const m: FoundManifest = { path, kind, version: r.version, ...(r.name ? { name: r.name } : {}), ...(r.problem ? { problem: r.problem } : {}), sha256: file.sha256, text: file.text, spots: r.spots, ...(r.suffixSpot ? { suffixSpot: r.suffixSpot } : {}), ...(r.hasPrefix ? { hasPrefix: true } : {}) };
    found.push(m);
    return m;
  };
  const pkg = await add(join(dir, 'package.json'), 'npm', (t) => readPackageJson(t, join(dir, 'package.json')));
  if (pkg?.version) {
    for (const lock of ['package-lock.json', 'npm-shrinkwrap.json']) await add(join(dir, lock), 'npm-lock', (t) => readPackageLock(t, join(dir, lock)));
  }
  await add(join(dir, 'pyproject.toml'), 'python', (t) => readPyproject(t, join(dir, 'pyproject.toml')));
  const cargo = await add(join(dir, 'Cargo.toml'), 'cargo', (t) => readCargoToml(t, join(dir, 'Cargo.toml')));
  if (cargo?.version && cargo.name) await add(join(dir, 'Cargo.lock'), 'cargo-lock', (t) => readCargoLock(t, cargo.name!, cargo.version!, join(dir, 'Cargo.lock')));
  await add(join(dir, 'Directory.Build.props'), 'dotnet', (t) => readMsbuildProject(t, join(dir, 'Directory.Build.props')));
  const projects = await files.list([join(dir, '**/*.csproj'), join(dir, '**/*.fsproj'), join(dir, '**/*.vbproj')], { max: 200 });
  for (const p of projects.paths) await add(p, 'dotnet', (t) => readMsbuildProject(t, p));
  return found;
}

/** The edit that writes `version` into a manifest, or undefined when it already says so. */
export function versionEdit(m: FoundManifest, version: string): { edit?: FileEdit; note?: string } {
  if (m.problem) return { note: m.problem };
  if (m.spots.length === 0) return {};
  let content: string;
  if (m.kind === 'dotnet' && m.hasPrefix) {
    // <VersionPrefix> takes 1.2.3; the pre-release part goes into <VersionSuffix> when there is one.
    const parsed = semver.parse(version)!;
    const prefix = `${parsed.major}.${parsed.minor}.${parsed.patch}`;
    const suffix = parsed.prerelease.join('.');
    if (suffix && !m.suffixSpot) return { note: `${m.path} has <VersionPrefix> but no <VersionSuffix> for the pre-release part "${suffix}"; add <VersionSuffix></VersionSuffix> next to it, or set the version there yourself.` };
    const spots = m.suffixSpot ? [...m.spots, m.suffixSpot] : m.spots;
    content = writeVersion(m.text, spots, (s) => (s === m.suffixSpot ? suffix : s.label === '<VersionPrefix>' ? prefix : version));
  } else content = writeVersion(m.text, m.spots, version);
  if (content === m.text) return {};
  return { edit: { path: m.path, action: 'modify', content, baseSha256: m.sha256, why: `version ${m.version ?? '(none)'} → ${version} (${m.spots.map((s) => s.label).join(', ')})` } };
}
