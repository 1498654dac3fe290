import { type WorkspaceFacts } from '../facts/workspaceFacts';
import { attr, block, comment, type HclItem, str, writeHcl } from './hclWriter';
import { type GeneratedFile } from './types';

/**
 * Terraform for Azure (azurerm 4.x) from the workspace facts: a resource group, a container
 * registry, a Key Vault holding the app's secrets (the app reads them as references, never as
 * values in Terraform), a user-assigned managed identity, Log Analytics with diagnostic settings,
 * and the compute the user picked: Container Apps, AKS or App Service. A remote state backend
 * block is left for the user to fill (partial configuration).
 */
export const TARGETS = ['container-apps', 'aks', 'app-service'] as const;
export type Target = (typeof TARGETS)[number];

export const TERRAFORM_DIR = 'infra/terraform';

/** Key Vault secret names: letters, digits and hyphens (DATABASE_URL becomes database-url). */
export const secretName = (env: string): string => env.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');

export function terraformFiles(facts: WorkspaceFacts, target: Target, location: string): GeneratedFile[] {
  const secrets = facts.envVars.filter((e) => e.secret);
  const plain = facts.envVars.filter((e) => !e.secret);
  const f = (name: string, items: HclItem[]): GeneratedFile => ({ path: `${TERRAFORM_DIR}/${name}`, content: writeHcl(items) });
  return [
    f('versions.tf', [
      block('terraform', [], [
        attr('required_version', str('>= 1.6')),
        block('required_providers', [], [attr('azurerm', '{ source = "hashicorp/azurerm", version = "~> 4.0" }')]),
      ]),
    ]),
    f('backend.tf', [
      comment('Remote state: fill these in (or pass them with terraform init -backend-config=...).\nresource_group_name  = "<state resource group>"\nstorage_account_name = "<state storage account>"\ncontainer_name       = "tfstate"\nkey                  = "<app>.<environment>.tfstate"'),
      block('terraform', [], [block('backend', ['azurerm'], [])]),
    ]),
    f('providers.tf', [
      comment('The subscription comes from ARM_SUBSCRIPTION_ID (azurerm 4.x requires one).'),
      block('provider', ['azurerm'], [block('features', [], [block('key_vault', [], [attr('purge_soft_delete_on_destroy', 'false')])])]),
    ]),
    f('variables.tf', [
      variable('name', 'string', 'Name of the application; prefixes every resource.', str(facts.name)),
      variable('environment', 'string', 'Environment name (dev, prod, ...).', str('dev')),
      variable('location', 'string', 'Azure region.', str(location)),
      variable('image_tag', 'string', 'Tag of the application image in the registry.', str('0.1.0')),
      ...(target === 'aks' ? [variable('node_count', 'number', 'Nodes in the default node pool.', '2')] : []),
    ]),
    f('main.tf', mainTf(facts, target, secrets.map((s) => s.name))),
    f(`${target}.tf`, computeTf(facts, target, secrets.map((s) => s.name), plain.map((p) => p.name))),
    f('monitoring.tf', monitoringTf(target)),
    f('outputs.tf', outputsTf(target)),
  ];
}

function variable(name: string, type: string, description: string, def: string): HclItem {
  return block('variable', [name], [attr('type', type), attr('description', str(description)), attr('default', def)]);
}

