import { type HardenInput } from './hardenAction';
import { type IacInput } from './iacAction';
import { type ObservabilityInput } from './observabilityAction';

/**
 * `@devops /iac`, `/observability`, `/harden` sentences to the actions' inputs, by keywords: the
 * choices are few and named, so no model is needed and the same sentence always means the same.
 * What was understood is said back before anything is planned.
 */
export type Parsed<T> = { readonly ok: true; readonly input: Partial<T>; readonly understood: string[] };

const ENVIRONMENTS = ['dev', 'development', 'test', 'qa', 'staging', 'stage', 'preprod', 'prod', 'production'];
const SHORT: Readonly<Record<string, string>> = { development: 'dev', stage: 'staging', production: 'prod' };

export function parseIacRequest(prompt: string): Parsed<IacInput> {
  const text = prompt.toLowerCase();
  const understood: string[] = [];
  const input: { target?: IacInput['target']; environment?: string[]; location?: string } = {};
  if (/\baks\b|kubernetes service|\bk8s cluster|\bcluster\b/.test(text)) input.target = 'aks';
  else if (/app service|web ?app/.test(text)) input.target = 'app-service';
  else if (/container ?apps?/.test(text)) input.target = 'container-apps';
  understood.push(`target: ${input.target ?? 'container-apps (default)'}`);
  const envs = [...new Set(ENVIRONMENTS.filter((e) => new RegExp(`\\b${e}\\b`).test(text)).map((e) => SHORT[e] ?? e))];
  if (envs.length) input.environment = envs;
  understood.push(`environments: ${envs.length ? envs.join(', ') : 'dev, prod (default)'}`);
  // "North Europe" and "northeurope" both name the region: spaces between its words are dropped first.
  const region = /\b(westeurope|northeurope|eastus2?|westus[23]?|centralus|uksouth|ukwest|francecentral|germanywestcentral|swedencentral|norwayeast|switzerlandnorth|southeastasia|eastasia|japaneast|australiaeast|canadacentral|brazilsouth|centralindia)\b/.exec(text.replace(/\b(north|south|west|east|central|uk|france|germany|sweden|norway|switzerland|japan|australia|canada|brazil)\s+(?=europe|us|asia|east|west|south|north|central)/g, '$1').replace(/\b(west|east)\s+us\b/g, '$1us'));
  if (region) input.location = region[1]!;
  understood.push(`region: ${input.location ?? 'westeurope (default)'}`);
  return { ok: true, input, understood };
}

export function parseObservabilityRequest(prompt: string): Parsed<ObservabilityInput> {
  const configOnly = /config(uration)? only|only (the )?config|without (touching |changing )?(the )?(app|code)|leave the (app|code)/i.test(prompt);
  return { ok: true, input: configOnly ? { configOnly: true } : {}, understood: [configOnly ? 'monitoring configuration only; the app\'s code is left alone' : 'monitoring configuration and /metrics in the app'] };
}

export function parseHardenRequest(prompt: string): Parsed<HardenInput> {
  const fix = /\b(fix|apply|repair)\b/i.test(prompt) && !/\b(don'?t|do not|no|without)\s+(fix|apply|chang)/i.test(prompt);
  return { ok: true, input: fix ? { fix: true } : {}, understood: [fix ? 'review and apply every certain fix' : 'review only (quick fixes on each finding)'] };
}
