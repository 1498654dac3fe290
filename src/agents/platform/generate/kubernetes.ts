import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { stringify } from 'yaml';
import { type WorkspaceFacts } from '../facts/workspaceFacts';
import { secretName } from './terraform';
import { type GeneratedFile } from './types';

/**
 * Kubernetes manifests built as kubernetes-models objects (typed by the Kubernetes OpenAPI
 * schemas, and validated against them before they are written): a Deployment with probes,
 * requests/limits and a restricted securityContext, Service, Ingress, HPA, ServiceAccount,
 * NetworkPolicy and PodDisruptionBudget, as a Kustomize base with an overlay per environment.
 */
export const K8S_DIR = 'deploy/k8s';

/** One object of a manifest: validated by its model, then plain data. */
interface Model {
  readonly kind: string;
  validate(): void;
  toJSON(): unknown;
}

export function kubernetesObjects(facts: WorkspaceFacts): Model[] {
  const name = facts.name;
  const labels = { 'app.kubernetes.io/name': name };
  const port = facts.port;
  const probe = { httpGet: { path: facts.healthPath, port: 'http' }, periodSeconds: 10, timeoutSeconds: 3 };
  const env = [
    ...facts.envVars.filter((e) => !e.secret).map((e) => ({ name: e.name, valueFrom: { configMapKeyRef: { name: `${name}-config`, key: e.name, optional: true } } })),
    ...facts.envVars.filter((e) => e.secret).map((e) => ({ name: e.name, valueFrom: { secretKeyRef: { name: `${name}-secrets`, key: secretName(e.name) } } })),
  ];
  return [
    new ServiceAccount({ metadata: { name, labels }, automountServiceAccountToken: false }),
    new Deployment({
      metadata: { name, labels },
      spec: {
        replicas: 2,
        revisionHistoryLimit: 5,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(port), 'prometheus.io/path': '/metrics' } },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name,
                image: `${name}:0.1.0`,
                ports: [{ name: 'http', containerPort: port }],
                ...(env.length ? { env } : {}),
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
                readinessProbe: { ...probe, initialDelaySeconds: 5 },
                livenessProbe: { ...probe, initialDelaySeconds: 15, failureThreshold: 3 },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    }),
    new Service({ metadata: { name, labels }, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } }),
    new Ingress({
      metadata: { name, labels },
      spec: { rules: [{ host: `${name}.example.com`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { name: 'http' } } } }] } }] },
    }),
    new HorizontalPodAutoscaler({
      metadata: { name, labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    }),
    // maxUnavailable, not minAvailable: a one-replica environment can still drain its node.
    new PodDisruptionBudget({ metadata: { name, labels }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } }),
    new NetworkPolicy({
      metadata: { name, labels },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: [{ protocol: 'TCP', port }] }],
        // DNS, plus anything outside the cluster's pod network (databases, Azure services).
        egress: [{ ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }, { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }],
      },
    }),
  ];
}

const FILE_OF: Readonly<Record<string, string>> = {
  ServiceAccount: 'serviceaccount.yaml',
  Deployment: 'deployment.yaml',
  Service: 'service.yaml',
  Ingress: 'ingress.yaml',
  HorizontalPodAutoscaler: 'hpa.yaml',
  PodDisruptionBudget: 'pdb.yaml',
  NetworkPolicy: 'networkpolicy.yaml',
};

const yaml = (value: unknown): string => stringify(value, { lineWidth: 0 });

/** The base (one file per object), and an overlay per environment: its namespace, image, replica count. */
export function kubernetesFiles(facts: WorkspaceFacts, environments: readonly string[]): GeneratedFile[] {
  const objects = kubernetesObjects(facts);
  for (const o of objects) o.validate();
  const files: GeneratedFile[] = objects.map((o) => ({ path: `${K8S_DIR}/base/${FILE_OF[o.kind]!}`, content: yaml(o.toJSON()) }));
  files.push({
    path: `${K8S_DIR}/base/kustomization.yaml`,
    content: yaml({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: objects.map((o) => FILE_OF[o.kind]!) }),
  });
  for (const envName of environments) {
    const prod = /^prod/.test(envName);
    files.push({
      path: `${K8S_DIR}/overlays/${envName}/kustomization.yaml`,
      content: yaml({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        namespace: `${facts.name}-${envName}`,
        resources: ['../../base'],
        images: [{ name: facts.name, newName: `acr${`${facts.name}${envName}`.replace(/-/g, '').slice(0, 20)}.azurecr.io/${facts.name}`, newTag: '0.1.0' }],
        patches: [{ path: 'replicas.yaml' }],
      }),
    });
    files.push({
      path: `${K8S_DIR}/overlays/${envName}/replicas.yaml`,
      content: yaml({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: facts.name }, spec: { minReplicas: prod ? 3 : 1, maxReplicas: prod ? 10 : 3 } }),
    });
  }
  return files;
}
