import { z } from 'zod';
import { type AdoContext, list, ok } from '../http/context';
import { badRequest, notFound } from '../http/errors';
import { type AdoRouteDef } from '../http/routes';
import { identityRef } from '../render/identity';
import { JsonValueSchema, type Policy, type Project } from '../state/model';
import { POLICY_TYPES } from '../state/policyOps';

const contract = (path: string) => ({ file: 'policy', path: `/{organization}/{project}/_apis/policy/${path}` });

function typeRef(ctx: AdoContext, project: Project, typeId: string): Record<string, unknown> {
  const t = POLICY_TYPES.find((x) => x.id === typeId);
  return { id: typeId, url: `${ctx.orgUrl}/${project.id}/_apis/policy/types/${typeId}`, displayName: t?.displayName ?? typeId };
}

function policyJson(ctx: AdoContext, project: Project, p: Policy): Record<string, unknown> {
  const url = `${ctx.orgUrl}/${project.id}/_apis/policy/configurations/${p.id}`;
  return {
    createdBy: identityRef(ctx.orgUrl, ctx.state.identity(p.createdById)),
    createdDate: p.createdDate,
    isEnabled: p.isEnabled,
    isBlocking: p.isBlocking,
    isDeleted: p.isDeleted,
    settings: p.settings,
    isEnterpriseManaged: false,
    _links: { self: { href: url }, policyType: { href: `${ctx.orgUrl}/${project.id}/_apis/policy/types/${p.typeId}` } },
    revision: p.revision,
    id: p.id,
    url,
    type: typeRef(ctx, project, p.typeId),
  };
}

const PolicyBodySchema = z.object({
  isEnabled: z.boolean(),
  isBlocking: z.boolean(),
  type: z.object({ id: z.string() }),
  settings: z.record(z.string(), JsonValueSchema),
});

export const policyRoutes: readonly AdoRouteDef[] = [
  {
    name: 'policy.configurations.list',
    method: 'GET',
    location: 'dad91cbe-d183-45f8-9c6e-9c1164472121',
    contract: contract('configurations'),
    without: ['configurationId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const typeId = ctx.query('policyType')?.toLowerCase();
      return list(ctx.state.doc.policies.filter((p) => p.projectId === project.id && !p.isDeleted && (!typeId || p.typeId === typeId)).map((p) => policyJson(ctx, project, p)));
    },
  },
  {
    name: 'policy.configurations.get',
    method: 'GET',
    location: 'dad91cbe-d183-45f8-9c6e-9c1164472121',
    contract: contract('configurations/{configurationId}'),
    with: ['configurationId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const p = ctx.state.doc.policies.find((x) => x.projectId === project.id && x.id === Number(ctx.param('configurationId')));
      if (!p) throw notFound('PolicyConfigurationNotFoundException', `TF400889: The policy configuration ${ctx.param('configurationId')} does not exist.`);
      return ok(policyJson(ctx, project, p));
    },
  },
  {
    name: 'policy.configurations.create',
    method: 'POST',
    location: 'dad91cbe-d183-45f8-9c6e-9c1164472121',
    contract: contract('configurations'),
    without: ['configurationId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      const body = ctx.json(PolicyBodySchema);
      const typeId = body.type.id.toLowerCase();
      if (!POLICY_TYPES.some((t) => t.id === typeId)) throw badRequest('PolicyTypeNotFoundException', `TF400890: The policy type ${body.type.id} does not exist.`);
      if (!Array.isArray(body.settings.scope)) throw badRequest('InvalidArgumentValueException', 'A branch policy needs settings.scope: [{ repositoryId, refName, matchKind }].');
      const policy: Policy = {
        id: ctx.state.next('policy'),
        projectId: project.id,
        typeId,
        revision: 1,
        isEnabled: body.isEnabled,
        isBlocking: body.isBlocking,
        isDeleted: false,
        settings: body.settings,
        createdById: ctx.user.id,
        createdDate: ctx.state.nowIso(),
      };
      ctx.state.doc.policies.push(policy);
      ctx.state.changed();
      return ok(policyJson(ctx, project, policy));
    },
  },
  {
    name: 'policy.types.list',
    method: 'GET',
    location: '44096322-2d3d-466a-bb30-d1b7de69f61f',
    contract: contract('types'),
    without: ['typeId'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      return list(POLICY_TYPES.map((t) => ({ ...typeRef(ctx, project, t.id), description: t.description, _links: { self: { href: `${ctx.orgUrl}/${project.id}/_apis/policy/types/${t.id}` } } })));
    },
  },
];
