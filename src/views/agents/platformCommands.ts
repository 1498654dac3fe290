import * as vscode from 'vscode';
import { type AgentCommand } from './agentCommands';

const TARGETS = [
  { label: 'Azure Container Apps', description: 'serverless containers, scale to zero (default)', value: 'container-apps' },
  { label: 'Azure Kubernetes Service', description: 'AKS with workload identity and the Key Vault CSI driver', value: 'aks' },
  { label: 'Azure App Service', description: 'a Linux web app running the container', value: 'app-service' },
] as const;

const ENVIRONMENTS = ['dev', 'test', 'staging', 'prod'];

/** A caller (a test, the chat, a tree item) may pass the input ready-made; the runtime validates it. */
const given = (args: readonly unknown[]): unknown => (args[0] && typeof args[0] === 'object' ? args[0] : undefined);

async function collectIac(args: readonly unknown[]): Promise<unknown> {
  const ready = given(args);
  if (ready) return ready;
  const title = 'AI DevOps: Generate Infrastructure';
  const target = await vscode.window.showQuickPick(TARGETS, { title: `${title} (1/2)`, placeHolder: 'Where does the app run?' });
  if (!target) return undefined;
  const envs = await vscode.window.showQuickPick(ENVIRONMENTS.map((e) => ({ label: e, picked: e === 'dev' || e === 'prod' })), { title: `${title} (2/2)`, placeHolder: 'Environments (a Kustomize overlay each)', canPickMany: true });
  if (!envs || envs.length === 0) return undefined;
  return { target: target.value, environment: envs.map((e) => e.label) };
}

async function collectObservability(args: readonly unknown[]): Promise<unknown> {
  const ready = given(args);
  if (ready) return ready;
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Monitoring configuration and /metrics in the app', description: 'Prometheus, alerts, Grafana, OpenTelemetry, and the app\'s metrics with a test', value: false },
      { label: 'Monitoring configuration only', description: 'leave the app\'s code alone', value: true },
    ],
    { title: 'AI DevOps: Generate Observability', placeHolder: 'What to generate?' },
  );
  return pick ? { configOnly: pick.value } : undefined;
}

async function collectHarden(args: readonly unknown[]): Promise<unknown> {
  const ready = given(args);
  if (ready) return ready;
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'Review', description: 'findings in the Problems panel, each with its quick fix', value: false },
      { label: 'Review and fix', description: 'apply every certain fix as one change you review first', value: true },
    ],
    { title: 'AI DevOps: Harden', placeHolder: 'Dockerfiles, Kubernetes, GitHub Actions, Azure Pipelines, Terraform' },
  );
  return pick ? { fix: pick.value } : undefined;
}

export const PLATFORM_COMMANDS: readonly AgentCommand[] = [
  { command: 'aiDevops.agents.platform.iac', agent: 'platform', action: 'iac', collect: collectIac },
  { command: 'aiDevops.agents.platform.observability', agent: 'platform', action: 'observability', collect: collectObservability },
  { command: 'aiDevops.agents.platform.harden', agent: 'platform', action: 'harden', collect: collectHarden },
];
