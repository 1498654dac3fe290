import { isSensitiveKey, redactText } from '../../../core/redact';
import { type HclAttribute, type HclBlock, type HclFile } from './hcl';
import { lineEnd, newlineOf } from './textEdits';
import { type Hit, type TextReplacement } from './types';

/**
 * Terraform (azurerm) rules over one module: every .tf file of a folder together, because a
 * diagnostic setting in monitoring.tf covers a Key Vault declared in main.tf.
 */
export interface ModuleFile {
  readonly path: string;
  readonly hcl: HclFile;
}

/** Resources whose logs matter and that are covered only by an azurerm_monitor_diagnostic_setting. */
const NEEDS_DIAGNOSTICS = new Set([
  'azurerm_key_vault',
  'azurerm_storage_account',
  'azurerm_container_registry',
  'azurerm_kubernetes_cluster',
  'azurerm_linux_web_app',
  'azurerm_windows_web_app',
  'azurerm_mssql_server',
  'azurerm_postgresql_flexible_server',
  'azurerm_mysql_flexible_server',
  'azurerm_cosmosdb_account',
  'azurerm_application_gateway',
  'azurerm_api_management',
  'azurerm_servicebus_namespace',
  'azurerm_eventhub_namespace',
]);

export function reviewTerraformModule(files: readonly ModuleFile[]): Map<string, Hit[]> {
  const out = new Map<string, Hit[]>(files.map((f) => [f.path, []]));
  const resources = files.flatMap((f) => f.hcl.blocks.filter((b) => b.type === 'resource' && b.labels.length === 2).map((b) => ({ file: f, block: b })));
  const diagnosticTargets = resources
    .filter((r) => r.block.labels[0] === 'azurerm_monitor_diagnostic_setting')
    .map((r) => r.block.attributes.get('target_resource_id')?.valueText ?? '');

  for (const { file, block } of resources) {
    const hits = out.get(file.path)!;
    const [type, name] = block.labels as [string, string];
    const address = `${type}.${name}`;
    const attr = (n: string): HclAttribute | undefined => block.attributes.get(n);
    const literalFix = (a: HclAttribute, value: string, description: string): Hit['fix'] => ({ description, replacements: [{ from: a.valueFrom, to: a.valueTo, text: value }] });

    if (type === 'azurerm_storage_account') {
      for (const key of ['https_traffic_only_enabled', 'enable_https_traffic_only']) {
        const a = attr(key);
        if (a?.literal === false) hits.push({ ruleId: 'terraform/storage-https-only', line: a.line, anchor: `${address} ${key}`, detail: `${address} sets ${key} = false`, fix: literalFix(a, 'true', `Set ${key} = true`) });
      }
      const tls = attr('min_tls_version');
      if (tls && (tls.literal === 'TLS1_0' || tls.literal === 'TLS1_1')) {
        hits.push({ ruleId: 'terraform/storage-min-tls', line: tls.line, anchor: `${address} min_tls_version`, detail: `${address} allows ${String(tls.literal)}`, fix: literalFix(tls, '"TLS1_2"', 'Set min_tls_version = "TLS1_2"') });
      }
    }
    const publicAccess = attr('public_network_access_enabled');
    if (publicAccess?.literal === true) {
      hits.push({ ruleId: 'terraform/public-network-access', line: publicAccess.line, anchor: `${address} public_network_access_enabled`, detail: `${address} sets public_network_access_enabled = true`, fix: literalFix(publicAccess, 'false', 'Set public_network_access_enabled = false') });
    }
    const rules = [...block.blocks.filter((b) => b.type === 'network_rules' || b.type === 'network_acls'), ...(type === 'azurerm_storage_account_network_rules' ? [block] : [])];
    for (const r of rules) {
      const action = r.attributes.get('default_action');
      if (action?.literal === 'Allow') {
        hits.push({ ruleId: 'terraform/public-network-access', line: action.line, anchor: `${address} ${r === block ? '' : `${r.type} `}default_action`, detail: `${address} lets every network in (default_action = "Allow")`, fix: literalFix(action, '"Deny"', 'Set default_action = "Deny"') });
      }
    }
    if (type === 'azurerm_key_vault') {
      const purge = attr('purge_protection_enabled');
      if (purge?.literal !== true) {
        const fix: Hit['fix'] = purge ? literalFix(purge, 'true', 'Set purge_protection_enabled = true') : insertAttribute(file.hcl, block, 'purge_protection_enabled = true', 'Turn on purge protection');
        hits.push({ ruleId: 'terraform/key-vault-purge-protection', line: purge?.line ?? block.line, anchor: `${address} purge_protection_enabled`, detail: `${address} ${purge ? `sets purge_protection_enabled = ${purge.valueText}` : 'does not turn on purge protection'}`, fix });
      }
    }
    if (NEEDS_DIAGNOSTICS.has(type) && !diagnosticTargets.some((t) => new RegExp(`\\b${escape(address)}(\\[[^\\]]*\\])?\\.id\\b`).test(t))) {
      hits.push({ ruleId: 'terraform/no-diagnostic-settings', line: block.line, anchor: `${address} diagnostics`, detail: `No azurerm_monitor_diagnostic_setting targets ${address}.id` });
    }
  }

  for (const file of files) {
    for (const variable of file.hcl.blocks.filter((b) => b.type === 'variable' && b.labels.length === 1)) {
      const name = variable.labels[0]!;
      const def = variable.attributes.get('default');
      if (!def || typeof def.literal !== 'string' || def.literal === '') continue;
      const sensitive = variable.attributes.get('sensitive')?.literal === true;
      if (sensitive || isSensitiveKey(name) || redactText(def.literal) !== def.literal) {
        out.get(file.path)!.push({ ruleId: 'terraform/secret-variable-default', line: def.line, anchor: `var.${name} default`, detail: `variable "${name}" has a secret default value` });
      }
    }
  }
  return out;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A new first line in the block, indented like the block's other attributes. */
function insertAttribute(file: HclFile, block: HclBlock, line: string, description: string): Hit['fix'] {
  const first = [...block.attributes.values()].sort((a, b) => a.from - b.from)[0];
  const indent = first ? ' '.repeat(file.lines.linePos(first.from).col - 1) : `${' '.repeat(file.lines.linePos(block.from).col - 1)}  `;
  const at = lineEnd(file.text, file.lines.linePos(block.openBrace).line);
  const replacement: TextReplacement = { from: at, to: at, text: `${newlineOf(file.text)}${indent}${line}` };
  return { description, replacements: [replacement] };
}
