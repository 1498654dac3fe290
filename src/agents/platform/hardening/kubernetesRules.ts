import { isMap, type Node, type YAMLMap } from 'yaml';
import { isSensitiveKey, redactText } from '../../../core/redact';
import { type Hit, type TextReplacement } from './types';
import { insertIntoMap, itemsOf, keyLine, lineOf, mapsOf, pairOf, replaceScalar, scalarOf, stringOf, valueOf, type YamlFile } from './yamlSupport';

/**
 * Kubernetes workload rules (the Pod Security Standards' "restricted" profile plus the usual
 * operational ones: limits, probes, pinned images, no secrets in env values) over every pod
 * template in a manifest: Pods, Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs.
 */

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATH: Readonly<Record<string, readonly string[]>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};
/** Kinds whose pods run to completion: they need no probes. */
const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);

/** What the review knows across every manifest: ServiceAccounts that turn the token off. */
export interface KubernetesIndex {
  readonly serviceAccountsWithoutToken: ReadonlySet<string>;
}

export function indexKubernetes(files: readonly YamlFile[]): KubernetesIndex {
  const serviceAccountsWithoutToken = new Set<string>();
  for (const file of files) {
    for (const doc of file.docs) {
      const root = doc.contents;
      if (stringOf(root, 'kind') === 'ServiceAccount' && scalarOf(root, 'automountServiceAccountToken') === false) {
        const metadata = valueOf(root, 'metadata');
        serviceAccountsWithoutToken.add(`${stringOf(metadata, 'namespace') ?? ''}/${stringOf(metadata, 'name') ?? ''}`);
      }
    }
  }
  return { serviceAccountsWithoutToken };
}

export const isKubernetesObject = (node: unknown): boolean => typeof stringOf(node, 'apiVersion') === 'string' && typeof stringOf(node, 'kind') === 'string';

export function reviewKubernetes(file: YamlFile, index: KubernetesIndex): Hit[] {
  const hits: Hit[] = [];
  for (const doc of file.docs) {
    const root = doc.contents;
    const kind = stringOf(root, 'kind');
    const path = kind ? POD_SPEC_PATH[kind] : undefined;
    if (!kind || !path) continue;
    let pod: unknown = root;
    for (const key of path) pod = valueOf(pod, key);
    if (!isMap(pod)) continue;
    const metadata = valueOf(root, 'metadata');
    const namespace = stringOf(metadata, 'namespace') ?? '';
    const name = stringOf(metadata, 'name') ?? '(unnamed)';
    const object = `${kind}/${namespace ? `${namespace}/` : ''}${name}`;
    hits.push(...reviewPod(file, pod, object, kind, namespace, index));
  }
  return hits;
}

