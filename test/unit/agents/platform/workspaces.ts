import { promises as fs } from 'node:fs';
import path from 'node:path';
import { renderProject } from '../../../../src/agents/scaffold/templates';
import { type Harness } from '../runtime/harness';

/** The sample workspaces every generator is tested on: the scaffold templates, a plain Node app, a Django app with its own Dockerfile. */
export const PLATFORM_FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'platform');
export const WORKSPACES = ['node-app', 'django-app', 'scaffold-fastapi', 'scaffold-flask', 'scaffold-django', 'scaffold-express'] as const;
export type WorkspaceName = (typeof WORKSPACES)[number];

async function copyTree(from: string, write: (rel: string, text: string) => Promise<void>, base = from): Promise<void> {
  for (const entry of await fs.readdir(from, { withFileTypes: true })) {
    const full = path.join(from, entry.name);
    if (entry.isDirectory()) await copyTree(full, write, base);
    else await write(path.relative(base, full).split(path.sep).join('/'), await fs.readFile(full, 'utf8'));
  }
}

/** Fills a harness folder with one sample workspace. */
export async function loadWorkspace(h: Pick<Harness, 'write'>, name: WorkspaceName): Promise<void> {
  if (name.startsWith('scaffold-')) {
    const template = name.slice('scaffold-'.length);
    for (const f of renderProject({ template, name: 'orders-api', database: 'postgres' }).files) await h.write(f.path, f.content);
    return;
  }
  await copyTree(path.join(PLATFORM_FIXTURES, name), (rel, text) => h.write(rel, text));
}
