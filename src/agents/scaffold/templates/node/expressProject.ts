import { command, lines, text, type ScaffoldFile, type ScaffoldOutput } from '../../output';
import type { ScaffoldOptions } from '../../options';
import { ciFiles } from '../shared/ci';
import { composeFile } from '../shared/compose';
import { DATABASE_LABELS, databaseName, databaseServer } from '../shared/databases';
import { readme } from '../shared/readme';
import { nodeIgnoreFiles, nodeServiceDockerfile, oxlintConfig, packageJson } from './common';
import { EXPRESS_PORT, expressAppFiles } from './express';
import { expressDataFiles, nodeStoreKind } from './expressData';
import { dependencies, type NpmPackage } from './versions';

/** The Express (TypeScript) template: app files plus package.json, compiler, test and lint configuration, container and CI. */

function packageFile(o: ScaffoldOptions): ScaffoldFile {
  const deps: NpmPackage[] = ['express', 'zod'];
  const dev: NpmPackage[] = ['typescript', '@types/node', '@types/express', 'tsx'];
  if (nodeStoreKind(o) === 'sql') deps.push('kysely');
  if (o.database === 'postgres') {
    deps.push('pg');
    dev.push('@types/pg');
  }
  if (o.database === 'sqlserver') deps.push('tedious', 'tarn');
  if (o.database === 'mongodb') deps.push('mongodb');
  if (o.openapi) {
    deps.push('swagger-ui-express');
    dev.push('@types/swagger-ui-express');
  }
  if (o.tests) dev.push('vitest', 'supertest', '@types/supertest');
  if (o.lint) dev.push('oxlint');
  const scripts: Record<string, string> = {
    dev: 'tsx watch src/server.ts',
    build: 'tsc -p tsconfig.build.json',
    start: 'node dist/server.js',
    typecheck: 'tsc --noEmit',
  };
  if (o.lint) scripts.lint = 'oxlint';
  if (o.tests) scripts.test = 'vitest run';
  return packageJson({ name: o.name, scripts, dependencies: dependencies(deps), devDependencies: dependencies(dev) });
}

function tsconfigs(o: ScaffoldOptions): ScaffoldFile[] {
  const base = {
    compilerOptions: {
      target: 'es2023',
      lib: ['ES2023'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noFallthroughCasesInSwitch: true,
      verbatimModuleSyntax: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
    },
    include: ['src', ...(o.tests ? ['test', 'vitest.config.ts'] : [])],
  };
  const build = { extends: './tsconfig.json', compilerOptions: { noEmit: false, rootDir: 'src', outDir: 'dist', sourceMap: true }, include: ['src'] };
  return [
    { path: 'tsconfig.json', content: `${JSON.stringify(base, null, 2)}\n` },
    { path: 'tsconfig.build.json', content: `${JSON.stringify(build, null, 2)}\n` },
  ];
}

function vitestConfig(): ScaffoldFile {
  return {
    path: 'vitest.config.ts',
    content: text(`
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/**/*.test.ts'],
    // Against a real server (DATABASE_URL) the test files share its tables: run them one after another.
    fileParallelism: !process.env.DATABASE_URL,
  },
});
`),
  };
}

export function renderExpress(o: ScaffoldOptions): ScaffoldOutput {
  const server = databaseServer(o.database);
  const files: ScaffoldFile[] = [...expressAppFiles(o), ...expressDataFiles(o), packageFile(o), ...tsconfigs(o), ...nodeIgnoreFiles(['test/'])];
  if (o.tests) files.push(vitestConfig());
  if (o.lint) {
    files.push(oxlintConfig(['typescript', 'oxc', 'import', 'node', 'vitest'], {
      // Express 5 passes a rejected promise from a handler to the error middleware; this rule is for Express 4.
      'oxc/no-async-endpoint-handlers': 'off',
      // supertest's .expect(status) asserts too.
      'vitest/expect-expect': ['error', { assertFunctionNames: ['expect', 'request.**.expect'] }],
    }));
  }
  const url = server ? server.url('localhost', databaseName(o.name)) : o.database === 'sqlite' ? 'sqlite:///data/app.db' : undefined;
  files.push({ path: '.env.example', content: text(lines('# Copy to .env or export these; nothing here is read unless your shell or compose sets it.', `PORT=${EXPRESS_PORT}`, url ? `DATABASE_URL=${url}` : undefined)) });
  if (o.docker) files.push(nodeServiceDockerfile(EXPRESS_PORT, o.database === 'sqlite'));
  const compose = composeFile({ projectName: o.name, database: o.database, app: o.docker, appPort: EXPRESS_PORT, ...(o.database === 'sqlite' ? { sqliteDataPath: '/app/data' } : {}) });
  if (compose) files.push(compose);
  if (o.ci) {
    files.push(...ciFiles({
      projectName: o.name,
      database: o.database,
      toolchain: 'node',
      install: ['npm ci'],
      ...(o.lint ? { lint: 'npm run lint' } : {}),
      build: 'npm run typecheck && npm run build',
      test: o.tests ? 'npx vitest run --reporter=default --reporter=junit --outputFile.junit=test-results/junit.xml' : 'npm run build',
      ...(o.tests ? { junitFile: 'test-results/junit.xml' } : {}),
    }));
  }
  files.push(readme(o, {
    stack: 'An Express 5 service in TypeScript',
    install: ['npm install'],
    run: ['npm run dev'],
    url: o.openapi ? `http://localhost:${EXPRESS_PORT}/docs` : `http://localhost:${EXPRESS_PORT}/health`,
    test: o.tests ? 'npm test' : 'npm run build',
    ...(o.lint ? { lint: 'npm run lint' } : {}),
    layout: [
      ['src/app.ts', 'the Express app: routes, JSON errors, /health' + (o.openapi ? ', /openapi.json and /docs' : '')],
      ['src/entities/', 'what a client may send, per resource (zod)'],
      ['src/routes/crud.ts', 'list, create, get, change, delete for any resource'],
      ['src/db/', nodeStoreKind(o) === 'sql' ? 'the store: Kysely over the database, and the migrations that make its tables' : nodeStoreKind(o) === 'mongo' ? 'the store: the MongoDB driver (and the in-memory store the tests use without a server)' : 'the store: in memory'],
      ...(o.tests ? [['test/', 'vitest and supertest'] as [string, string]] : []),
    ],
    testNote:
      nodeStoreKind(o) === 'mongo'
        ? 'Without `DATABASE_URL` the tests keep documents in memory; with it they use that server (each test in a database of its own, dropped afterwards), as CI does.'
        : 'Without `DATABASE_URL` the tests use SQLite in memory (Node\'s node:sqlite); with it they run against that server. **They drop and make again the tables there: point it at a database kept for tests.**',
  }));
  const notes = [`An Express 5 service in TypeScript with ${DATABASE_LABELS[o.database]}; needs Node.js 22.22 or 24.15 and later.`];
  if (o.tests && server) notes.push(`The tests run without a server (${o.database === 'mongodb' ? 'documents in memory' : 'SQLite through node:sqlite'}) unless DATABASE_URL names one; CI runs them against ${server.label} in a service container.`);
  if (!o.tests) notes.push('Tests are off: the check command (npm run build) only proves the code compiles.');
  return { files, installCommand: command('npm', ['install']), testCommand: o.tests ? command('npm', ['test']) : command('npm', ['run', 'build']), notes };
}
