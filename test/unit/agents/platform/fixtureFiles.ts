import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type ReviewFile } from '../../../../src/agents/platform/hardening';

export const HARDENING_FIXTURES = path.join(__dirname, '..', '..', '..', 'fixtures', 'hardening');

/** Every file under a folder as review input, paths relative to it with forward slashes, sorted. */
export async function readTree(root: string): Promise<ReviewFile[]> {
  const out: ReviewFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push({ path: path.relative(root, full).split(path.sep).join('/'), text: await fs.readFile(full, 'utf8') });
    }
  };
  await walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
