import { z } from 'zod';
import { type AdoContext, created, list, ok } from '../http/context';
import { AdoHttpError, badRequest, notFound } from '../http/errors';
import { type AdoRouteDef } from '../http/routes';
import { findNodeByPath, timeFrameOf } from '../state/classification';
import { FIELDS } from '../state/fields';
import { newGuid } from '../state/ids';
import { type ClassificationNode, type Project } from '../state/model';
import { STATE_COLORS, type WorkItemTypeDef } from '../state/processes';
import { workItemType } from '../state/workItemOps';

const wit = (path: string) => ({ file: 'workItemTracking', path: `/{organization}/{project}/_apis/wit/${path}` });

function typeFields(ctx: AdoContext): Record<string, unknown>[] {
  return FIELDS.map((f) => ({ referenceName: f.referenceName, name: f.name, url: `${ctx.orgUrl}/_apis/wit/fields/${f.referenceName}`, alwaysRequired: f.referenceName === 'System.Title', helpText: `The ${f.name.toLowerCase()} of the work item.` }));
}

/** The work item form as the service describes it (one group of field controls). */
function formXml(): string {
  const controls = FIELDS.filter((f) => !f.readOnly && f.type !== 'history')
    .map((f) => `<Control Label="${f.name}" LabelPosition="Left" FieldName="${f.referenceName}" Type="${f.type === 'html' ? 'HtmlFieldControl' : f.type === 'treePath' ? 'WorkItemClassificationControl' : 'FieldControl'}" />`)
    .join('');
  return `<FORM><Layout HideReadOnlyEmptyFields="true" HideControlBorders="true"><Group><Column PercentWidth="100">${controls}</Column></Group></Layout></FORM>`;
}

function typeJson(ctx: AdoContext, project: Project, t: WorkItemTypeDef): Record<string, unknown> {
  const url = `${ctx.orgUrl}/${project.id}/_apis/wit/workItemTypes/${encodeURIComponent(t.name)}`;
  const initial = t.states[0]?.name ?? '';
  // Inherited processes let any state move to any other; '' is the state of an item not yet saved.
  const transitions: Record<string, { to: string }[]> = { '': [{ to: initial }] };
  for (const s of t.states) transitions[s.name] = t.states.filter((o) => o.name !== s.name).map((o) => ({ to: o.name }));
  return {
    name: t.name,
    referenceName: t.referenceName,
    description: t.description,
    color: t.color,
    icon: { id: t.icon, url: `${ctx.orgUrl}/_apis/wit/workItemIcons/${t.icon}?color=${t.color}&v=2` },
    isDisabled: false,
    states: t.states.map((s) => ({ name: s.name, color: STATE_COLORS[s.category], category: s.category })),
    transitions,
    xmlForm: formXml(),
    fields: typeFields(ctx),
    fieldInstances: typeFields(ctx),
    _links: { self: { href: url } },
    url,
  };
}

type Group = 'areas' | 'iterations';

/** Areas or Iterations, by name or as the client's TreeStructureGroup enum (Areas=0, Iterations=1). */
function groupOf(raw: string | undefined): Group {
  const g = (raw ?? '').toLowerCase();
  if (g === 'areas' || g === '0') return 'areas';
  if (g === 'iterations' || g === '1') return 'iterations';
  throw badRequest('InvalidArgumentValueException', `The structure group '${raw}' is not valid. Use Areas or Iterations.`);
}

function nodeJson(ctx: AdoContext, project: Project, group: Group, node: ClassificationNode, relPath: string, depth: number): Record<string, unknown> {
  const segment = group === 'areas' ? 'Area' : 'Iteration';
  const apiGroup = group === 'areas' ? 'Areas' : 'Iterations';
  const url = `${ctx.orgUrl}/${project.id}/_apis/wit/classificationNodes/${apiGroup}${relPath ? '/' + relPath.split('\\').map(encodeURIComponent).join('/') : ''}`;
  const out: Record<string, unknown> = {
    id: node.id,
    identifier: node.identifier,
    name: node.name,
    structureType: group === 'areas' ? 'area' : 'iteration',
    hasChildren: node.children.length > 0,
    path: `\\${project.name}\\${segment}${relPath ? '\\' + relPath : ''}`,
  };
  if (node.startDate || node.finishDate) {
    out.attributes = { startDate: node.startDate, finishDate: node.finishDate, timeFrame: timeFrameOf(node, ctx.state.now()) };
  }
  if (depth > 0 && node.children.length > 0) {
    out.children = node.children.map((c) => nodeJson(ctx, project, group, c, relPath ? `${relPath}\\${c.name}` : c.name, depth - 1));
  }
  out._links = { self: { href: url } };
  out.url = url;
  return out;
}

