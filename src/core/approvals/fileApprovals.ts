import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

/**
 * Approvals of workspace files that widen what the extension may do (`.devops/commands.json`,
 * `.devops/policy.json`). A cloned repository must not grant itself permissions, so such a file
 * counts only once the user approved its exact content, and again after every change. Approvals
 * live where the repository cannot write: VS Code's globalState in the editor, a JSON file in a
 * directory of the caller's choosing for the headless runner and the tests; never the workspace.
 */
export interface FileApproval {
  /** SHA-256 (hex) of the text the user approved. */
  readonly sha256: string;
  /** When, as an ISO timestamp. */
  readonly approvedAt: string;
}

export interface FileApprovals {
  /** The approval on record for this workspace's file, whatever content it was for. */
  get(workspaceKey: string, relativePath: string): Promise<FileApproval | undefined>;
  isApproved(workspaceKey: string, relativePath: string, contentSha256: string): Promise<boolean>;
  /** Records that the user approved exactly this content (replacing an earlier approval). */
  approve(workspaceKey: string, relativePath: string, contentSha256: string): Promise<void>;
  revoke(workspaceKey: string, relativePath: string): Promise<void>;
}

/** The hash approvals are bound to: SHA-256 of the text as the caller parses it (UTF-8). */
export const contentSha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The key a workspace's approvals are filed under: its folder's absolute path, normalised (and
 * case-folded on Windows, where `C:\Repo` and `c:\repo` are one folder).
 */
export function workspaceKeyFor(root: string, platform: NodeJS.Platform = process.platform): string {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const resolved = p.resolve(root).replace(/[\\/]+$/, '') || p.sep;
  return platform === 'win32' ? resolved.toLowerCase() : resolved;
}

/** A workspace-relative path with forward slashes; refuses anything that leaves the folder. */
export function normaliseRelativePath(relativePath: string): string {
  const normalised = path.posix.normalize(relativePath.replace(/\\/g, '/')).replace(/^\.\//, '');
  if (normalised === '' || normalised === '.' || normalised.startsWith('../') || normalised === '..' || path.posix.isAbsolute(normalised) || /^[A-Za-z]:/.test(normalised)) {
    throw new Error(`"${relativePath}" is not a path inside the workspace.`);
  }
  return normalised;
}

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
export const FileApprovalSchema = z.object({ sha256: Sha256Schema, approvedAt: z.string() }).strict();
/** Stored form: one record per workspace and path, keyed `<workspaceKey>\n<relativePath>`. */
export const FileApprovalRecordsSchema = z.record(z.string(), FileApprovalSchema);
export type FileApprovalRecords = z.infer<typeof FileApprovalRecordsSchema>;

const recordKey = (workspaceKey: string, relativePath: string): string => `${workspaceKey}\n${normaliseRelativePath(relativePath)}`;

/** Where records are kept: read the whole map, or replace it through a function of the current one. */
export interface FileApprovalStorage {
  read(): Promise<FileApprovalRecords>;
  update(change: (records: FileApprovalRecords) => FileApprovalRecords): Promise<void>;
}

/** FileApprovals over any storage; the editor and the node implementations differ only in that. */
export class StoredFileApprovals implements FileApprovals {
  constructor(
    private readonly storage: FileApprovalStorage,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(workspaceKey: string, relativePath: string): Promise<FileApproval | undefined> {
    return (await this.storage.read())[recordKey(workspaceKey, relativePath)];
  }

  async isApproved(workspaceKey: string, relativePath: string, sha256: string): Promise<boolean> {
    return (await this.get(workspaceKey, relativePath))?.sha256 === sha256;
  }

  async approve(workspaceKey: string, relativePath: string, sha256: string): Promise<void> {
    if (!Sha256Schema.safeParse(sha256).success) throw new Error('An approval needs the SHA-256 (hex) of the approved content.');
    const key = recordKey(workspaceKey, relativePath);
    const approvedAt = this.now().toISOString();
    await this.storage.update((records) => ({ ...records, [key]: { sha256, approvedAt } }));
  }

  async revoke(workspaceKey: string, relativePath: string): Promise<void> {
    const key = recordKey(workspaceKey, relativePath);
    await this.storage.update((records) => {
      const { [key]: _gone, ...rest } = records;
      return rest;
    });
  }
}

/** Stored records that do not validate count as no approval at all (fail closed), keeping the valid ones. */
export function parseApprovalRecords(raw: unknown): FileApprovalRecords {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return {};
  const records: FileApprovalRecords = {};
  for (const [key, value] of Object.entries(raw)) {
    const parsed = FileApprovalSchema.safeParse(value);
    if (parsed.success) records[key] = parsed.data;
  }
  return records;
}