function reviewPod(file: YamlFile, pod: YAMLMap, object: string, kind: string, namespace: string, index: KubernetesIndex): Hit[] {
  const hits: Hit[] = [];
  const podContext = valueOf(pod, 'securityContext');
  const podNonRoot = scalarOf(podContext, 'runAsNonRoot') === true;

  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (scalarOf(pod, key) === true) {
      hits.push({ ruleId: 'kubernetes/host-namespaces', line: keyLine(file, pod, key), anchor: `${object} ${key}`, detail: `${object} sets ${key}: true`, fix: fixOf(`Set ${key}: false`, replaceScalar(valueOf(pod, key), 'false')) });
    }
  }
  for (const volume of mapsOf(valueOf(pod, 'volumes'))) {
    if (pairOf(volume, 'hostPath')) {
      const vname = stringOf(volume, 'name') ?? '?';
      hits.push({ ruleId: 'kubernetes/host-path', line: keyLine(file, volume, 'hostPath'), anchor: `${object} volume ${vname}`, detail: `${object} mounts the node's ${stringOf(valueOf(volume, 'hostPath'), 'path') ?? 'filesystem'} as volume ${vname}` });
    }
  }
  const account = stringOf(pod, 'serviceAccountName') ?? stringOf(pod, 'serviceAccount') ?? 'default';
  const automount = scalarOf(pod, 'automountServiceAccountToken');
  if (automount === true || (automount === undefined && !index.serviceAccountsWithoutToken.has(`${namespace}/${account}`))) {
    hits.push({
      ruleId: 'kubernetes/service-account-token',
      line: automount === true ? keyLine(file, pod, 'automountServiceAccountToken') : lineOf(file, pod.items[0]?.key as Node | undefined),
      anchor: `${object} automountServiceAccountToken`,
      detail: `${object} mounts the token of service account ${account}`,
      fix: fixOf('Set automountServiceAccountToken: false', automount === true ? replaceScalar(valueOf(pod, 'automountServiceAccountToken'), 'false') : insertIntoMap(file, pod, ['automountServiceAccountToken: false'])),
    });
  }

  const containers = [...mapsOf(valueOf(pod, 'containers')).map((c) => ({ c, init: false })), ...mapsOf(valueOf(pod, 'initContainers')).map((c) => ({ c, init: true }))];
  for (const { c, init } of containers) {
    const cname = stringOf(c, 'name') ?? '?';
    const where = `${object} ${init ? 'init container' : 'container'} ${cname}`;
    const line = keyLine(file, c, 'name');
    const context = valueOf(c, 'securityContext');
    const hardening = securityContextFix(file, c, context, podNonRoot);

    if (scalarOf(context, 'privileged') === true) {
      hits.push({ ruleId: 'kubernetes/privileged', line: keyLine(file, context, 'privileged'), anchor: `${where} privileged`, detail: `${where} runs privileged`, fix: fixOf('Set privileged: false', replaceScalar(valueOf(context, 'privileged'), 'false')) });
    }
    if (scalarOf(context, 'allowPrivilegeEscalation') !== false) {
      hits.push({ ruleId: 'kubernetes/privilege-escalation', line: context ? keyLine(file, context, 'allowPrivilegeEscalation') : line, anchor: `${where} allowPrivilegeEscalation`, detail: `${where} does not set allowPrivilegeEscalation: false`, fix: hardening });
    }
    const nonRoot = scalarOf(context, 'runAsNonRoot');
    if (nonRoot === false || (nonRoot === undefined && !podNonRoot)) {
      hits.push({ ruleId: 'kubernetes/run-as-non-root', line: nonRoot === false ? keyLine(file, context, 'runAsNonRoot') : line, anchor: `${where} runAsNonRoot`, detail: `${where} may run as root (runAsNonRoot is ${nonRoot === false ? 'false' : 'not set'})`, fix: hardening });
    }
    if (scalarOf(context, 'readOnlyRootFilesystem') !== true) {
      hits.push({ ruleId: 'kubernetes/writable-root-filesystem', line: context ? keyLine(file, context, 'readOnlyRootFilesystem') : line, anchor: `${where} readOnlyRootFilesystem`, detail: `${where} has a writable root filesystem`, fix: hardening });
    }
    const drop = itemsOf(valueOf(valueOf(context, 'capabilities'), 'drop')).map((n) => String((n as { value?: unknown }).value ?? '').toUpperCase());
    if (!drop.includes('ALL')) {
      hits.push({ ruleId: 'kubernetes/capabilities-not-dropped', line: context ? keyLine(file, context, 'capabilities') : line, anchor: `${where} capabilities`, detail: `${where} does not drop ALL capabilities`, fix: hardening });
    }

    const resources = valueOf(c, 'resources');
    const missing = [
      ...(pairOf(valueOf(resources, 'requests'), 'cpu') || pairOf(valueOf(resources, 'requests'), 'memory') ? [] : ['resource requests']),
      ...(pairOf(valueOf(resources, 'limits'), 'memory') ? [] : ['memory limit']),
    ];
    if (missing.length > 0) {
      hits.push({ ruleId: 'kubernetes/no-resource-limits', line: resources ? keyLine(file, c, 'resources') : line, anchor: `${where} resources`, detail: `${where} has no ${missing.join(' and no ')}` });
    }
    if (!init && !RUN_TO_COMPLETION.has(kind) && !pairOf(c, 'livenessProbe') && !pairOf(c, 'readinessProbe')) {
      hits.push({ ruleId: 'kubernetes/no-probes', line, anchor: `${where} probes`, detail: `${where} has no liveness or readiness probe` });
    }
    for (const env of mapsOf(valueOf(c, 'env'))) {
      const ename = stringOf(env, 'name') ?? '';
      const value = scalarOf(env, 'value');
      if (typeof value !== 'string' || value === '' || /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(value)) continue;
      if (isSensitiveKey(ename) || redactText(value) !== value) {
        hits.push({ ruleId: 'kubernetes/secret-in-env', line: keyLine(file, env, 'value'), anchor: `${where} env ${ename}`, detail: `${where} sets ${ename} to a plain value` });
      }
    }
    const image = stringOf(c, 'image');
    if (image !== undefined && !isPinnedImage(image)) {
      hits.push({ ruleId: 'kubernetes/image-latest', line: keyLine(file, c, 'image'), anchor: `${where} image`, detail: `${where} uses ${image}, which is not pinned` });
    }
  }
  return hits;
}

