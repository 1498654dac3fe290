import path from 'node:path';
import { type AgentContext, type AgentDefinition } from '../runtime/context';
import { emptyPlan, type AgentPlan, type FileEdit } from '../runtime/plan';
import { OPTIONAL_PARTS, ScaffoldInputSchema, slugFor, type ScaffoldInput } from './input';
import { DATABASES, isBackend, parseScaffoldOptions, TEMPLATES } from './options';
import { type ScaffoldCommand } from './output';
import { renderProject } from './templates';
import { entitiesFromWorkItem, tryModelEntities, verifiedInstall } from './entityTrial';
import { workItemFor, workItemKey, workItemLink, workItemText } from './workItemLink';

function withoutParts(without: ScaffoldInput['without']): Set<string> {
  if (without === undefined) return new Set();
  const list = typeof without === 'string' ? without.split(',').map((s) => s.trim()).filter(Boolean) : without;
  for (const part of list) {
    if (!(OPTIONAL_PARTS as readonly string[]).includes(part)) throw new Error(`--without takes ${OPTIONAL_PARTS.join(', ')}; "${part}" is not one of them.`);
  }
  return new Set(list);
}

/** A folder inside the workspace, forward slashes, no climbing out. */
function targetFolder(folder: string | undefined): string {
  const f = (folder ?? '.').replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (f === '' || f === '.') return '.';
  if (f.startsWith('/') || /^[A-Za-z]:/.test(f) || f.split('/').includes('..')) throw new Error(`The folder "${folder}" must be inside the workspace (a relative path without "..").`);
  return f;
}

const inFolder = (folder: string, p: string): string => (folder === '.' ? p : `${folder}/${p}`);
const shown = (c: ScaffoldCommand, folder: string): string => `${folder === '.' ? '' : `cd ${folder} && `}${c.display}`;

