import assert from 'node:assert/strict';
import { z } from 'zod';
import { type ChatModel, type ModelInfo } from '../../../../src/core/ai/chatModel';
import { DevOpsError, isDevOpsError } from '../../../../src/core/errors';
import { type RemoteChange } from '../../../../src/agents/runtime/plan';
import { type RemoteExecutor } from '../../../../src/agents/runtime/remote';
import { runAgent } from '../../../../src/agents/runtime/runAgent';
import { type Harness, makeHarness } from './harness';
import { planAgent, planOf } from './testAgents';

const change = (id: string, extra: Partial<RemoteChange> = {}): RemoteChange => ({ id, kind: 'workItem.create', approval: 'trackerWrite', target: 'AB', summary: `create ${id}`, payload: { title: id }, ...extra });

function model(local: boolean, answer: (signal?: AbortSignal) => Promise<string> = async () => '{"ok":true}'): ChatModel & { calls: number } {
  const info: ModelInfo = { provider: 'openai', id: 'm', name: local ? 'Local model' : 'Cloud model', family: 'f', maxInputTokens: 1000, maxOutputTokens: 100, toolCalling: false, local };
  const m = {
    info,
    calls: 0,
    stream: () => (async function* () {})(),
    complete: async (_messages: unknown, options?: { signal?: AbortSignal }) => {
      m.calls++;
      return { text: await answer(options?.signal), toolCalls: [], usage: undefined, finishReason: 'stop' as const };
    },
    completeJson: async <T>(_messages: unknown, schema: z.ZodType<T>, options?: { signal?: AbortSignal }) => {
      m.calls++;
      return schema.parse(JSON.parse(await answer(options?.signal)));
    },
    countTokens: async () => ({ tokens: 1, exact: false }),
  };
  return m;
}

