import assert from 'node:assert/strict';
import { githubProjectToConnect } from '../../../../src/agents/orchestrator/projectToConnect';
import { type RunResult } from '../../../../src/agents/runtime/runAgent';

type Shape = Pick<RunResult, 'outcome' | 'plan' | 'applied'>;
const run = (over: { outcome?: RunResult['outcome']; result?: Record<string, unknown>; remote?: RunResult['applied']['remote'] }): Shape =>
  ({
    outcome: over.outcome ?? 'succeeded',
    plan: { result: over.result ?? { tracker: 'github', project: 'Orders board' } } as unknown as RunResult['plan'],
    applied: { edits: [], commands: [], remote: over.remote ?? [] },
  }) as Shape;
const created = (result: unknown) => [{ id: 'project', kind: 'github.projectSetup', target: 'contoso/contoso-web', outcome: 'applied' as const, detail: 'created', result: result as never }];

describe('bootstrap on GitHub: the Project the editor offers to use (aiDevops.github.projectNumber)', () => {
  it('a Project this run created: its number, when no number or another one is set', () => {
    assert.deepEqual(githubProjectToConnect(run({ remote: created({ made: true, number: 7 }) }), null), { number: 7, title: 'Orders board' });
    assert.deepEqual(githubProjectToConnect(run({ remote: created({ made: true, number: 7 }) }), 3), { number: 7, title: 'Orders board' });
    assert.equal(githubProjectToConnect(run({ remote: created({ made: true, number: 7 }) }), 7), undefined);
  });

  it('a Project found (nothing created): the survey\'s number', () => {
    assert.deepEqual(githubProjectToConnect(run({ result: { tracker: 'github', project: 'Roadmap', number: 4 } }), undefined), { number: 4, title: 'Roadmap' });
  });

  it('offers nothing for a failed or cancelled run, an Azure DevOps bootstrap, a create step that did not apply, or an answer that is not a Project number', () => {
    assert.equal(githubProjectToConnect(run({ outcome: 'failed', remote: created({ number: 7 }) }), null), undefined);
    assert.equal(githubProjectToConnect(run({ outcome: 'cancelled', remote: created({ number: 7 }) }), null), undefined);
    assert.equal(githubProjectToConnect(run({ result: { project: 'Shop', number: 2 } }), null), undefined);
    assert.equal(githubProjectToConnect(run({ remote: [{ ...created({ number: 7 })[0]!, outcome: 'queued' }] }), null), undefined);
    for (const bad of [{ number: '7' }, { number: -1 }, { number: 1.5 }, ['7'], null]) assert.equal(githubProjectToConnect(run({ remote: created(bad) }), null), undefined, JSON.stringify(bad));
  });
});
