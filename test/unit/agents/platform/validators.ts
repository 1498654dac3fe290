import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

/** Validates every object of a YAML file against its Kubernetes schema (kubernetes-models), as read back from the text written. */
export function validateKubernetesYaml(text: string): void {
  const models: Record<string, new (data: never) => { validate(): void }> = { Deployment, HorizontalPodAutoscaler, Ingress, NetworkPolicy, PodDisruptionBudget, Service, ServiceAccount };
  for (const doc of parseAllDocuments(text) as { toJS(): { kind: string } }[]) {
    const data = doc.toJS();
    const Model = models[data.kind];
    if (!Model) throw new Error(`no model for ${data.kind}`);
    new Model(data as never).validate();
  }
}

const root = path.resolve(__dirname, '..', '..', '..', '..');

/** Type-checks dashboard JSON against @grafana/schema's Dashboard with the TypeScript compiler; the diagnostics, or none. */
export function typeCheckDashboard(json: string): string[] {
  const file = path.join(root, 'test', 'unit', 'agents', 'platform', '__dashboard_check__.ts');
  const source = `import type { Dashboard } from '@grafana/schema';\nexport const dashboard: Dashboard = ${json};\n`;
  const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, skipLibCheck: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (path.resolve(f) === file ? source : read(f));
  const exists = host.fileExists.bind(host);
  host.fileExists = (f) => path.resolve(f) === file || exists(f);
  const getSource = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang) => (path.resolve(f) === file ? ts.createSourceFile(f, source, lang) : getSource(f, lang));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}
