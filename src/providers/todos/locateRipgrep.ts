import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * The ripgrep binary VS Code ships for its own search, found under its install folder
 * (`vscode.env.appRoot`). Its place has moved between releases: `@vscode/ripgrep` (inside or next
 * to the asar archive) and, since VS Code's sources moved to `@vscode/ripgrep-universal`, one
 * folder per platform. Undefined when none is there and executable: the index then walks itself.
 */
export function locateRipgrep(appRoot: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  const binary = platform === 'win32' ? 'rg.exe' : 'rg';
  const candidates = [
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', binary),
    path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', binary),
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, binary),
    path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, binary),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, platform === 'win32' ? constants.F_OK : constants.X_OK);
      return candidate;
    } catch {
      // Not in this layout: try the next.
    }
  }
  return undefined;
}