async function planProject(ctx: AgentContext, input: ScaffoldInput): Promise<AgentPlan> {
  const folder = targetFolder(input.folder);
  const without = withoutParts(input.without);
  const name = input.name ?? slugFor(folder === '.' ? path.basename(ctx.workspaceRoot) : path.posix.basename(folder));
  const base = {
    template: input.template,
    name,
    ...(input.database ? { database: input.database } : {}),
    ...Object.fromEntries(OPTIONAL_PARTS.map((p) => [p, !without.has(p)])),
  };
  parseScaffoldOptions({ ...base, ...(input.entities ? { entities: input.entities } : {}) });
  // The item is read first: a reference that names nothing fails before anything is rendered or run.
  const item = input.workItem ? await workItemFor(ctx, input.workItem) : undefined;
  const entityNotes: string[] = [];
  let entities = input.entities;
  let fromModel = input.entitiesFromModel === true && entities !== undefined;
  if (!entities && item && isBackend(input.template)) {
    const read = await entitiesFromWorkItem(ctx, workItemKey(item), workItemText(item));
    entityNotes.push(read.note);
    entities = read.entities;
    fromModel = entities !== undefined;
  }
  if (fromModel && entities && isBackend(input.template)) {
    const source = item && !input.entities ? workItemKey(item) : 'your request';
    const trial = await tryModelEntities(ctx, base, entities, source);
    entityNotes.push(...trial.notes);
    entities = trial.entities;
  }
  const raw = { ...base, ...(entities ? { entities } : {}) };
  const options = parseScaffoldOptions(raw);
  await ctx.step(`Rendering the ${options.template} template for ${options.name}`);
  // renderProject validates the options itself (and fills the same defaults).
  const output = renderProject(raw);

  const edits: FileEdit[] = [];
  const changed: string[] = [];
  for (const file of output.files) {
    const target = inFolder(folder, file.path);
    const existing = await ctx.files.read(target);
    if (existing === undefined) {
      edits.push({ path: target, action: 'create', content: file.content, ...(file.executable ? { executable: true } : {}) });
    } else if (existing.text !== file.content) {
      changed.push(target);
      edits.push({ path: target, action: 'modify', content: file.content, baseSha256: existing.sha256, why: 'exists already: shown as a change, applied only if you keep it' });
    }
  }
  const emptyBefore = await ctx.files.isEmptyFolder(folder);
  const plan = emptyPlan('scaffold', 'project', `Scaffold ${options.name}: ${options.template}${isBackend(options.template) ? ` with ${options.database}` : ''}`);
  plan.summary = `${output.files.length} files for a ${options.template} project in ${folder === '.' ? 'this folder' : folder}.`;
  plan.facts.push(
    { label: 'Template', value: options.template },
    ...(isBackend(options.template) ? [{ label: 'Database', value: options.database }] : []),
    { label: 'Folder', value: folder === '.' ? '(the workspace folder)' : folder },
    { label: 'Folder was empty', value: emptyBefore ? 'yes' : 'no' },
    { label: 'Parts', value: OPTIONAL_PARTS.filter((p) => !without.has(p)).join(', ') || 'none' },
    { label: 'Test command', value: shown(output.testCommand, folder) },
  );
  if (options.entities.length) plan.facts.push({ label: 'Entities', value: options.entities.map((e) => `${e.name} (${e.fields.map((f) => f.name).join(', ')})`).join('; ') });
  plan.notes.push(...entityNotes, ...output.notes);
  if (changed.length) plan.notes.push(`${changed.length} file${changed.length === 1 ? '' : 's'} already exist${changed.length === 1 ? 's' : ''} (${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''}): each is shown as a change and replaced only if you keep it.`);
  const unchanged = output.files.length - edits.length;
  if (unchanged) plan.notes.push(`${unchanged} file${unchanged === 1 ? ' is' : 's are'} already exactly as the template writes ${unchanged === 1 ? 'it' : 'them'}.`);
  plan.edits.push(...edits);
  if (input.verify) {
    const cwd = folder === '.' ? {} : { cwd: folder };
    if (output.installCommand) plan.commands.push({ ...verifiedInstall(output.installCommand), ...cwd, why: "install the generated project's dependencies (no package's install scripts run)", timeoutMs: 15 * 60_000 });
    plan.commands.push({ file: output.testCommand.file, args: [...output.testCommand.args], ...cwd, why: 'run the generated project\'s own tests', timeoutMs: 15 * 60_000 });
  }
  if (item) {
    await ctx.step(`Linking to ${workItemKey(item)}`);
    const link = await workItemLink(ctx, item, {
      template: options.template,
      name: options.name,
      ...(isBackend(options.template) ? { database: options.database } : {}),
      folder,
      files: edits.map((e) => e.path),
      testCommand: shown(output.testCommand, folder),
      parts: OPTIONAL_PARTS.filter((p) => !without.has(p)).join(', ') || 'no optional parts',
    });
    plan.facts.push(...link.facts);
    plan.commands.push(...link.commands);
    plan.remote.push(...link.remote);
    plan.notes.push(...link.notes);
    if (!edits.length) plan.notes.push('Every file is already as the template writes it: there is nothing to commit.');
  }
  plan.result = {
    files: output.files.map((f) => inFolder(folder, f.path)),
    testCommand: shown(output.testCommand, folder),
    ...(output.installCommand ? { installCommand: shown(output.installCommand, folder) } : {}),
    folder,
    name: options.name,
    template: options.template,
    ...(isBackend(options.template) ? { database: options.database } : {}),
  };
  return plan;
}

export const scaffoldAgent: AgentDefinition = {
  id: 'scaffold',
  title: 'Scaffold',
  description: 'new projects from templates (FastAPI, Flask, Django, Express, React, Vue) with tests, CI, Docker and a database',
  defaultAction: 'project',
  actions: [
    {
      name: 'project',
      description: `Generate a project: ${TEMPLATES.join(', ')}.`,
      input: ScaffoldInputSchema,
      positionals: ['template'],
      createsWorkspace: true,
      options: {
        name: { type: 'string', description: 'Project name (a slug such as orders-api; default: the folder name).' },
        database: { type: 'string', description: `Backends: ${DATABASES.join(', ')} (default sqlite).` },
        without: { type: 'string', description: `Parts to leave out, comma-separated: ${OPTIONAL_PARTS.join(', ')}.` },
        folder: { type: 'string', description: 'A subfolder of the workspace for the project (default: the workspace itself).' },
        verify: { type: 'boolean', description: "After writing, install and run the project's own tests." },
        'work-item': { type: 'string', description: 'Link to a work item (AB#12, #12, owner/repo#12 or its URL): branch task-<id>-dev, a commit naming it, a pull request with its acceptance criteria, a wiki page (Azure DevOps) or a comment (GitHub).' },
      },
      plan: planProject,
    },
  ],
};
