import { z } from 'zod';
import { type AgentAction } from '../runtime/context';
import { type AgentPlan, emptyPlan } from '../runtime/plan';
import { factsOf, readWorkspaceFacts } from './facts/workspaceFacts';
import { appMetricsWiring } from './generate/appMetrics';
import { editsFor } from './generate/edits';
import { OBSERVABILITY_DIR, observabilityFiles } from './generate/observability';
import { promtoolChecks, validateGenerated } from './generate/validate';

export const ObservabilityInputSchema = z
  .object({
    /** Leave the app's code alone; generate only the monitoring configuration. */
    configOnly: z.boolean().default(false),
  })
  .strict();
export type ObservabilityInput = z.infer<typeof ObservabilityInputSchema>;

export const observabilityAction: AgentAction<ObservabilityInput> = {
  name: 'observability',
  description: 'Generate Prometheus scrape config and alert rules, a Grafana dashboard, an OpenTelemetry collector config, and /metrics in the app.',
  input: ObservabilityInputSchema,
  options: { configOnly: { type: 'boolean', description: 'Generate only the monitoring configuration; leave the app\'s code alone.' } },
  async plan(ctx, input): Promise<AgentPlan> {
    await ctx.step('Reading the workspace');
    const facts = await readWorkspaceFacts(ctx.files, ctx.signal);
    const files = observabilityFiles(facts);
    const notes: string[] = [];
    const wiring = input.configOnly ? undefined : await appMetricsWiring(ctx, facts);
    if (wiring) notes.push(...wiring.notes);

    await ctx.step(`Checking ${files.length} generated files`);
    const validation = await validateGenerated(files);
    const tools = await promtoolChecks(ctx, `${OBSERVABILITY_DIR}/prometheus/alerts.yml`, `${OBSERVABILITY_DIR}/prometheus/prometheus.yml`);
    const generated = await editsFor(ctx, files);
    const edits = [...generated.edits, ...(wiring?.edits ?? [])];
    if (generated.unchanged.length) notes.push(`Already as generated: ${generated.unchanged.join(', ')}.`);
    notes.push(
      `Prometheus scrapes app:${facts.port}/metrics (the service name in docker-compose.yml); change the target for other setups. Import the dashboard in Grafana and pick the Prometheus data source.`,
      ...tools.notes,
      ...validation.problems.map((p) => `Generated output problem (please report it): ${p}`),
    );
    return {
      ...emptyPlan('platform', 'observability', `Observability for ${facts.name}`),
      summary: `${edits.length} file${edits.length === 1 ? '' : 's'} to write: Prometheus config and alert rules (availability, error rate, p95 latency), a Grafana dashboard, an OpenTelemetry collector config${wiring?.edits.length ? ', and /metrics in the app' : ''}.`,
      facts: [...factsOf(facts), { label: 'Checked', value: [...validation.passed, 'the dashboard is typed by @grafana/schema', ...tools.facts].join('; ') }],
      edits,
      commands: [...tools.commands, ...(wiring?.commands ?? [])],
      findings: validation.findings,
      notes,
      result: { files: edits.map((e) => e.path) },
    };
  },
};
