import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/main';
import { type Logger } from '../../../src/core/host';
import { Sandbox } from '../../../src/sandbox/sandbox';

const none = (): void => undefined;
const log: Logger = { trace: none, debug: none, info: none, warn: none, error: none };

async function run(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
  const code = await main({ argv, env: { XDG_STATE_HOME: path.join(cwd, '..', 'state'), ...env }, cwd, stdout, stderr, stdin });
  return { code, stdout: out, stderr: err };
}

interface Tree {
  type: string;
  title: string;
  estimate: number | null;
  acceptanceCriteria: string[];
  children: Tree[];
}

describe('ai-devops plan epic', () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    sandbox = await Sandbox.start({ stateDir: undefined, log });
    const { azureDevOps } = sandbox.endpoints();
    env = { AIDEVOPS_ORGANIZATION_URL: azureDevOps!.organizationUrl, AIDEVOPS_PROJECT: azureDevOps!.project, AIDEVOPS_TEAM: azureDevOps!.team, AIDEVOPS_AZURE_DEVOPS_TOKEN: sandbox.credentials.azureDevOpsPat };
  });
  after(() => sandbox.stop());
  beforeEach(async () => {
    dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'aidevops-plancli-')));
    await fs.mkdir(path.join(dir, 'ws', 'docs'), { recursive: true });
    await fs.writeFile(path.join(dir, 'ws', 'docs', 'search.md'), '# Product search\n\n## Search box\n\n### Search by name [3]\n\n**Acceptance criteria**\n\n- Typos still find the product\n\n**Tasks**\n\n- Index the names [5h]\n');
  });
  afterEach(async () => fs.rm(dir, { recursive: true, force: true }));

  it('prints the plan as the issue\'s tree and creates nothing without --apply; --apply --yes creates it once', async () => {
    const before = sandbox.azureDevOps.doc.workItems.length;
    const r = await run(['plan', 'epic', 'docs/search.md', 'ws', '--json'], dir, env);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const doc = JSON.parse(r.stdout) as { items: Tree[]; counts: { new: number } };
    assert.deepEqual(doc.items, [
      {
        type: 'Epic', title: 'Product search', estimate: null, acceptanceCriteria: [],
        children: [{
          type: 'Feature', title: 'Search box', estimate: null, acceptanceCriteria: [],
          children: [{ type: 'User Story', title: 'Search by name', estimate: 3, acceptanceCriteria: ['Typos still find the product'], children: [{ type: 'Task', title: 'Index the names', estimate: 5, acceptanceCriteria: [], children: [] }] }],
        }],
      },
    ]);
    assert.equal(doc.counts.new, 4);
    assert.equal(sandbox.azureDevOps.doc.workItems.length, before, 'nothing created without --apply');

    const applied = await run(['plan', 'epic', 'docs/search.md', 'ws', '--apply', '--yes', '--json'], dir, env);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.equal(sandbox.azureDevOps.doc.workItems.length, before + 4);
    const again = await run(['plan', 'docs/search.md', 'ws', '--apply', '--yes', '--json'], dir, env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((JSON.parse(again.stdout) as { counts: { new: number } }).counts.new, 0);
    assert.equal(sandbox.azureDevOps.doc.workItems.length, before + 4, 'a second run creates nothing');
    assert.ok(!`${r.stdout}${r.stderr}${applied.stdout}${applied.stderr}`.includes(sandbox.credentials.azureDevOpsPat), 'the token leaked');
  });

  it('applies a saved and edited preview: renamed, re-estimated and dropped items as the user left them', async () => {
    await fs.writeFile(path.join(dir, 'ws', 'docs', 'search.md'), (await fs.readFile(path.join(dir, 'ws', 'docs', 'search.md'), 'utf8')).replace('# Product search', '# Catalogue search'));
    const planned = await run(['plan', 'epic', 'docs/search.md', 'ws', '--json'], dir, env);
    const { document } = JSON.parse(planned.stdout) as { document: string };
    const edited = document.replace('### Search by name [3 pts]', '### Search by product name [5 pts]').replace(/- Index the names \[5h\]\n/, '');
    assert.notEqual(edited, document);
    await fs.writeFile(path.join(dir, 'ws', 'docs', 'search.plan.md'), edited);
    const before = sandbox.azureDevOps.doc.workItems.length;
    const r = await run(['plan', 'epic', 'docs/search.plan.md', 'ws', '--apply', '--yes', '--json'], dir, env);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const created = sandbox.azureDevOps.doc.workItems.slice(before);
    assert.deepEqual(created.map((w) => [w.fields['System.WorkItemType'], w.fields['System.Title'], w.fields['Microsoft.VSTS.Scheduling.StoryPoints'] ?? null]), [
      ['Epic', 'Catalogue search', null],
      ['Feature', 'Search box', null],
      ['User Story', 'Search by product name', 5],
    ]);
    await fs.writeFile(path.join(dir, 'ws', 'docs', 'broken.plan.md'), edited.replace(/"key":"plan-[0-9a-f]+"/, '"key":"nope"'));
    const broken = await run(['plan', 'epic', 'docs/broken.plan.md', 'ws', '--json'], dir, env);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /The plan's header is not valid \(key: /);
  });

  it('plan sprint --json prints what fits the next sprint against its capacity and moves nothing; plan report --json writes the status report', async () => {
    const ws = path.join(dir, 'ws');
    const paths = () => sandbox.azureDevOps.doc.workItems.map((w) => w.fields['System.IterationPath']);
    const before = paths();
    const r = await run(['plan', 'sprint', '--json'], ws, env);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const doc = JSON.parse(r.stdout) as { iteration: { name: string }; unit: string; capacity: { members: unknown[] } | null; proposed: unknown[]; flagged: unknown[]; velocity: { iterations: { iteration: string }[] } };
    assert.equal(doc.iteration.name, 'Sprint 3');
    assert.equal(doc.unit, 'Story Points');
    assert.equal(doc.capacity?.members.length, 3);
    assert.deepEqual(doc.velocity.iterations.map((v) => v.iteration), ['Sprint 1']);
    assert.ok(Array.isArray(doc.proposed) && Array.isArray(doc.flagged));
    assert.deepEqual(paths(), before, 'nothing moved without --apply');

    const report = await run(['plan', 'report', '--json', '--yes'], ws, env);
    assert.equal(report.code, 0, report.stderr + report.stdout);
    const rep = JSON.parse(report.stdout) as { file: string };
    assert.match(rep.file, /^\.devops\/reports\/status-sprint-2-\d{4}-\d{2}-\d{2}\.md$/);
    assert.match(await fs.readFile(path.join(ws, rep.file), 'utf8'), /^# Status of Sprint 2: /);
  });

  it('says plainly when no tracker is connected, and exits 1 (the run failed)', async () => {
    const r = await run(['plan', 'epic', 'docs/search.md', 'ws', '--json'], dir, {});
    assert.equal(r.code, 1);
    assert.match(r.stdout + r.stderr, /Azure Boards is not connected/);
  });
});
