// Every command in package.json `contributes.commands` is registered in code, and every command
// the code registers is contributed; menus and views refer only to what exists. Static: it reads
// the sources, so it runs in CI without VS Code (the integration suite checks the live registry).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const contributes = pkg.contributes ?? {};
const contributed = new Set((contributes.commands ?? []).map((c) => c.command));

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else if (/\.tsx?$/.test(name)) yield full;
  }
}

const registered = new Map();
const registration = /register(?:TextEditor)?Command\(\s*['"`](aiDevops\.[\w.]+)['"`]/g;
// Agents' palette commands are rows of a table (src/views/agents/*Commands.ts) that
// registerAgentCommands registers: `{ command: 'aiDevops.agents.x', agent: ..., ... }`.
const agentCommandRow = /\{\s*command:\s*['"`](aiDevops\.[\w.]+)['"`],\s*agent:/g;
for (const file of files(path.join(root, 'src'))) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(registration)) registered.set(m[1], path.relative(root, file));
  if (file.includes(`${path.sep}views${path.sep}agents${path.sep}`)) for (const m of text.matchAll(agentCommandRow)) registered.set(m[1], path.relative(root, file));
}

const problems = [];
for (const c of contributes.commands ?? []) {
  if (!c.title) problems.push(`${c.command}: no title`);
  if (c.category !== 'AI DevOps') problems.push(`${c.command}: category must be "AI DevOps"`);
}
// Register with a literal id (`registerCommand('aiDevops.x', ...)`) so this check can see it.
for (const id of contributed) if (!registered.has(id)) problems.push(`${id}: contributed but never registered in src/`);
for (const [id, file] of registered) if (!contributed.has(id)) problems.push(`${id}: registered in ${file} but not contributed in package.json`);

const inView = new Set();
for (const [menu, entries] of Object.entries(contributes.menus ?? {})) {
  for (const e of entries) {
    if (e.command && !contributed.has(e.command)) problems.push(`menus.${menu}: ${e.command} is not a contributed command`);
    if (menu.startsWith('view/')) inView.add(e.command);
  }
}
for (const c of contributes.commands ?? []) {
  if (inView.has(c.command) && !c.icon) problems.push(`${c.command}: shown in a view but has no icon`);
}
const views = Object.values(contributes.views ?? {}).flat().map((v) => v.id);
for (const w of contributes.viewsWelcome ?? []) if (!views.includes(w.view)) problems.push(`viewsWelcome: unknown view ${w.view}`);
for (const v of views) if (!(contributes.viewsWelcome ?? []).some((w) => w.view === v)) problems.push(`view ${v} has no welcome content`);

if (problems.length > 0) {
  console.error(`Manifest check: ${problems.length} problem(s)\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`Manifest check: ${contributed.size} commands contributed and registered, ${views.length} views with welcome content.`);
