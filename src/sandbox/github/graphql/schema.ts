import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { startupTimeline } from '../../../core/startupTimeline';

const RELATIVE = path.join('@octokit', 'graphql-schema', 'schema.graphql');
/** Where the extension's build copies GitHub's schema next to the bundle (see docs/sandbox-github.md). */
const BUNDLED = 'github-schema.graphql';

let override: string | undefined;
let cached: GraphQLSchema | undefined;

/** Points the stand-in at a copy of @octokit/graphql-schema's schema.graphql (for a bundled extension). */
export function setGitHubSchemaPath(file: string): void {
  override = file;
  cached = undefined;
}

/**
 * The package is ESM-only and reads its files through import.meta.url, which neither the CJS tests
 * nor the CJS bundle have, so the SDL file is found on disk: an explicit path, a copy next to this
 * code, or the package in any node_modules above this file or the working directory.
 */
function findSchemaFile(): string {
  const candidates: string[] = [];
  if (override) candidates.push(override);
  candidates.push(path.join(__dirname, BUNDLED));
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      candidates.push(path.join(dir, 'node_modules', RELATIVE));
      if (path.dirname(dir) === dir) break;
    }
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`GitHub's GraphQL schema (${RELATIVE}) was not found; looked in ${candidates.slice(0, 3).join(', ')} and node_modules above.`);
  return found;
}

/** GitHub's real public schema, built once (about 64,000 lines of SDL; assumed valid, as GitHub publishes it). */
export function githubSchema(): GraphQLSchema {
  // Blocks the extension host while it runs (the first GitHub query waits for it): on the start-up timeline.
  cached ??= startupTimeline().spanSync('GitHub stand-in: schema build', () => buildSchema(readFileSync(findSchemaFile(), 'utf8'), { assumeValidSDL: true }));
  return cached;
}
