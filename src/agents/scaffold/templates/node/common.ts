import { lines, text, type ScaffoldFile } from '../../output';
import { NODE_ENGINES, NODE_IMAGE } from './versions';

/** Files every Node template shares: ignore files, the Node version, oxlint's configuration, package.json. */

export function nodeIgnoreFiles(extraDockerIgnores: readonly string[] = []): ScaffoldFile[] {
  const git = ['node_modules/', 'dist/', 'coverage/', 'test-results/', 'data/', '*.log', '.env', '*.local', '.DS_Store', '.vscode/*', '!.vscode/extensions.json', '.idea/'];
  return [
    { path: '.gitignore', content: text(git.join('\n')) },
    { path: '.dockerignore', content: text(['node_modules/', 'dist/', 'coverage/', 'test-results/', 'data/', '.git/', '.github/', '.env', 'azure-pipelines.yml', 'docker-compose.yml', 'Dockerfile', ...extraDockerIgnores].join('\n')) },
    { path: '.nvmrc', content: '24\n' },
  ];
}

/** oxlint with its default correctness rules plus the plugins for the project's language. */
export function oxlintConfig(plugins: readonly string[], rules: Readonly<Record<string, unknown>> = {}): ScaffoldFile {
  return {
    path: '.oxlintrc.json',
    content: `${JSON.stringify({ $schema: './node_modules/oxlint/configuration_schema.json', plugins, categories: { correctness: 'error' }, rules, ignorePatterns: ['dist/**', 'coverage/**'] }, null, 2)}\n`,
  };
}

export interface PackageJsonSpec {
  readonly name: string;
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly devDependencies: Readonly<Record<string, string>>;
}

export function packageJson(spec: PackageJsonSpec): ScaffoldFile {
  const doc = {
    name: spec.name,
    private: true,
    version: '0.1.0',
    type: 'module',
    engines: { node: NODE_ENGINES },
    scripts: spec.scripts,
    dependencies: spec.dependencies,
    devDependencies: spec.devDependencies,
  };
  return { path: 'package.json', content: `${JSON.stringify(doc, null, 2)}\n` };
}

/**
 * The build stage both kinds of image share: dependencies from package-lock.json when the project
 * has one (after the first `npm install`), as CI installs them, then the project's build.
 */
function buildStage(after: string): string[] {
  return [
    '# syntax=docker/dockerfile:1',
    `FROM ${NODE_IMAGE} AS build`,
    'WORKDIR /app',
    'COPY package.json package-lock.json* ./',
    'RUN if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi',
    'COPY . .',
    after,
  ];
}

export function nodeServiceDockerfile(port: number, sqlite: boolean): ScaffoldFile {
  return {
    path: 'Dockerfile',
    content: text(lines(
      ...buildStage('RUN npm run build && npm prune --omit=dev'),
      '',
      `FROM ${NODE_IMAGE} AS runtime`,
      `ENV NODE_ENV=production PORT=${port}${sqlite ? ' DATABASE_URL=sqlite:////app/data/app.db' : ''}`,
      'WORKDIR /app',
      '# The code belongs to root: the node user can read it but not change it.',
      'COPY --from=build /app/package.json ./',
      'COPY --from=build /app/node_modules ./node_modules',
      'COPY --from=build /app/dist ./dist',
      sqlite ? 'RUN mkdir -p /app/data && chown node:node /app/data\nVOLUME ["/app/data"]' : undefined,
      'USER node',
      `EXPOSE ${port}`,
      `HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]`,
      'CMD ["node", "dist/server.js"]',
    )),
  };
}

/** A front end: built with Node, served by nginx as an unprivileged user on 8080. */
export function staticSiteDockerfile(): ScaffoldFile[] {
  return [
    {
      path: 'Dockerfile',
      content: text(lines(
        ...buildStage('RUN npm run build'),
        '',
        '# nginx-unprivileged runs as uid 101 and listens on 8080: no root, no privileged port.',
        'FROM nginxinc/nginx-unprivileged:1.29-alpine AS runtime',
        'COPY nginx.conf /etc/nginx/conf.d/default.conf',
        'COPY --from=build /app/dist /usr/share/nginx/html',
        'USER 101',
        'EXPOSE 8080',
        'HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 CMD ["wget", "-q", "--spider", "http://127.0.0.1:8080/"]',
        'CMD ["nginx", "-g", "daemon off;"]',
      )),
    },
    {
      path: 'nginx.conf',
      content: text(`
server {
    listen 8080;
    server_name _;
    root /usr/share/nginx/html;
    index index.html;

    # Hashed assets never change: cache them for a year. index.html is always revalidated.
    location /assets/ {
        add_header Cache-Control "public, max-age=31536000, immutable";
        try_files $uri =404;
    }

    # Client-side routes fall back to the app.
    location / {
        add_header Cache-Control "no-cache";
        try_files $uri $uri/ /index.html;
    }
}
`),
    },
  ];
}
