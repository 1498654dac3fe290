import assert from 'node:assert/strict';
import { type PlanHeader, parsePlanDocument, renderPlanDocument } from '../../../../src/core/planning/planDocument';
import { type PlanItem } from '../../../../src/core/planning/planItem';

const header: PlanHeader = { version: 1, tracker: 'azureBoards', where: 'Contoso Web', process: 'Agile', key: 'plan-0123456789ab', source: 'docs/epic.md' };

const item = (level: PlanItem['level'], title: string, extra: Partial<PlanItem> = {}, children: PlanItem[] = []): PlanItem => ({ level, title, acceptanceCriteria: [], description: '', children, ...extra });

const PLAN = item('epic', 'Checkout revamp', { existingId: 12, description: 'Make paying fast.\n\n- a list in the description\n- stays one' }, [
  item('feature', 'Payments', { estimate: 13, acceptanceCriteria: ['all cards work'] }, [
    item('story', 'Pay by card', { estimate: 5, description: 'As a shopper…', acceptanceCriteria: ['declined says why', '- starts with a dash'] }, [
      item('task', 'Build the form', { estimate: 4 }),
      item('task', 'Call the API', { estimate: 2.5, description: 'Sandbox key in tests.\nSecond line.' }),
    ]),
    item('story', 'Existing story', { existingId: 41 }),
  ]),
  item('feature', 'Odd titles', {}, [
    item('story', 'Top [3]'),
    item('story', '#12 is not a reference'),
    item('story', 'AB#7 neither'),
    item('story', '- dash first'),
    item('story', '1. numbered'),
    item('story', 'back\\slash and \\[x]'),
    item('story', '[ ] not a checkbox'),
    item('story', 'Payments (2 points) remain text'),
  ]),
]);

describe('the editable plan preview', () => {
  it('reads back exactly what it wrote (titles that look like structure included)', () => {
    const text = renderPlanDocument(header, PLAN);
    const back = parsePlanDocument(text);
    assert.ok(back.ok, back.ok ? '' : back.message);
    assert.deepEqual(back.header, header);
    assert.deepEqual(back.root, PLAN);
  });

  it('takes the user\'s edits: rename, re-estimate, move, drop', () => {
    const text = renderPlanDocument(header, PLAN)
      .replace('### Pay by card [5 pts]', '### Pay by credit card [8 pts]')
      .replace('- Call the API [2.5h]\n  Sandbox key in tests.\n  Second line.\n', '')
      .replace('### Top \\[3]\n', '### Top [3]\n');
    // Move "Existing story" to the "Odd titles" feature: cut its section and paste it at the end.
    const section = '### AB#41 Existing story\n\n';
    const moved = `${text.replace(section, '')}\n${section}`;
    const back = parsePlanDocument(moved);
    assert.ok(back.ok, back.ok ? '' : back.message);
    const payments = back.root.children[0]!;
    assert.equal(payments.children[0]!.title, 'Pay by credit card');
    assert.equal(payments.children[0]!.estimate, 8);
    assert.deepEqual(payments.children[0]!.children.map((t) => t.title), ['Build the form']);
    assert.equal(payments.children.length, 1);
    const odd = back.root.children[1]!;
    assert.equal(odd.children[0]!.title, 'Top');
    assert.equal(odd.children[0]!.estimate, 3);
    assert.equal(odd.children.at(-1)!.existingId, 41);
  });

  it('refuses a preview whose header was removed or damaged, or whose levels no longer fit', () => {
    const text = renderPlanDocument(header, PLAN);
    const noHeader = parsePlanDocument(text.split('\n').slice(1).join('\n'));
    assert.equal(noHeader.ok, false);
    assert.match(noHeader.ok ? '' : noHeader.message, /not an AI DevOps plan/);
    const damaged = parsePlanDocument(text.replace('"version":1', '"version":2'));
    assert.match(damaged.ok ? '' : damaged.message, /header is not valid \(version/);
    const noFeature = parsePlanDocument(text.replace('## Payments [13 pts]', 'Payments'));
    assert.match(noFeature.ok ? '' : noFeature.message, /^Line \d+: the story "Pay by card \[5 pts\]" is not under a feature/);
    const twoEpics = parsePlanDocument(`${text}\n# Another epic\n`);
    assert.match(twoEpics.ok ? '' : twoEpics.message, /a plan has one epic/);
    const taskUnderFeature = parsePlanDocument(text.replace('## Odd titles', '## Odd titles\n\n- a task?'));
    assert.ok(taskUnderFeature.ok, 'a list under a feature lists stories');
  });
});
