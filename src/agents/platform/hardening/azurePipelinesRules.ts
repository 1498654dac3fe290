import { isMap, isPair, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import { isSensitiveKey, redactText } from '../../../core/redact';
import { type Hit } from './types';
import { keyLine, mapsOf, replaceScalar, scalarOf, stringOf, valueOf, type YamlFile } from './yamlSupport';

/**
 * Azure Pipelines rules over a pipeline or a template (stages, jobs or steps at any depth):
 * variables, checkout steps, task references and scripts are found wherever they sit.
 */

/** Predefined variables whose text the author of a pull request or commit chooses. */
const UNTRUSTED_MACRO = /\$\((System\.PullRequest\.(SourceBranch|SourceBranchName|SourceRepositoryURI)|Build\.SourceVersionMessage|Build\.SourceBranch|Build\.SourceBranchName|Build\.RequestedFor|[A-Za-z0-9_.]*Title)\)|\$\{\{\s*variables\[['"](System\.PullRequest\.SourceBranch|Build\.SourceVersionMessage|Build\.SourceBranchName)['"]\]\s*\}\}/i;
const SCRIPT_KEYS = ['script', 'bash', 'pwsh', 'powershell'];
const SCRIPT_INPUTS = ['script', 'inlineScript', 'arguments', 'scriptArguments', 'inline'];
/** A value that is not a literal: a macro, a template expression or a runtime expression. */
const EXPRESSION = /^\s*(\$\([^)]*\)|\$\{\{.*\}\}|\$\[.*\])\s*$/;

/** Keys that mark a YAML file as an Azure Pipelines pipeline or template. */
export function looksLikeAzurePipeline(root: unknown, path: string): boolean {
  if (!isMap(root)) return false;
  if (/(^|\/)(azure-pipelines[^/]*|[^/]*\.azure-pipelines)\.ya?ml$/i.test(path) || /(^|\/)\.(azure-pipelines|azuredevops|pipelines)\//i.test(path)) return true;
  const keys = new Set(root.items.map((p) => String((p.key as Scalar | null)?.value)));
  if (keys.has('apiVersion') || keys.has('services') || keys.has('on')) return false;
  const steps = [...mapsOf(valueOf(root, 'steps')), ...mapsOf(valueOf(root, 'jobs')).flatMap((j) => mapsOf(valueOf(j, 'steps')))];
  const stepLike = steps.some((s) => ['task', 'script', 'bash', 'pwsh', 'powershell', 'checkout', 'template', 'download', 'publish'].some((k) => scalarOf(s, k) !== undefined));
  return stepLike || (keys.has('stages') && mapsOf(valueOf(root, 'stages')).some((s) => scalarOf(s, 'stage') !== undefined)) || (keys.has('pool') && (keys.has('trigger') || keys.has('pr')));
}

export function reviewAzurePipeline(file: YamlFile): Hit[] {
  const hits: Hit[] = [];
  for (const doc of file.docs) walk(file, doc.contents, [], hits);
  return hits;
}

function walk(file: YamlFile, node: Node | null | undefined, path: readonly string[], hits: Hit[]): void {
  if (isSeq(node)) {
    for (const [i, item] of (node.items as (Node | null)[]).entries()) walk(file, item, [...path, String(i)], hits);
    return;
  }
  if (!isMap(node)) return;
  const where = locationOf(node, path);
  variables(file, valueOf(node, 'variables'), where, hits);
  // A task's inputs map has a `script` key too; it is read as part of its step.
  if (path[path.length - 1] !== 'inputs') step(file, node, where, hits);
  for (const pair of node.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (key === 'variables') continue;
    walk(file, pair.value as Node | null, [...path, key], hits);
  }
}

/** `stage Build / job Test / step 3` where names are known, else the YAML path. */
function locationOf(node: YAMLMap, path: readonly string[]): string {
  const name = stringOf(node, 'stage') ?? stringOf(node, 'job') ?? stringOf(node, 'deployment') ?? stringOf(node, 'displayName') ?? stringOf(node, 'name');
  return name ? `${path.join('.')} (${name})` : path.join('.') || 'pipeline';
}

function variables(file: YamlFile, vars: Node | null | undefined, where: string, hits: Hit[]): void {
  const check = (name: string, value: unknown, valueNode: Node | null | undefined, owner: Node): void => {
    if (typeof value !== 'string' || value === '' || EXPRESSION.test(value)) return;
    if (isSensitiveKey(name) || redactText(value) !== value) {
      hits.push({ ruleId: 'azure-pipelines/secret-variable', line: valueNode?.range ? file.lines.linePos(valueNode.range[0]).line : keyLine(file, owner, name), anchor: `${where} variable ${name}`, detail: `The variable ${name} (${where}) holds a secret in plain text` });
    }
  };
  if (isMap(vars)) {
    for (const pair of vars.items) {
      if (isScalar(pair.key) && isScalar(pair.value)) check(String(pair.key.value), pair.value.value, pair.value as Node, vars);
    }
  }
  for (const item of mapsOf(vars)) {
    const name = stringOf(item, 'name');
    if (name) check(name, scalarOf(item, 'value'), valueOf(item, 'value'), item);
  }
}

function step(file: YamlFile, node: YAMLMap, where: string, hits: Hit[]): void {
  if (scalarOf(node, 'checkout') !== undefined && (scalarOf(node, 'persistCredentials') === true || scalarOf(node, 'persistCredentials') === 'true')) {
    const replacement = replaceScalar(valueOf(node, 'persistCredentials'), 'false');
    hits.push({
      ruleId: 'azure-pipelines/persist-credentials',
      line: keyLine(file, node, 'persistCredentials'),
      anchor: `${where} checkout ${stringOf(node, 'checkout')}`,
      detail: `checkout: ${stringOf(node, 'checkout')} (${where}) keeps the job's access token in .git/config`,
      ...(replacement ? { fix: { description: 'Set persistCredentials: false', replacements: [replacement] } } : {}),
    });
  }
  const task = stringOf(node, 'task');
  if (task !== undefined && !/@\d+(\.\d+){0,2}$/.test(task.trim())) {
    hits.push({ ruleId: 'azure-pipelines/unpinned-task', line: keyLine(file, node, 'task'), anchor: `${where} task ${task}`, detail: `task: ${task} (${where}) names no major version` });
  }
  const scripts: { key: string; node: Node | null | undefined; owner: Node }[] = SCRIPT_KEYS.map((k) => ({ key: k, node: valueOf(node, k), owner: node as Node }));
  const inputs = valueOf(node, 'inputs');
  if (task !== undefined && isMap(inputs)) scripts.push(...SCRIPT_INPUTS.map((k) => ({ key: `inputs.${k}`, node: valueOf(inputs, k), owner: inputs as Node })));
  for (const s of scripts) {
    if (!isScalar(s.node) || typeof s.node.value !== 'string' || !s.node.range) continue;
    const source = file.text.slice(s.node.range[0], s.node.range[1]);
    const m = UNTRUSTED_MACRO.exec(source);
    if (m) {
      hits.push({
        ruleId: 'azure-pipelines/untrusted-input-in-script',
        line: file.lines.linePos(s.node.range[0] + m.index).line,
        anchor: `${where} ${s.key} ${m[0]}`,
        detail: `${m[0]} is expanded inside the ${s.key} (${where})`,
      });
    }
  }
}
