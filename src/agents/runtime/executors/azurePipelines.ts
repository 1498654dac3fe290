import { z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import type { AzureClients, AzureConnection } from '../../../providers/boards/azureBoards/azureConnection';
import { type RemoteExecutionContext, type RemoteOutcome } from '../remote';
import { followUntil, type FollowOptions } from './follow';

/**
 * Azure Pipelines runs through azure-devops-node-api's Pipelines client: a pipeline named by id or
 * name, run for a ref with template parameters, followed to its result. Answers are read with zod
 * (the client turns the service's enum strings into numbers; both are accepted).
 */

const PipelineShape = z.object({ id: z.number(), name: z.string(), folder: z.string().nullish() });
const RunShape = z.object({
  id: z.number(),
  name: z.string().nullish(),
  state: z.union([z.number(), z.string()]).nullish(),
  result: z.union([z.number(), z.string()]).nullish(),
  _links: z.object({ web: z.object({ href: z.string() }).partial().nullish() }).partial().nullish(),
});
type Run = z.infer<typeof RunShape>;

/** RunState and RunResult as numbers (the client's enums) or the service's words. */
const STATES: Record<string, string> = { 0: 'unknown', 1: 'inProgress', 2: 'canceling', 4: 'completed' };
const RESULTS: Record<string, string> = { 0: 'unknown', 1: 'succeeded', 2: 'failed', 4: 'canceled' };
const word = (v: string | number | null | undefined, table: Record<string, string>): string => (typeof v === 'number' ? (table[v] ?? String(v)) : (v ?? 'unknown'));

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new DevOpsError('badResponse', `Azure DevOps sent an answer that could not be read while ${what} (${r.error.issues[0]?.path.join('.') || 'root'}: ${r.error.issues[0]?.message}).`);
  return r.data;
}

export class AzurePipelinesDelivery {
  constructor(
    private readonly connection: AzureConnection,
    private readonly options: { readonly follow: FollowOptions },
  ) {}

  private get project(): string {
    return this.connection.endpoint.project;
  }

  /**
   * Runs a pipeline for a ref and follows it. Parameters in `optional` are dropped and the run
   * asked again when the pipeline's YAML does not declare them (the service answers 400
   * "Unexpected parameter 'x'").
   */
  async run(p: { pipeline: string; ref: string; parameters: Record<string, string>; optional: readonly string[] }, context: RemoteExecutionContext): Promise<RemoteOutcome> {
    const { signal } = context;
    const pipeline = await this.pipelineOf(p.pipeline, signal);
    let parameters = { ...p.parameters };
    const start = async (api: AzureClients): Promise<unknown> => {
      const client = await api.pipelines();
      for (;;) {
        try {
          return await client.runPipeline({ resources: { repositories: { self: { refName: p.ref } } }, templateParameters: parameters }, this.project, pipeline.id);
        } catch (error) {
          const name = /Unexpected parameter '([^']+)'/.exec(String((error as { message?: unknown }).message ?? ''))?.[1];
          if (!name || !p.optional.includes(name) || !(name in parameters)) throw error;
          parameters = Object.fromEntries(Object.entries(parameters).filter(([k]) => k !== name));
        }
      }
    };
    const what = `running ${pipeline.name} for ${p.ref}`;
    const run = parsed(RunShape, await this.connection.call(what, start, { signal, idempotent: false }), what);
    const dropped = Object.keys(p.parameters).filter((k) => !(k in parameters));
    const label = `${pipeline.name} for ${p.ref.replace(/^refs\/(heads|tags)\//, '')}${dropped.length ? ` (${pipeline.name} declares no ${dropped.join(', ')} parameter, so it was not sent)` : ''}`;
    return this.follow(pipeline.id, run, label, context);
  }

  /** A pipeline by id, or by name (or folder\name) among the project's pipelines. */
  private async pipelineOf(key: string, signal: AbortSignal): Promise<z.infer<typeof PipelineShape>> {
    const what = `finding the pipeline ${key}`;
    if (/^\d+$/.test(key)) return parsed(PipelineShape, await this.connection.call(what, async (api) => (await api.pipelines()).getPipeline(this.project, Number(key)), { signal, idempotent: true }), what);
    const all = parsed(z.array(PipelineShape), await this.connection.call(what, async (api) => (await api.pipelines()).listPipelines(this.project, undefined, 1000), { signal, idempotent: true }), what);
    const wanted = key.toLowerCase().replace(/^\\+/, '');
    const found = all.find((x) => x.name.toLowerCase() === wanted || `${(x.folder ?? '').replace(/^\\+/, '')}\\${x.name}`.toLowerCase().replace(/^\\+/, '') === wanted);
    if (!found) throw new DevOpsError('notFound', `${this.project} has no pipeline named ${key} (it has: ${all.map((x) => x.name).join(', ') || 'none'}).`);
    return found;
  }

  private async follow(pipelineId: number, started: Run, what: string, context: RemoteExecutionContext): Promise<RemoteOutcome> {
    const { signal } = context;
    let url = started._links?.web?.href;
    let last = '';
    const done = await followUntil(
      async () => {
        const reading = `reading run ${started.id} of ${what}`;
        const run = parsed(RunShape, await this.connection.call(reading, async (api) => (await api.pipelines()).getRun(this.project, pipelineId, started.id), { signal, idempotent: true }), reading);
        url = run._links?.web?.href ?? url;
        const state = word(run.state, STATES);
        if (state === 'completed') return run;
        const line = `Run ${run.name ?? run.id}: ${state}`;
        if (line !== last) context.progress?.(line);
        last = line;
        return undefined;
      },
      this.options.follow,
      signal,
    );
    const name = started.name ?? String(started.id);
    if (!done) return { kind: 'applied', detail: `started ${what}; run ${name} was still going when following stopped`, ...(url ? { url } : {}), result: { runId: started.id } };
    const result = word(done.result, RESULTS);
    if (result === 'succeeded') return { kind: 'applied', detail: `run ${name} of ${what} succeeded`, ...(url ? { url } : {}), result: { runId: done.id } };
    throw new DevOpsError('refused', `Run ${name} of ${what} ended ${result}; its logs show the failing step${url ? ` (${url})` : ''}.`);
  }
}
