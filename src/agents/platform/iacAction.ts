import { z } from 'zod';
import { type AgentAction } from '../runtime/context';
import { type AgentPlan, emptyPlan } from '../runtime/plan';
import { factsOf, readWorkspaceFacts } from './facts/workspaceFacts';
import { composeFile, dockerfile } from './generate/container';
import { editsFor } from './generate/edits';
import { K8S_DIR, kubernetesFiles } from './generate/kubernetes';
import { TARGETS, TERRAFORM_DIR, terraformFiles } from './generate/terraform';
import { type GeneratedFile } from './generate/types';
import { terraformChecks, validateGenerated } from './generate/validate';

const ENV_NAME = z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, 'an environment name: lower-case letters, digits and hyphens (dev, staging, prod)');

export const IacInputSchema = z
  .object({
    /** Where the app runs on Azure. */
    target: z.enum(TARGETS).default('container-apps'),
    /** Kustomize overlays (and Terraform environment names). */
    environment: z.array(ENV_NAME).min(1).max(6).default(['dev', 'prod']),
    location: z.string().regex(/^[a-z0-9]{3,30}$/, 'an Azure region name such as westeurope').default('westeurope'),
  })
  .strict();
export type IacInput = z.infer<typeof IacInputSchema>;

export const iacAction: AgentAction<IacInput> = {
  name: 'iac',
  description: 'Generate Terraform for Azure, Kubernetes manifests (Kustomize base and overlays) and docker-compose from what the workspace holds.',
  input: IacInputSchema,
  options: {
    target: { type: 'string', description: `Where the app runs: ${TARGETS.join(', ')} (default container-apps).` },
    environment: { type: 'string', multiple: true, description: 'An environment overlay; repeat for several (default dev and prod).' },
    location: { type: 'string', description: 'Azure region (default westeurope).' },
  },
  async plan(ctx, input): Promise<AgentPlan> {
    await ctx.step('Reading the workspace');
    const facts = await readWorkspaceFacts(ctx.files, ctx.signal);
    const files: GeneratedFile[] = [...terraformFiles(facts, input.target, input.location), ...kubernetesFiles(facts, input.environment)];
    const notes: string[] = [];
    const container = facts.dockerfiles.length === 0 ? dockerfile(facts) : undefined;
    if (container) files.push(container);
    else if (facts.dockerfiles.length) notes.push(`Kept your ${facts.dockerfiles.join(', ')}; run "platform harden" to review it.`);
    else notes.push('No Dockerfile was generated: the stack is neither Node.js nor Python.');
    if (facts.composeFiles.length === 0) files.push(composeFile(facts));
    else notes.push(`Kept your ${facts.composeFiles.join(', ')}.`);

    await ctx.step(`Checking ${files.length} generated files`);
    const validation = await validateGenerated(files);
    const tools = await terraformChecks(ctx, TERRAFORM_DIR);
    const keep = new Set(['Dockerfile', 'docker-compose.yml']);
    const { edits, unchanged, kept } = await editsFor(ctx, files, keep);
    if (unchanged.length) notes.push(`${unchanged.length} file${unchanged.length === 1 ? ' is' : 's are'} already as generated: ${unchanged.join(', ')}.`);
    if (kept.length) notes.push(`Kept as they are: ${kept.join(', ')}.`);
    if (facts.stack === 'other') notes.push('No Node.js or Python project was found; the manifests assume the defaults shown above.');
    notes.push(
      `Terraform: set ARM_SUBSCRIPTION_ID, fill the backend block in ${TERRAFORM_DIR}/backend.tf, then terraform init, plan and apply per environment (-var environment=...).`,
      `Kubernetes: kubectl apply -k ${K8S_DIR}/overlays/<environment>; the Ingress host (${facts.name}.example.com) and the image registry are placeholders to replace.`,
      ...tools.notes,
      ...validation.problems.map((p) => `Generated output problem (please report it): ${p}`),
    );
    return {
      ...emptyPlan('platform', 'iac', `Infrastructure for ${facts.name} (${input.target})`),
      summary: `${edits.length} file${edits.length === 1 ? '' : 's'} to write: Terraform for Azure ${input.target} in ${TERRAFORM_DIR}, Kubernetes base and ${input.environment.join('/')} overlays in ${K8S_DIR}${container ? ', a Dockerfile' : ''}${facts.composeFiles.length === 0 ? ', docker-compose.yml' : ''}.`,
      facts: [...factsOf(facts), { label: 'Checked', value: [...validation.passed, 'Kubernetes objects valid against the Kubernetes schemas (kubernetes-models)', ...tools.facts].join('; ') }],
      edits,
      commands: tools.commands,
      findings: validation.findings,
      notes,
      result: { files: edits.map((e) => e.path), target: input.target, environments: [...input.environment] },
    };
  },
};
