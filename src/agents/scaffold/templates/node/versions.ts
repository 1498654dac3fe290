/**
 * The npm packages the Node templates install, as caret ranges from the versions current when the
 * templates were last checked (`npm view`); the "generated projects" stage installs and tests them.
 * TypeScript stays on 6.0, the line create-vite and typescript-eslint use.
 */
export const NPM_VERSIONS = {
  // Express backend
  express: '^5.1.0',
  zod: '^4.1.0',
  kysely: '^0.29.0',
  pg: '^8.16.0',
  tedious: '^20.0.0',
  tarn: '^3.0.2',
  mongodb: '^7.0.0',
  'swagger-ui-express': '^5.0.1',
  supertest: '^7.1.0',
  tsx: '^4.20.0',
  '@types/express': '^5.0.3',
  '@types/pg': '^8.15.0',
  '@types/supertest': '^7.2.0',
  '@types/swagger-ui-express': '^4.1.8',
  // Front ends (create-vite's current set)
  react: '^19.2.0',
  'react-dom': '^19.2.0',
  '@types/react': '^19.2.0',
  '@types/react-dom': '^19.2.0',
  '@vitejs/plugin-react': '^6.0.0',
  vue: '^3.5.0',
  '@vitejs/plugin-vue': '^6.0.0',
  '@vue/tsconfig': '^0.9.1',
  'vue-tsc': '^3.3.0',
  vite: '^8.2.0',
  // Tests and tools
  vitest: '^5.1.0',
  jsdom: '^31.0.0',
  '@testing-library/react': '^16.3.0',
  '@testing-library/dom': '^10.4.0',
  '@vue/test-utils': '^2.4.6',
  oxlint: '^1.90.0',
  typescript: '~6.0.2',
  '@types/node': '^24.0.0',
} as const;

export type NpmPackage = keyof typeof NPM_VERSIONS;

export function dependencies(names: readonly NpmPackage[]): Record<string, string> {
  return Object.fromEntries([...names].sort().map((n) => [n, NPM_VERSIONS[n]]));
}

/** Node 22.22 and 24.15 are the oldest lines jsdom and vitest 5 run on; node:sqlite needs 22.16. */
export const NODE_ENGINES = '^22.22.0 || >=24.15.0';
export const NODE_IMAGE = 'node:24-bookworm-slim';
