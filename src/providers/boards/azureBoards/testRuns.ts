import { type TestCaseResult } from 'azure-devops-node-api/interfaces/TestInterfaces';
import { DevOpsError } from '../../../core/errors';
import { type AzureConnection } from './azureConnection';

/**
 * Publishes an automated test run to Azure Test Plans with azure-devops-node-api's TestApi:
 * create the run, add its results in batches, complete it. Publishing is not replayed from the
 * outbox: a run created twice would count every test twice, so a failure is reported (with the
 * run id when it was created) and the user decides.
 */
export interface PublishedResult {
  readonly title: string;
  /** `file::suite > name` */
  readonly automatedTestName: string;
  readonly storage: string;
  readonly outcome: 'Passed' | 'Failed' | 'NotExecuted';
  readonly durationMs: number;
  readonly errorMessage?: string;
  readonly stackTrace?: string;
  readonly bugIds?: readonly number[];
}

export interface TestRunToPublish {
  readonly name: string;
  readonly comment: string;
  readonly results: readonly PublishedResult[];
}

const BATCH = 500;

export class AzureTestRuns {
  constructor(private readonly connection: AzureConnection) {}

  async publish(run: TestRunToPublish, signal?: AbortSignal): Promise<{ id: number; url: string; results: number }> {
    const project = this.connection.endpoint.project;
    const test = (what: string, fn: (api: Awaited<ReturnType<Awaited<ReturnType<AzureConnection['api']>>['test']>>) => Promise<unknown>): Promise<unknown> =>
      this.connection.call(what, async (api) => fn(await api.test()), { idempotent: false, signal });
    const created = (await test('creating a test run', (t) => t.createTestRun({ name: run.name, automated: true, state: 'InProgress', comment: run.comment, plan: {}, configurationIds: [] }, project))) as { id?: number; webAccessUrl?: string; url?: string } | null;
    if (!created || typeof created.id !== 'number') throw new DevOpsError('badResponse', 'Azure DevOps created no test run (its answer had no run id).');
    const id = created.id;
    try {
      let added = 0;
      for (let i = 0; i < run.results.length; i += BATCH) {
        const batch: TestCaseResult[] = run.results.slice(i, i + BATCH).map((r) => ({
          testCaseTitle: r.title.slice(0, 256),
          automatedTestName: r.automatedTestName.slice(0, 512),
          automatedTestStorage: r.storage.slice(0, 256),
          outcome: r.outcome,
          state: 'Completed',
          durationInMs: Math.round(r.durationMs),
          ...(r.errorMessage ? { errorMessage: r.errorMessage.slice(0, 4000) } : {}),
          ...(r.stackTrace ? { stackTrace: r.stackTrace.slice(0, 8000) } : {}),
          ...(r.bugIds?.length ? { associatedBugs: r.bugIds.map((b) => ({ id: String(b) })) } : {}),
        }));
        const answer = (await test(`adding results to test run ${id}`, (t) => t.addTestResultsToTestRun(batch, project, id))) as unknown[] | null;
        added += Array.isArray(answer) ? answer.length : 0;
      }
      await test(`completing test run ${id}`, (t) => t.updateTestRun({ state: 'Completed' }, project, id));
      return { id, url: created.webAccessUrl ?? created.url ?? '', results: added };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new DevOpsError(error instanceof DevOpsError ? error.code : 'unavailable', `Test run ${id} was created but not completed (${message}); it was not published again, so no test is counted twice. Complete or delete it in Test Plans.`);
    }
  }
}
