import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type z } from 'zod';
import { type ChatModel } from '../../../../src/core/ai/chatModel';
import { parseScaffoldRequest } from '../../../../src/agents/scaffold/parseRequest';
import { scaffoldAgent } from '../../../../src/agents/scaffold/scaffoldAgent';
import { slugFor } from '../../../../src/agents/scaffold/input';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { type Harness, makeHarness } from '../runtime/harness';

const signal = new AbortController().signal;

function jsonModel(answer: unknown): ChatModel {
  return {
    info: { provider: 'sandbox', id: 'm', name: 'Scripted', family: 'f', maxInputTokens: 1000, maxOutputTokens: 1000, toolCalling: false, local: true },
    stream: () => (async function* () {})(),
    complete: async () => ({ text: JSON.stringify(answer), toolCalls: [], usage: undefined, finishReason: 'stop' }),
    completeJson: async <T>(_m: unknown, schema: z.ZodType<T>) => {
      if (answer instanceof Error) throw answer;
      return schema.parse(answer);
    },
    countTokens: async () => ({ tokens: 1, exact: false }),
  };
}

describe('scaffold agent', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('writes a FastAPI project into an empty folder: every file, the facts, the test command, audited', async () => {
    h = await makeHarness();
    const result = await runAgent(h.services, { agent: scaffoldAgent, action: 'project', input: { template: 'fastapi', database: 'postgres', name: 'orders-api' } });
    assert.equal(result.outcome, 'succeeded', result.error);
    const files = result.plan!.result!.files as string[];
    assert.ok(files.includes('app/main.py') && files.includes('Dockerfile') && files.includes('.github/workflows/ci.yml'));
    for (const f of files) assert.ok(await h.read(f) !== undefined, f);
    assert.equal(result.plan!.result!.testCommand, 'pytest');
    assert.deepEqual(result.plan!.facts.find((f) => f.label === 'Database'), { label: 'Database', value: 'postgres' });
    const written = (await h.events()).filter((e) => e.eventType === 'file.written');
    assert.equal(written.length, files.length);
  });

  it('plans every template with its defaults (front ends have no database and no entities)', async () => {
    h = await makeHarness();
    for (const template of ['fastapi', 'flask', 'django', 'express', 'react', 'vue']) {
      const r = await runAgent(h.services, { agent: scaffoldAgent, action: 'project', input: { template, folder: `p-${template}` }, mode: 'plan' });
      assert.equal(r.outcome, 'succeeded', `${template}: ${r.error}`);
      assert.ok(r.plan!.edits.length > 10, template);
      assert.ok(r.plan!.edits.every((e) => e.path.startsWith(`p-${template}/`) && e.action === 'create'), template);
    }
  });

  it('into a subfolder; the name defaults to the folder; --without leaves parts out', async () => {
    h = await makeHarness();
    const result = await runAgent(h.services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', folder: 'services/Billing Service', without: 'docker,ci' } });
    assert.equal(result.outcome, 'succeeded', result.error);
    assert.equal(result.plan!.result!.name, 'billing-service');
    assert.equal(result.plan!.result!.testCommand, 'cd services/Billing Service && pytest');
    const files = result.plan!.result!.files as string[];
    assert.ok(files.every((f) => f.startsWith('services/Billing Service/')));
    assert.ok(!files.some((f) => /Dockerfile|azure-pipelines|\.github/.test(f)));
  });

  it('an existing file is a change shown as a diff (modify with the hash it was read at), never a silent overwrite', async () => {
    h = await makeHarness();
    await h.write('README.md', '# Mine\n');
    const plan = await runAgent(h.services, { agent: scaffoldAgent, action: 'project', input: { template: 'django', name: 'shop' }, mode: 'plan' });
    const readme = plan.plan!.edits.find((e) => e.path === 'README.md')!;
    assert.equal(readme.action, 'modify');
    assert.match(readme.baseSha256 ?? '', /^[0-9a-f]{64}$/);
    assert.match(plan.plan!.notes.join(' '), /1 file already exists \(README\.md\)/);
    // Declining that one file keeps it; the rest is written.
    h.ui.review = async (r) => ({ edits: r.edits.filter((e) => e.path !== 'README.md').map((e) => e.path), commands: [], remote: [] });
    const applied = await runAgent(h.services, { agent: scaffoldAgent, action: 'project', input: { template: 'django', name: 'shop' } });
    assert.equal(applied.outcome, 'succeeded');
    assert.equal(await h.read('README.md'), '# Mine\n');
    assert.ok((await h.read('manage.py'))?.includes('DJANGO_SETTINGS_MODULE'));
    // A second run plans nothing for files already as the template writes them.
    const again = await runAgent(h.services, { agent: scaffoldAgent, action: 'project', input: { template: 'django', name: 'shop' }, mode: 'plan' });
    assert.deepEqual(again.plan!.edits.map((e) => e.path), ['README.md']);
  });

  it('refuses bad input with the field named: unknown template, a name that is not a slug, a folder outside', async () => {
    h = await makeHarness();
    await assert.rejects(runAgent(h.services, { agent: scaffoldAgent, action: 'project', input: { template: 'rails' } }), /scaffold project: template: /);
    const badName = await runAgent(h.services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', name: 'Bad Name!' } });
    assert.equal(badName.outcome, 'failed');
    assert.match(badName.error ?? '', /name: the project name is a slug/);
    const outside = await runAgent(h.services, { agent: scaffoldAgent, action: 'project', input: { template: 'flask', folder: '../elsewhere' } });
    assert.match(outside.error ?? '', /must be inside the workspace/);
    assert.deepEqual((await fs.readdir(h.root)).filter((f) => f !== '.devops'), []);
  });

  it('a folder name that is not a usable slug falls back to a safe name', () => {
    assert.equal(slugFor('Orders API'), 'orders-api');
    assert.equal(slugFor('123'), 'my-project');
    assert.equal(slugFor('--x--'), 'my-project');
    assert.equal(slugFor(path.basename('/tmp/aidevops-agent-XyZ')), 'aidevops-agent-xyz');
  });
});

describe('scaffold request from a sentence', () => {
  it('without a model: template, database and name from keywords', async () => {
    const r = await parseScaffoldRequest('an orders API in FastAPI with PostgreSQL', undefined, signal);
    assert.ok(r.ok);
    assert.deepEqual(r.value.input, { template: 'fastapi', database: 'postgres', name: 'orders-api', folder: 'orders-api' });
    assert.deepEqual(r.value.understood, ['template fastapi', 'database postgres', 'project orders-api in the folder orders-api/']);
  });

  it('a work item named in the sentence links the project to it, as written', async () => {
    const cases: [string, string | undefined][] = [
      ['an orders API in FastAPI for AB#12', 'AB#12'],
      ['a Flask app for #7, please', '#7'],
      ['a Vue front end for octo/shop#45.', 'octo/shop#45'],
      ['Django for https://dev.azure.com/contoso/Web/_workitems/edit/31', 'https://dev.azure.com/contoso/Web/_workitems/edit/31'],
      ['an Express API on port 8080', undefined],
      ['a React app, see https://example.com/docs', undefined],
    ];
    for (const [sentence, expected] of cases) {
      const r = await parseScaffoldRequest(sentence, undefined, signal);
      assert.ok(r.ok, sentence);
      assert.equal(r.value.input.workItem, expected, sentence);
      if (expected) assert.ok(r.value.understood.some((u) => u.startsWith(`linked to ${expected}`)), sentence);
    }
  });

  it('with a model: entities from the sentence, parsed with zod; the words of the sentence win over the model', async () => {
    const model = jsonModel({ template: 'flask', database: 'mongodb', name: 'shop', entities: [{ name: 'Order', fields: [{ name: 'customer', type: 'string', required: true }, { name: 'total', type: 'number', required: true }] }] });
    const r = await parseScaffoldRequest('a shop backend in Django with SQL Server: orders have a customer and a total', model, signal);
    assert.ok(r.ok);
    assert.equal(r.value.input.template, 'django');
    assert.equal(r.value.input.database, 'sqlserver');
    assert.equal(r.value.input.entities?.[0]?.name, 'Order');
  });

  it('a model that answers nonsense is set aside with a note; the keywords still work', async () => {
    const r = await parseScaffoldRequest('a todo app in vue', jsonModel({ template: 'cobol', entities: 'lots' }), signal);
    assert.ok(r.ok);
    assert.equal(r.value.input.template, 'vue');
    assert.match(r.value.understood.at(-1)!, /the model's answer could not be used/);
    const injected = await parseScaffoldRequest('an api in flask', jsonModel({ template: null, database: null, name: null, entities: [{ name: 'X); import os #', fields: [] }] }), signal);
    assert.ok(injected.ok);
    assert.equal(injected.value.input.entities, undefined, 'an entity name that is not PascalCase never reaches a template');
  });

  it('no kind of project named: says how to name one', async () => {
    const r = await parseScaffoldRequest('make me something nice', undefined, signal);
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /Which kind of project\? Name one of fastapi, flask, django, express, react, vue/);
  });
});

describe('scaffold --verify', () => {
  it('installs without running any package install script (the only npm install the policy allows) and runs the tests', async () => {
    const { decideCommand } = await import('../../../../src/core/policy/commandPolicy');
    const { defaultPolicy } = await import('../../../../src/core/policy/commandPolicy');
    const policy = defaultPolicy();
    assert.equal(decideCommand(policy, { file: 'npm', args: ['install', '--ignore-scripts', '--no-audit', '--no-fund'] }, { workspaceRoot: '/w' }).allowed, true);
    assert.equal(decideCommand(policy, { file: 'npm', args: ['install'] }, { workspaceRoot: '/w' }).allowed, false, 'install scripts would run');
    assert.equal(decideCommand(policy, { file: 'npm', args: ['install', '--ignore-scripts', 'left-pad'] }, { workspaceRoot: '/w' }).allowed, false, 'no package named by the agent');
    const h = await makeHarness({ user: { defaults: { runCommand: 'allow', writeFiles: 'allow' } } });
    try {
      const plan = await runAgent(h.services, { agent: scaffoldAgent, action: 'project', input: { template: 'react', name: 'web-app', verify: true }, mode: 'plan' });
      assert.equal(plan.outcome, 'succeeded', plan.error);
      assert.deepEqual(plan.plan!.commands.map((c) => [c.file, ...c.args].join(' ')), ['npm install --ignore-scripts --no-audit --no-fund', 'npm test']);
    } finally {
      await h.dispose();
    }
  });
});
