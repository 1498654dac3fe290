import { type AgentContext } from '../../runtime/context';
import { type FileEdit } from '../../runtime/plan';
import { type GeneratedFile } from './types';

/**
 * Generated files as plan edits: a new file is a `create`; an existing one with other content is a
 * `modify` carrying the hash of what was read (the user sees the diff and the runtime refuses it
 * if the file changes before it is written); one that already has this content is left out.
 * `keepExisting` files (a Dockerfile, a compose file someone wrote) are never touched when present.
 */
export async function editsFor(ctx: AgentContext, files: readonly GeneratedFile[], keepExisting: ReadonlySet<string> = new Set()): Promise<{ edits: FileEdit[]; unchanged: string[]; kept: string[] }> {
  const edits: FileEdit[] = [];
  const unchanged: string[] = [];
  const kept: string[] = [];
  for (const f of files) {
    const current = await ctx.files.read(f.path);
    if (!current) {
      edits.push({ path: f.path, action: 'create', content: f.content, why: 'generated from the workspace facts' });
      continue;
    }
    if (current.text === f.content) unchanged.push(f.path);
    else if (keepExisting.has(f.path)) kept.push(f.path);
    else edits.push({ path: f.path, action: 'modify', content: f.content, baseSha256: current.sha256, why: 'generated again from the workspace facts: review what changes' });
  }
  return { edits, unchanged, kept };
}