function mainTf(facts: WorkspaceFacts, target: Target, secrets: readonly string[]): HclItem[] {
  return [
    block('locals', [], [
      attr('prefix', '"${var.name}-${var.environment}"'),
      attr('compact', 'substr(replace("${var.name}${var.environment}", "-", ""), 0, 20)'),
      attr('tags', '{ app = var.name, environment = var.environment, managed-by = "terraform" }'),
    ]),
    block('data', ['azurerm_client_config', 'current'], []),
    block('resource', ['azurerm_resource_group', 'main'], [attr('name', '"rg-${local.prefix}"'), attr('location', 'var.location'), attr('tags', 'local.tags')]),
    block('resource', ['azurerm_log_analytics_workspace', 'main'], [
      attr('name', '"log-${local.prefix}"'),
      attr('location', 'azurerm_resource_group.main.location'),
      attr('resource_group_name', 'azurerm_resource_group.main.name'),
      attr('sku', str('PerGB2018')),
      attr('retention_in_days', '30'),
      attr('tags', 'local.tags'),
    ]),
    block('resource', ['azurerm_container_registry', 'main'], [
      attr('name', '"acr${local.compact}"'),
      attr('location', 'azurerm_resource_group.main.location'),
      attr('resource_group_name', 'azurerm_resource_group.main.name'),
      attr('sku', str('Standard')),
      attr('admin_enabled', 'false'),
      attr('tags', 'local.tags'),
    ]),
    block('resource', ['azurerm_user_assigned_identity', 'app'], [
      attr('name', '"id-${local.prefix}"'),
      attr('location', 'azurerm_resource_group.main.location'),
      attr('resource_group_name', 'azurerm_resource_group.main.name'),
      attr('tags', 'local.tags'),
    ]),
    block('resource', ['azurerm_key_vault', 'main'], [
      attr('name', '"kv-${local.compact}"'),
      attr('location', 'azurerm_resource_group.main.location'),
      attr('resource_group_name', 'azurerm_resource_group.main.name'),
      attr('tenant_id', 'data.azurerm_client_config.current.tenant_id'),
      attr('sku_name', str('standard')),
      attr('enable_rbac_authorization', 'true'),
      attr('purge_protection_enabled', 'true'),
      attr('soft_delete_retention_days', '7'),
      attr('tags', 'local.tags'),
    ]),
    comment(secrets.length
      ? `The app's secrets (${secrets.join(', ')}) live in this vault under these names; set their values outside Terraform:\n${secrets.map((s) => `  az keyvault secret set --vault-name <vault> --name ${secretName(s)} --value <value>`).join('\n')}`
      : 'No secrets were found in the code; add them to this vault and reference them from the app.'),
    block('locals', [], [attr('secret_names', secrets.length ? `{ ${secrets.map((s) => `${s} = ${str(secretName(s))}`).join(', ')} }` : '{}')]),
    block('resource', ['azurerm_role_assignment', 'app_pulls_images'], [
      attr('scope', 'azurerm_container_registry.main.id'),
      attr('role_definition_name', str('AcrPull')),
      attr('principal_id', target === 'aks' ? 'azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id' : 'azurerm_user_assigned_identity.app.principal_id'),
    ]),
    block('resource', ['azurerm_role_assignment', 'app_reads_secrets'], [
      attr('scope', 'azurerm_key_vault.main.id'),
      attr('role_definition_name', str('Key Vault Secrets User')),
      attr('principal_id', 'azurerm_user_assigned_identity.app.principal_id'),
    ]),
    ...(facts.databases.length ? [comment(`Databases the code uses (${facts.databases.join(', ')}) are not created here: point the connection secrets at the server you run.`)] : []),
  ];
}

const secretRef = (name: string): string => `"\${azurerm_key_vault.main.vault_uri}secrets/${secretName(name)}"`;

