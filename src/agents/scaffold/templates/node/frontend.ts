import { command, lines, text, type ScaffoldFile, type ScaffoldOutput } from '../../output';
import { projectTitle, type ScaffoldOptions } from '../../options';
import { ciFiles } from '../shared/ci';
import { composeFile } from '../shared/compose';
import { readme } from '../shared/readme';
import { nodeIgnoreFiles, oxlintConfig, packageJson, staticSiteDockerfile } from './common';
import { dependencies, type NpmPackage } from './versions';

/**
 * What the React and Vue templates share. Their layout follows create-vite's current react-ts and
 * vue-ts templates (index.html at the root, src/main, a public/ folder, tsconfig.json referencing
 * tsconfig.app.json and tsconfig.node.json, vite.config.ts) plus what create-vite leaves out:
 * vitest with jsdom, oxlint (as create-vite's React template uses), a container and CI. The starting
 * page shows whether the backend's /health answers, through a small typed API module.
 */

export interface FrontendSpec {
  readonly framework: 'react' | 'vue';
  readonly entry: string;
  readonly mountId: string;
  readonly dependencies: readonly NpmPackage[];
  readonly devDependencies: readonly NpmPackage[];
  readonly typecheck: string;
  readonly oxlintPlugins: readonly string[];
  readonly oxlintRules?: Readonly<Record<string, unknown>>;
  /** The app's own files (src/…), tests included when tests are on. */
  readonly files: readonly ScaffoldFile[];
  readonly layout: readonly (readonly [string, string])[];
  readonly viteConfig: string;
  readonly tsconfigApp: Record<string, unknown>;
}

export const VITE_PORT = 5173;

function indexHtml(o: ScaffoldOptions, spec: FrontendSpec): ScaffoldFile {
  return {
    path: 'index.html',
    content: text(`
<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>${projectTitle(o.name)}</title>
  </head>
  <body>
    <div id="${spec.mountId}"></div>
    <script type="module" src="/src/${spec.entry}"></script>
  </body>
</html>
`),
  };
}

function favicon(): ScaffoldFile {
  return {
    path: 'public/favicon.svg',
    content: text(`
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
  <rect width="32" height="32" rx="7" fill="#2f5bd3"/>
  <path d="M9 21.5 14.5 10h3L23 21.5h-3.2l-1.1-2.6h-5.4l-1.1 2.6Zm5.3-5.1h3.4L16 12.2Z" fill="#fff"/>
</svg>
`),
  };
}

/** The typed fetch of the backend's health check that the starting page uses; replace with your own calls. */
export function apiModule(): ScaffoldFile {
  return {
    path: 'src/api.ts',
    content: text(`
/** Where the backend lives: VITE_API_URL at build time (see .env.example), else the same origin. */
export const API_URL = (import.meta.env.VITE_API_URL ?? '').replace(/\\/$/, '');

export type Health = { state: 'up' } | { state: 'down'; reason: string };

/** Asks the backend's /health; never throws, so a page can always show an answer. */
export async function checkHealth(signal?: AbortSignal): Promise<Health> {
  try {
    const response = await fetch(\`\${API_URL}/health\`, { signal, headers: { Accept: 'application/json' } });
    if (response.ok) return { state: 'up' };
    return { state: 'down', reason: \`HTTP \${response.status}\` };
  } catch (error) {
    if (signal?.aborted) throw error;
    return { state: 'down', reason: error instanceof Error ? error.message : String(error) };
  }
}
`),
  };
}

function envTypes(): ScaffoldFile {
  return {
    path: 'src/env.d.ts',
    content: text(`
interface ImportMetaEnv {
  /** The backend's base URL, e.g. http://localhost:8000; empty means the same origin. */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
`),
  };
}

