import type { Dashboard, DataQuery, Panel } from '@grafana/schema';
import { stringify } from 'yaml';
import { type WorkspaceFacts } from '../facts/workspaceFacts';
import { type GeneratedFile } from './types';

/**
 * Prometheus scrape configuration and alert rules (availability, error rate, latency), a Grafana
 * dashboard for the same signals and an OpenTelemetry collector configuration. The metric names
 * are the ones the app's own wiring exports (appMetrics.ts): `http_requests_total` with
 * method/route/status labels and the `http_request_duration_seconds` histogram.
 */
export const OBSERVABILITY_DIR = 'observability';
export const METRICS = { requests: 'http_requests_total', duration: 'http_request_duration_seconds' } as const;

const yaml = (value: unknown): string => stringify(value, { lineWidth: 0 });
const title = (name: string): string => name.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

export function prometheusConfig(facts: WorkspaceFacts): GeneratedFile {
  return {
    path: `${OBSERVABILITY_DIR}/prometheus/prometheus.yml`,
    content: yaml({
      global: { scrape_interval: '15s', evaluation_interval: '15s' },
      rule_files: ['alerts.yml'],
      scrape_configs: [
        { job_name: facts.name, metrics_path: '/metrics', static_configs: [{ targets: [`app:${facts.port}`], labels: { service: facts.name } }] },
        { job_name: 'otel-collector', static_configs: [{ targets: ['otel-collector:8889'] }] },
      ],
    }),
  };
}

export function alertRules(facts: WorkspaceFacts): GeneratedFile {
  const job = `job="${facts.name}"`;
  const app = title(facts.name);
  const rate = (filter: string): string => `sum(rate(${METRICS.requests}{${filter}}[5m]))`;
  return {
    path: `${OBSERVABILITY_DIR}/prometheus/alerts.yml`,
    content: yaml({
      groups: [
        {
          name: `${facts.name}.rules`,
          rules: [
            {
              alert: `${app}Down`,
              expr: `up{${job}} == 0`,
              for: '2m',
              labels: { severity: 'critical', service: facts.name },
              annotations: { summary: `${facts.name} is down`, description: `Prometheus has not reached {{ $labels.instance }} for 2 minutes.` },
            },
            {
              alert: `${app}HighErrorRate`,
              expr: `${rate(`${job},status=~"5.."`)} / ${rate(job)} > 0.05`,
              for: '10m',
              labels: { severity: 'warning', service: facts.name },
              annotations: { summary: `${facts.name} answers more than 5% of requests with a server error`, description: 'Error ratio over 5 minutes: {{ $value | humanizePercentage }}.' },
            },
            {
              alert: `${app}HighLatency`,
              expr: `histogram_quantile(0.95, sum by (le) (rate(${METRICS.duration}_bucket{${job}}[5m]))) > 0.5`,
              for: '10m',
              labels: { severity: 'warning', service: facts.name },
              annotations: { summary: `${facts.name}'s 95th percentile latency is above 500 ms`, description: 'p95 over 5 minutes: {{ $value | humanizeDuration }}.' },
            },
          ],
        },
      ],
    }),
  };
}

/** The dashboard, typed by @grafana/schema's Dashboard (the compiler checks it against Grafana's schema). */
export function grafanaDashboard(facts: WorkspaceFacts): Dashboard {
  const ds = { type: 'prometheus', uid: '${datasource}' };
  const job = `job="${facts.name}"`;
  const panel = (id: number, panelTitle: string, unit: string, expr: string, legend: string, x: number, y: number): Panel => {
    // @grafana/schema types what every data source's query has; expr and legendFormat are Prometheus's own.
    const query = { refId: 'A', datasource: ds, expr, legendFormat: legend } satisfies DataQuery & { expr: string; legendFormat: string };
    return {
    id,
    type: 'timeseries',
    title: panelTitle,
    datasource: ds,
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: {},
    targets: [query],
    };
  };
  return {
    title: `${facts.name} service`,
    uid: `${facts.name}-service`.slice(0, 40),
    tags: [facts.name, 'ai-devops'],
    editable: true,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    timepicker: {},
    timezone: 'browser',
    graphTooltip: 1,
    fiscalYearStartMonth: 0,
    refresh: '30s',
    links: [],
    annotations: { list: [] },
    templating: { list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', hide: 0, skipUrlSync: false }] },
    panels: [
      panel(1, 'Requests per second', 'reqps', `sum by (route) (rate(${METRICS.requests}{${job}}[5m]))`, '{{route}}', 0, 0),
      panel(2, 'Server errors (ratio)', 'percentunit', `sum(rate(${METRICS.requests}{${job},status=~"5.."}[5m])) / sum(rate(${METRICS.requests}{${job}}[5m]))`, '5xx ratio', 12, 0),
      panel(3, 'Latency p95', 's', `histogram_quantile(0.95, sum by (le) (rate(${METRICS.duration}_bucket{${job}}[5m])))`, 'p95', 0, 8),
      panel(4, 'Up', 'none', `up{${job}}`, '{{instance}}', 12, 8),
    ],
  };
}

export function otelCollectorConfig(facts: WorkspaceFacts): GeneratedFile {
  return {
    path: `${OBSERVABILITY_DIR}/otel-collector.yaml`,
    content: yaml({
      receivers: {
        otlp: { protocols: { grpc: { endpoint: '0.0.0.0:4317' }, http: { endpoint: '0.0.0.0:4318' } } },
        prometheus: { config: { scrape_configs: [{ job_name: facts.name, scrape_interval: '15s', metrics_path: '/metrics', static_configs: [{ targets: [`app:${facts.port}`] }] }] } },
      },
      processors: {
        memory_limiter: { check_interval: '1s', limit_percentage: 80, spike_limit_percentage: 20 },
        batch: {},
        resource: { attributes: [{ key: 'service.name', value: facts.name, action: 'upsert' }] },
      },
      exporters: {
        prometheus: { endpoint: '0.0.0.0:8889' },
        debug: { verbosity: 'basic' },
      },
      service: {
        pipelines: {
          metrics: { receivers: ['otlp', 'prometheus'], processors: ['memory_limiter', 'resource', 'batch'], exporters: ['prometheus'] },
          traces: { receivers: ['otlp'], processors: ['memory_limiter', 'resource', 'batch'], exporters: ['debug'] },
        },
      },
    }),
  };
}

export function observabilityFiles(facts: WorkspaceFacts): GeneratedFile[] {
  return [
    prometheusConfig(facts),
    alertRules(facts),
    { path: `${OBSERVABILITY_DIR}/grafana/${facts.name}-dashboard.json`, content: `${JSON.stringify(grafanaDashboard(facts), null, 2)}\n` },
    otelCollectorConfig(facts),
  ];
}