function findUnder(project: Project, group: Group, relPath: string): ClassificationNode {
  const root = group === 'areas' ? project.areas : project.iterations;
  if (!relPath) return root;
  const hit = findNodeByPath(root, `${project.name}\\${relPath}`);
  if (!hit) throw notFound('ClassificationNodeNotFoundException', `VS402485: The node ${relPath} does not exist under ${group === 'areas' ? 'Areas' : 'Iterations'} of project ${project.name}.`);
  return hit.node;
}

const relPathOf = (raw: string | undefined) => (raw ?? '').split(/[\\/]/).filter(Boolean).join('\\');

const NodeSchema = z.object({
  name: z.string(),
  attributes: z.object({ startDate: z.string().nullish(), finishDate: z.string().nullish() }).nullish(),
});

export const witMetaRoutes: readonly AdoRouteDef[] = [
  {
    name: 'wit.workItemTypes.list',
    method: 'GET',
    location: '7c8d7a76-4a09-43e8-b5df-bd792f4ac6aa',
    contract: wit('workitemtypes'),
    without: ['type'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      return list(ctx.state.processOf(project).types.map((t) => typeJson(ctx, project, t)));
    },
  },
  {
    name: 'wit.workItemTypes.get',
    method: 'GET',
    location: '7c8d7a76-4a09-43e8-b5df-bd792f4ac6aa',
    contract: wit('workitemtypes/{type}'),
    with: ['type'],
    handler: (ctx) => {
      const project = ctx.requireProject();
      return ok(typeJson(ctx, project, workItemType(ctx.state, project, ctx.param('type') ?? '')));
    },
  },
  {
    name: 'wit.workItemTypeStates.list',
    method: 'GET',
    location: '7c9d7a76-4a09-43e8-b5df-bd792f4ac6aa',
    contract: wit('workitemtypes/{type}/states'),
    handler: (ctx) => {
      const project = ctx.requireProject();
      const t = workItemType(ctx.state, project, ctx.param('type') ?? '');
      return list(t.states.map((s) => ({ name: s.name, color: STATE_COLORS[s.category], category: s.category })));
    },
  },
  {
    name: 'wit.classificationNodes.roots',
    method: 'GET',
    location: 'a70579d1-f53a-48ee-a5be-7be8659023b9',
    contract: wit('classificationnodes'),
    handler: (ctx) => {
      const project = ctx.requireProject();
      const depth = ctx.queryInt('$depth') ?? 0;
      return list([nodeJson(ctx, project, 'areas', project.areas, '', depth), nodeJson(ctx, project, 'iterations', project.iterations, '', depth)]);
    },
  },
  {
    name: 'wit.classificationNodes.get',
    method: 'GET',
    location: '5a172953-1b41-49d3-840a-33f79c3ce89f',
    contract: wit('classificationnodes/{structureGroup}/{path}'),
    handler: (ctx) => {
      const project = ctx.requireProject();
      const group = groupOf(ctx.param('structureGroup'));
      const relPath = relPathOf(ctx.param('path'));
      return ok(nodeJson(ctx, project, group, findUnder(project, group, relPath), relPath, ctx.queryInt('$depth') ?? 0));
    },
  },
  {
    name: 'wit.classificationNodes.create',
    method: 'POST',
    location: '5a172953-1b41-49d3-840a-33f79c3ce89f',
    contract: { ...wit('classificationnodes/{structureGroup}/{path}'), status: 201 },
    handler: (ctx) => {
      const project = ctx.requireProject();
      const group = groupOf(ctx.param('structureGroup'));
      const parentPath = relPathOf(ctx.param('path'));
      const parent = findUnder(project, group, parentPath);
      const body = ctx.json(NodeSchema);
      if (!body.name.trim() || /[\\/$?*:"&<>#%|+]/.test(body.name)) {
        throw badRequest('ClassificationNodeInvalidNameException', `VS402484: The name '${body.name}' is not valid for a node. Names cannot contain \\ / $ ? * : " & > < # % | +.`);
      }
      if (parent.children.some((c) => c.name.toLowerCase() === body.name.toLowerCase())) {
        throw new AdoHttpError(409, 'ClassificationNodeDuplicateNameException', `VS402371: The node '${body.name}' already exists under '${parentPath || project.name}'.`);
      }
      const start = body.attributes?.startDate ?? undefined;
      const finish = body.attributes?.finishDate ?? undefined;
      if (group === 'areas' && (start || finish)) throw badRequest('InvalidArgumentValueException', 'Area nodes have no dates.');
      if ((start === undefined) !== (finish === undefined) || (start && finish && Date.parse(start) > Date.parse(finish))) {
        throw badRequest('InvalidArgumentValueException', 'VS402467: An iteration needs both a start and a finish date, and the start must not be after the finish.');
      }
      const node: ClassificationNode = { id: ctx.state.next('node'), identifier: newGuid(), name: body.name, ...(start ? { startDate: start } : {}), ...(finish ? { finishDate: finish } : {}), children: [] };
      parent.children.push(node);
      ctx.state.changed();
      return created(nodeJson(ctx, project, group, node, parentPath ? `${parentPath}\\${node.name}` : node.name, 0));
    },
  },
];
