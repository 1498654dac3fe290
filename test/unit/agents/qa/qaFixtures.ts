import { promises as fs } from 'node:fs';
import path from 'node:path';

/** The fixture workspaces under test/fixtures/qa, copied into a run's folder (runs write .devops/ and markers). */
export const FIXTURES = path.resolve(__dirname, '../../../fixtures/qa');
const REPO_NODE_MODULES = path.resolve(__dirname, '../../../../node_modules');

/** Debian's interpreter with python3-pytest, python3-pytest-cov (npm test installs them). */
export const DEBIAN_PYTHON = '/usr/bin/python3';

export async function copyFixture(name: string, into: string): Promise<void> {
  await fs.cp(path.join(FIXTURES, name), into, { recursive: true });
  // The JavaScript fixtures' scripts find mocha and c8 here, as a project finds its own devDependencies.
  await fs.symlink(REPO_NODE_MODULES, path.join(into, 'node_modules'), 'dir').catch((e: NodeJS.ErrnoException) => (e.code === 'EEXIST' ? undefined : Promise.reject(e)));
}