describe('agent runtime: remote changes and the model', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('applies remote changes after what they depend on, feeding results forward; a refusal holds back only its dependents', async () => {
    const seen: string[] = [];
    const creator: RemoteExecutor = {
      kind: 'workItem.create',
      execute: async (c, ctx) => {
        const parent = (c.payload as { parent?: string }).parent;
        seen.push(`${c.id}<-${parent ? JSON.stringify(ctx.results.get(parent)) : '-'}`);
        if (c.id === 'bad') return { kind: 'refused', detail: 'TF401320: rule says no' };
        return { kind: 'applied', detail: 'created', result: { id: seen.length } };
      },
    };
    h = await makeHarness({ executors: [creator] });
    const result = await runAgent(h.services, {
      agent: planAgent(() =>
        planOf({
          remote: [
            change('child', { dependsOn: ['epic'], payload: { parent: 'epic' } }),
            change('epic'),
            change('bad'),
            change('under-bad', { dependsOn: ['bad'], payload: { parent: 'bad' } }),
            change('other'),
          ],
        }),
      ),
      action: 'go',
      input: {},
    });
    assert.deepEqual(seen, ['epic<--', 'child<-{"id":1}', 'bad<--', 'other<--']);
    assert.deepEqual(result.applied.remote.map((r) => `${r.id}:${r.outcome}`), ['epic:applied', 'child:applied', 'bad:refused', 'under-bad:skipped', 'other:applied']);
    assert.equal(result.outcome, 'failed');
    assert.match(result.error ?? '', /create bad: TF401320/);
    const types = (await h.events()).map((e) => e.eventType).filter((t) => t.startsWith('remote.'));
    assert.deepEqual(types, ['remote.applied', 'remote.applied', 'remote.refused', 'remote.applied']);
  });

  it('a kind nothing can carry out is refused by name; a dependency cycle fails the run before anything is sent', async () => {
    h = await makeHarness();
    const unknown = await runAgent(h.services, { agent: planAgent(() => planOf({ remote: [change('a', { kind: 'rocket.launch' })] })), action: 'go', input: {} });
    assert.match(unknown.applied.remote[0]!.detail, /nothing here can carry out "rocket\.launch"/);
    const cycle = await runAgent(h.services, { agent: planAgent(() => planOf({ remote: [change('a', { dependsOn: ['b'] }), change('b', { dependsOn: ['a'] })] })), action: 'go', input: {} });
    assert.equal(cycle.outcome, 'failed');
    assert.match(cycle.error ?? '', /in a circle: a → b → a/);
  });

  it('push and publish are approved separately from tracker writes', async () => {
    const executed: string[] = [];
    h = await makeHarness({
      user: { defaults: { trackerWrite: 'allow', pushPublish: 'never' } },
      executors: [{ kind: 'workItem.create', execute: async (c) => (executed.push(c.id), { kind: 'applied', detail: 'ok' }) }, { kind: 'git.push', execute: async (c) => (executed.push(c.id), { kind: 'applied', detail: 'ok' }) }],
    });
    const result = await runAgent(h.services, { agent: planAgent(() => planOf({ remote: [change('item'), change('push', { kind: 'git.push', approval: 'pushPublish', target: 'origin' })] })), action: 'go', input: {} });
    assert.deepEqual(executed, ['item']);
    assert.equal(h.ui.reviews.length, 0);
    assert.match(result.skipped.map((s) => s.why).join(), /Never/);
  });

  it('a cloud model is asked about once per run before workspace content is sent; declining leaves the agent without it', async () => {
    const cloud = model(false);
    h = await makeHarness({ model: cloud });
    let errors = 0;
    await runAgent(h.services, {
      agent: planAgent(async (ctx) => {
        await ctx.model!.completeJson([{ role: 'user', content: 'x' }], z.object({ ok: z.boolean() }));
        await ctx.model!.complete([{ role: 'user', content: 'y' }]);
        return planOf({});
      }),
      action: 'go',
      input: {},
    });
    assert.equal(h.ui.confirms.filter((c) => c.kind === 'cloudModel').length, 1);
    assert.equal(cloud.calls, 2);
    h.ui.confirmAnswer = false;
    await runAgent(h.services, {
      agent: planAgent(async (ctx) => {
        await ctx.model!.complete([{ role: 'user', content: 'x' }]).catch((e: unknown) => (isDevOpsError(e) && e.code === 'refused' ? errors++ : Promise.reject(e)));
        return planOf({});
      }),
      action: 'go',
      input: {},
    });
    assert.equal(errors, 1);
    assert.equal(cloud.calls, 2, 'nothing was sent after the user said no');
  });

  it('a local model needs no approval; Never for a cloud model means the agent gets no model at all', async () => {
    h = await makeHarness({ model: model(true) });
    let had: boolean | undefined;
    await runAgent(h.services, { agent: planAgent(async (ctx) => ((await ctx.model!.complete([])), planOf({}))), action: 'go', input: {} });
    assert.equal(h.ui.confirms.length, 0);
    await h.dispose();
    h = await makeHarness({ model: model(false), user: { defaults: { cloudModel: 'never' } } });
    await runAgent(h.services, { agent: planAgent((ctx) => ((had = ctx.model !== undefined), planOf({}))), action: 'go', input: {} });
    assert.equal(had, false);
  });

  it('a model call that outlasts its time-out fails as a time-out; the agent can go on without it', async () => {
    const slow = model(true, (signal) => new Promise((_r, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')))));
    h = await makeHarness({ model: slow, timeouts: { modelMs: 50 } });
    let code: string | undefined;
    const result = await runAgent(h.services, {
      agent: planAgent(async (ctx) => {
        await ctx.model!.complete([]).catch((e: unknown) => (code = e instanceof DevOpsError ? e.code : 'other'));
        return planOf({ notes: ['went on without the model'] });
      }),
      action: 'go',
      input: {},
    });
    assert.equal(code, 'timeout');
    assert.equal(result.outcome, 'succeeded');
  });
});
