import { WorkItemErrorPolicy } from 'azure-devops-node-api/interfaces/WorkItemTrackingInterfaces';
import { z } from 'zod';
import { DevOpsError } from '../../core/errors';
import { type AzureConnection } from '../boards/azureBoards/azureConnection';
import { badResponse } from '../boards/azureBoards/azureErrors';

/**
 * The reads the planning side of Azure Boards shares: WIQL (flat and tree), and fields of many
 * items in batches of 200 (the service's limit), through the tracker's connection (its
 * credential, retries, bulkhead and rate-limit pauses).
 */
export const MAX_IDS = 200;
const WIQL_TOP = 20_000;

const WiqlSchema = z
  .object({
    workItems: z.array(z.object({ id: z.number().int().positive() }).loose()).nullish(),
    workItemRelations: z
      .array(
        z
          .object({
            rel: z.string().nullish(),
            source: z.object({ id: z.number().int().positive() }).loose().nullish(),
            target: z.object({ id: z.number().int().positive() }).loose().nullish(),
          })
          .loose(),
      )
      .nullish(),
  })
  .loose();

export interface WorkItemRow {
  readonly id: number;
  readonly fields: Readonly<Record<string, unknown>>;
}

const RowSchema = z.object({ id: z.number().int().positive(), fields: z.record(z.string(), z.unknown()) }).loose();

/** WIQL text with a value quoted as WIQL wants it (single quotes doubled). */
export const wiqlString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

export class AzureReads {
  constructor(readonly connection: AzureConnection) {}

  get project(): string {
    return this.connection.endpoint.project;
  }

  async ids(query: string, what: string, signal?: AbortSignal): Promise<number[]> {
    const parsed = await this.query(query, what, signal);
    return (parsed.workItems ?? []).map((w) => w.id);
  }

  /** A tree query's links: `[parent, child]` pairs (roots have no parent). */
  async links(query: string, what: string, signal?: AbortSignal): Promise<{ readonly roots: number[]; readonly links: [number, number][] }> {
    const parsed = await this.query(query, what, signal);
    const roots: number[] = [];
    const links: [number, number][] = [];
    for (const r of parsed.workItemRelations ?? []) {
      if (!r.target) continue;
      if (r.source && r.rel) links.push([r.source.id, r.target.id]);
      else roots.push(r.target.id);
    }
    return { roots, links };
  }

  private async query(query: string, what: string, signal?: AbortSignal): Promise<z.infer<typeof WiqlSchema>> {
    const { project, team } = this.connection.endpoint;
    const result = await this.connection.call(what, async (api) => (await api.wit()).queryByWiql({ query }, { project, team }, undefined, WIQL_TOP), { idempotent: true, signal });
    const parsed = WiqlSchema.safeParse(result);
    if (!parsed.success || result === null) throw badResponse(what, parsed.success ? 'no result' : (parsed.error.issues[0]?.message ?? 'unexpected shape'));
    return parsed.data;
  }

  /** The named fields of each id (missing and deleted ids left out), in batches of 200 at once; `asOf` reads them as they stood then. */
  async fields(ids: readonly number[], fields: readonly string[], what: string, signal?: AbortSignal, asOf?: Date): Promise<WorkItemRow[]> {
    const unique = [...new Set(ids)];
    const chunks: number[][] = [];
    for (let i = 0; i < unique.length; i += MAX_IDS) chunks.push(unique.slice(i, i + MAX_IDS));
    const answers = await Promise.all(
      chunks.map((chunk) =>
        this.connection.call(
          what,
          async (api) => {
            const result = await (await api.wit()).getWorkItemsBatch({ ids: chunk, fields: [...fields], errorPolicy: WorkItemErrorPolicy.Omit, ...(asOf ? { asOf } : {}) }, this.project);
            if (!Array.isArray(result)) throw new DevOpsError('unavailable', `Azure DevOps sent an answer that could not be read while ${what}.`);
            return result as unknown[];
          },
          { idempotent: true, signal },
        ),
      ),
    );
    const rows: WorkItemRow[] = [];
    for (const raw of answers.flat()) {
      if (raw === null) continue;
      const row = RowSchema.safeParse(raw);
      if (!row.success) throw badResponse(what, row.error.issues[0]?.message ?? 'unexpected shape');
      rows.push({ id: row.data.id, fields: row.data.fields });
    }
    return rows;
  }
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
