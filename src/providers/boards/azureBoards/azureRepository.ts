import { z } from 'zod';
import { DevOpsError } from '../../../core/errors';
import { type AzureConnection } from './azureConnection';

export const AzureRepositorySchema = z.object({ id: z.string(), name: z.string(), webUrl: z.string().optional(), defaultBranch: z.string().optional(), isDisabled: z.boolean().optional() }).loose();
export type AzureRepository = z.infer<typeof AzureRepositorySchema>;

/**
 * The connected project's repository an agent works on: the one named `name`, else the one named
 * after the project, else its only one; anything else is an error naming the choices.
 */
export async function projectRepository(connection: AzureConnection, name: string | undefined, signal?: AbortSignal): Promise<AzureRepository> {
  const project = connection.endpoint.project;
  const listed = z.array(AzureRepositorySchema).safeParse(await connection.call('listing the project repositories', async (api) => (await api.git()).getRepositories(project), { idempotent: true, signal }));
  if (!listed.success) throw new DevOpsError('badResponse', 'Azure DevOps sent a repository list that could not be read.');
  const usable = listed.data.filter((r) => !r.isDisabled);
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  const found = name ? usable.find((r) => same(r.name, name)) : (usable.find((r) => same(r.name, project)) ?? (usable.length === 1 ? usable[0] : undefined));
  if (found) return found;
  if (name) throw new DevOpsError('notFound', `The project "${project}" has no repository named "${name}" (it has ${usable.map((r) => r.name).join(', ') || 'none'}).`);
  throw new DevOpsError('notFound', `The project "${project}" has ${usable.length} repositories and none is named after it; say which one (${usable.map((r) => r.name).join(', ')}).`);
}
