import { type WorkspaceFiles } from '../../runtime/context';
import { type FileEdit } from '../../runtime/plan';

/** A report file as a plan edit: created, or a modify against what is there now (so a change by hand meanwhile is refused, not lost). */
export async function reportEdit(files: WorkspaceFiles, path: string, content: string, why: string): Promise<FileEdit> {
  const existing = await files.read(path);
  return existing ? { path, action: 'modify', content, baseSha256: existing.sha256, why } : { path, action: 'create', content, why };
}