function tsconfigs(spec: FrontendSpec): ScaffoldFile[] {
  const node = {
    compilerOptions: {
      tsBuildInfoFile: './node_modules/.tmp/tsconfig.node.tsbuildinfo',
      target: 'es2023',
      lib: ['ES2023'],
      types: ['node'],
      skipLibCheck: true,
      module: 'nodenext',
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      moduleDetection: 'force',
      noEmit: true,
      strict: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      erasableSyntaxOnly: true,
      noFallthroughCasesInSwitch: true,
    },
    include: ['vite.config.ts'],
  };
  const root = { files: [], references: [{ path: './tsconfig.app.json' }, { path: './tsconfig.node.json' }] };
  return [
    { path: 'tsconfig.json', content: `${JSON.stringify(root, null, 2)}\n` },
    { path: 'tsconfig.app.json', content: `${JSON.stringify(spec.tsconfigApp, null, 2)}\n` },
    { path: 'tsconfig.node.json', content: `${JSON.stringify(node, null, 2)}\n` },
  ];
}

export function renderFrontend(o: ScaffoldOptions, spec: FrontendSpec): ScaffoldOutput {
  const label = spec.framework === 'react' ? 'React' : 'Vue';
  const deps = [...spec.dependencies];
  const dev: NpmPackage[] = [...spec.devDependencies, 'vite', 'typescript', '@types/node'];
  if (o.tests) dev.push('vitest', 'jsdom');
  if (o.lint) dev.push('oxlint');
  const scripts: Record<string, string> = { dev: 'vite', build: `${spec.typecheck} && vite build`, preview: 'vite preview' };
  if (o.lint) scripts.lint = 'oxlint';
  if (o.tests) scripts.test = 'vitest run';
  const files: ScaffoldFile[] = [
    packageJson({ name: o.name, scripts, dependencies: dependencies(deps), devDependencies: dependencies(dev) }),
    indexHtml(o, spec),
    favicon(),
    apiModule(),
    envTypes(),
    ...spec.files,
    ...tsconfigs(spec),
    { path: 'vite.config.ts', content: text(spec.viteConfig) },
    ...nodeIgnoreFiles(),
    { path: '.env.example', content: text(lines('# Read by Vite at build time (only VITE_* variables reach the page; never put a secret here).', 'VITE_API_URL=http://localhost:8000')) },
  ];
  if (o.lint) files.push(oxlintConfig(spec.oxlintPlugins, spec.oxlintRules));
  if (o.docker) files.push(...staticSiteDockerfile());
  const compose = composeFile({ projectName: o.name, database: 'none', app: o.docker, appPort: 8080 });
  if (compose) {
    // nginx listens on 8080 inside the container.
    files.push(compose);
  }
  if (o.ci) {
    files.push(...ciFiles({
      projectName: o.name,
      database: 'none',
      toolchain: 'node',
      install: ['npm ci'],
      ...(o.lint ? { lint: 'npm run lint' } : {}),
      build: 'npm run build',
      test: o.tests ? 'npx vitest run --reporter=default --reporter=junit --outputFile.junit=test-results/junit.xml' : 'npm run build',
      ...(o.tests ? { junitFile: 'test-results/junit.xml' } : {}),
    }));
  }
  files.push(readme(o, {
    stack: `A ${label} + TypeScript front end built with Vite`,
    install: ['npm install', 'cp .env.example .env.local   # VITE_API_URL: where your backend runs'],
    run: ['npm run dev'],
    url: `http://localhost:${VITE_PORT}`,
    test: o.tests ? 'npm test' : 'npm run build',
    ...(o.lint ? { lint: 'npm run lint' } : {}),
    layout: [...spec.layout, ['src/api.ts', "calls to the backend (VITE_API_URL); the page shows whether its /health answers"], ['public/', 'files served as they are']],
  }));
  const notes = [`A ${label} + TypeScript front end (Vite); needs Node.js 22.22 or 24.15 and later.`];
  if (!o.tests) notes.push('Tests are off: the check command (npm run build) type-checks and builds.');
  return { files, installCommand: command('npm', ['install']), testCommand: o.tests ? command('npm', ['test']) : command('npm', ['run', 'build']), notes };
}