function computeTf(facts: WorkspaceFacts, target: Target, secrets: readonly string[], plain: readonly string[]): HclItem[] {
  const image = '"${azurerm_container_registry.main.login_server}/${var.name}:${var.image_tag}"';
  if (target === 'container-apps') {
    return [
      block('resource', ['azurerm_container_app_environment', 'main'], [
        attr('name', '"cae-${local.prefix}"'),
        attr('location', 'azurerm_resource_group.main.location'),
        attr('resource_group_name', 'azurerm_resource_group.main.name'),
        attr('log_analytics_workspace_id', 'azurerm_log_analytics_workspace.main.id'),
        attr('tags', 'local.tags'),
      ]),
      block('resource', ['azurerm_container_app', 'app'], [
        attr('name', '"ca-${local.prefix}"'),
        attr('container_app_environment_id', 'azurerm_container_app_environment.main.id'),
        attr('resource_group_name', 'azurerm_resource_group.main.name'),
        attr('revision_mode', str('Single')),
        attr('tags', 'local.tags'),
        block('identity', [], [attr('type', str('UserAssigned')), attr('identity_ids', '[azurerm_user_assigned_identity.app.id]')]),
        block('registry', [], [attr('server', 'azurerm_container_registry.main.login_server'), attr('identity', 'azurerm_user_assigned_identity.app.id')]),
        ...secrets.map((s) => block('secret', [], [attr('name', str(secretName(s))), attr('key_vault_secret_id', secretRef(s)), attr('identity', 'azurerm_user_assigned_identity.app.id')])),
        block('ingress', [], [
          attr('external_enabled', 'true'),
          attr('target_port', String(facts.port)),
          block('traffic_weight', [], [attr('latest_revision', 'true'), attr('percentage', '100')]),
        ]),
        block('template', [], [
          attr('min_replicas', '1'),
          attr('max_replicas', '5'),
          block('container', [], [
            attr('name', str(facts.name)),
            attr('image', image),
            attr('cpu', '0.5'),
            attr('memory', str('1Gi')),
            ...plain.map((p) => block('env', [], [attr('name', str(p)), attr('value', str(''))])),
            ...secrets.map((s) => block('env', [], [attr('name', str(s)), attr('secret_name', str(secretName(s)))])),
            block('liveness_probe', [], [attr('transport', str('HTTP')), attr('port', String(facts.port)), attr('path', str(facts.healthPath))]),
            block('readiness_probe', [], [attr('transport', str('HTTP')), attr('port', String(facts.port)), attr('path', str(facts.healthPath))]),
          ]),
        ]),
      ]),
    ];
  }
  if (target === 'app-service') {
    return [
      block('resource', ['azurerm_service_plan', 'main'], [
        attr('name', '"asp-${local.prefix}"'),
        attr('location', 'azurerm_resource_group.main.location'),
        attr('resource_group_name', 'azurerm_resource_group.main.name'),
        attr('os_type', str('Linux')),
        attr('sku_name', str('B1')),
        attr('tags', 'local.tags'),
      ]),
      block('resource', ['azurerm_linux_web_app', 'app'], [
        attr('name', '"app-${local.prefix}"'),
        attr('location', 'azurerm_resource_group.main.location'),
        attr('resource_group_name', 'azurerm_resource_group.main.name'),
        attr('service_plan_id', 'azurerm_service_plan.main.id'),
        attr('https_only', 'true'),
        attr('key_vault_reference_identity_id', 'azurerm_user_assigned_identity.app.id'),
        attr('tags', 'local.tags'),
        block('identity', [], [attr('type', str('UserAssigned')), attr('identity_ids', '[azurerm_user_assigned_identity.app.id]')]),
        block('site_config', [], [
          attr('always_on', 'true'),
          attr('ftps_state', str('Disabled')),
          attr('minimum_tls_version', str('1.2')),
          attr('health_check_path', str(facts.healthPath)),
          attr('health_check_eviction_time_in_min', '5'),
          attr('container_registry_use_managed_identity', 'true'),
          attr('container_registry_managed_identity_client_id', 'azurerm_user_assigned_identity.app.client_id'),
          block('application_stack', [], [
            attr('docker_image_name', '"${var.name}:${var.image_tag}"'),
            attr('docker_registry_url', '"https://${azurerm_container_registry.main.login_server}"'),
          ]),
        ]),
        attr('app_settings', `{ WEBSITES_PORT = ${str(String(facts.port))}${secrets.map((s) => `, ${s} = "@Microsoft.KeyVault(SecretUri=\${azurerm_key_vault.main.vault_uri}secrets/${secretName(s)})"`).join('')} }`),
      ]),
    ];
  }
  return [
    block('resource', ['azurerm_kubernetes_cluster', 'main'], [
      attr('name', '"aks-${local.prefix}"'),
      attr('location', 'azurerm_resource_group.main.location'),
      attr('resource_group_name', 'azurerm_resource_group.main.name'),
      attr('dns_prefix', 'local.prefix'),
      attr('oidc_issuer_enabled', 'true'),
      attr('workload_identity_enabled', 'true'),
      attr('local_account_disabled', 'true'),
      attr('tags', 'local.tags'),
      block('default_node_pool', [], [attr('name', str('system')), attr('node_count', 'var.node_count'), attr('vm_size', str('Standard_D2s_v5'))]),
      block('identity', [], [attr('type', str('SystemAssigned'))]),
      block('azure_active_directory_role_based_access_control', [], [attr('azure_rbac_enabled', 'true'), attr('tenant_id', 'data.azurerm_client_config.current.tenant_id')]),
      block('oms_agent', [], [attr('log_analytics_workspace_id', 'azurerm_log_analytics_workspace.main.id')]),
      block('key_vault_secrets_provider', [], [attr('secret_rotation_enabled', 'true')]),
      block('network_profile', [], [attr('network_plugin', str('azure')), attr('network_policy', str('azure'))]),
    ]),
    comment('The app\'s service account signs in as the managed identity (workload identity) to read its secrets.'),
    block('resource', ['azurerm_federated_identity_credential', 'app'], [
      attr('name', '"fic-${local.prefix}"'),
      attr('resource_group_name', 'azurerm_resource_group.main.name'),
      attr('parent_id', 'azurerm_user_assigned_identity.app.id'),
      attr('audience', '["api://AzureADTokenExchange"]'),
      attr('issuer', 'azurerm_kubernetes_cluster.main.oidc_issuer_url'),
      attr('subject', `"system:serviceaccount:\${var.name}-\${var.environment}:${facts.name}"`),
    ]),
  ];
}

