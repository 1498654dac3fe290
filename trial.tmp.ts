import { renderProject } from './src/agents/scaffold/templates';
import fs from 'node:fs'; import path from 'node:path';
const out = renderProject({ template: 'fastapi', name: 'shop', entities: [{ name: 'Order', fields: [{ name: 'json', type: 'string', required: true }, { name: 'total', type: 'number', required: true }] }] });
const dir = '/tmp/trialfa'; fs.rmSync(dir, { recursive: true, force: true });
for (const f of out.files) { fs.mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true }); fs.writeFileSync(path.join(dir, f.path), f.content); }
console.log(out.testCommand, out.files.length);