/** An image reference with a digest, or a tag other than latest. */
export function isPinnedImage(image: string): boolean {
  if (image.includes('@sha256:')) return true;
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastPart.lastIndexOf(':');
  if (colon === -1) return false;
  return lastPart.slice(colon + 1) !== 'latest';
}

const fixOf = (description: string, replacement: TextReplacement | undefined): Hit['fix'] => (replacement ? { description, replacements: [replacement] } : undefined);

/**
 * One fix for the four container securityContext rules: every setting the container lacks,
 * added together, so applying the fixes of several findings on one container gives one block.
 */
function securityContextFix(file: YamlFile, container: YAMLMap, context: Node | null | undefined, podNonRoot: boolean): Hit['fix'] {
  const wanted: string[] = [];
  if (scalarOf(context, 'allowPrivilegeEscalation') === undefined) wanted.push('allowPrivilegeEscalation: false');
  if (scalarOf(context, 'runAsNonRoot') === undefined && !podNonRoot) wanted.push('runAsNonRoot: true');
  if (scalarOf(context, 'readOnlyRootFilesystem') === undefined) wanted.push('readOnlyRootFilesystem: true');
  const capabilities = valueOf(context, 'capabilities');
  if (!capabilities) wanted.push('capabilities:', '  drop: ["ALL"]');
  const replacements: TextReplacement[] = [];
  for (const key of ['allowPrivilegeEscalation', 'readOnlyRootFilesystem', 'runAsNonRoot'] as const) {
    const current = scalarOf(context, key);
    const good = key !== 'allowPrivilegeEscalation';
    if (current === !good) {
      const r = replaceScalar(valueOf(context, key), String(good));
      if (r) replacements.push(r);
    }
  }
  if (wanted.length > 0) {
    const insert = isMap(context) ? insertIntoMap(file, context, wanted) : context === undefined ? insertIntoMap(file, container, ['securityContext:', ...wanted.map((w) => `  ${w}`)]) : undefined;
    if (!insert) return undefined;
    replacements.push(insert);
  }
  if (capabilities && isMap(capabilities) && !pairOf(capabilities, 'drop')) {
    const r = insertIntoMap(file, capabilities, ['drop: ["ALL"]']);
    if (r) replacements.push(r);
  }
  return replacements.length > 0 ? { description: 'Harden the container\'s securityContext (no privilege escalation, non-root, read-only root filesystem, drop ALL capabilities)', replacements } : undefined;
}
