import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from './config';

const PackageSchema = z.object({ name: z.string(), publisher: z.string(), version: z.string(), main: z.string() });

/** What a .vsix of this extension holds (see .vscodeignore): the bundles, icons and docs. */
const SHIPPED = ['package.json', 'dist', 'media', 'README.md', 'CHANGELOG.md', 'LICENSE'];

/**
 * Installs the built extension into a VS Code extensions dir as a plain folder, the way VS Code
 * lays out an installed .vsix (`publisher.name-version/`). `link` points at the repo (a rebuild
 * plus "Reload Window" picks changes up: `npm start`); `copy` takes what would ship (tests).
 */
export function installExtensionFolder(extensionsDir: string, mode: 'link' | 'copy', root: string = repoRoot): { id: string; folder: string } {
  const pkg = PackageSchema.parse(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));
  const main = path.join(root, pkg.main.endsWith('.js') ? pkg.main : `${pkg.main}.js`);
  if (!existsSync(main)) throw new Error(`The extension is not built (${path.relative(root, main)} is missing). Run \`npm run build\` first.`);
  const id = `${pkg.publisher}.${pkg.name}`;
  const folder = path.join(extensionsDir, `${id}-${pkg.version}`);
  mkdirSync(extensionsDir, { recursive: true });
  // Earlier versions of this extension in the same dir would load instead of (or beside) this one.
  for (const entry of readdirSync(extensionsDir)) {
    if (entry.startsWith(`${id}-`)) rmSync(path.join(extensionsDir, entry), { recursive: true, force: true });
  }
  if (mode === 'link') {
    symlinkSync(root, folder, 'dir');
  } else {
    mkdirSync(folder);
    for (const entry of SHIPPED) {
      const from = path.join(root, entry);
      if (existsSync(from)) cpSync(from, path.join(folder, entry), { recursive: true });
    }
  }
  return { id, folder };
}