function diagnostic(name: string, target: string): HclItem {
  return block('resource', ['azurerm_monitor_diagnostic_setting', name], [
    attr('name', `"diag-${name}"`),
    attr('target_resource_id', `${target}.id`),
    attr('log_analytics_workspace_id', 'azurerm_log_analytics_workspace.main.id'),
    block('enabled_log', [], [attr('category_group', str('allLogs'))]),
    block('enabled_metric', [], [attr('category', str('AllMetrics'))]),
  ]);
}

function monitoringTf(target: Target): HclItem[] {
  return [
    diagnostic('key_vault', 'azurerm_key_vault.main'),
    diagnostic('registry', 'azurerm_container_registry.main'),
    ...(target === 'aks' ? [diagnostic('cluster', 'azurerm_kubernetes_cluster.main')] : []),
    ...(target === 'app-service' ? [diagnostic('web_app', 'azurerm_linux_web_app.app')] : []),
  ];
}

function outputsTf(target: Target): HclItem[] {
  const out = (name: string, value: string): HclItem => block('output', [name], [attr('value', value)]);
  return [
    out('resource_group', 'azurerm_resource_group.main.name'),
    out('registry_login_server', 'azurerm_container_registry.main.login_server'),
    out('key_vault_uri', 'azurerm_key_vault.main.vault_uri'),
    out('app_identity_client_id', 'azurerm_user_assigned_identity.app.client_id'),
    ...(target === 'container-apps' ? [out('app_url', '"https://${azurerm_container_app.app.ingress[0].fqdn}"')] : []),
    ...(target === 'app-service' ? [out('app_url', '"https://${azurerm_linux_web_app.app.default_hostname}"')] : []),
    ...(target === 'aks' ? [out('cluster_name', 'azurerm_kubernetes_cluster.main.name')] : []),
  ];
}
