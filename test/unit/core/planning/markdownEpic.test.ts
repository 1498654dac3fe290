import assert from 'node:assert/strict';
import { splitEstimate } from '../../../../src/core/planning/estimates';
import { parseMarkdownEpic } from '../../../../src/core/planning/markdownEpic';
import { countPlan, type PlanItem } from '../../../../src/core/planning/planItem';

const EPIC = `# Checkout revamp [40]

Shoppers abandon the cart at payment; make paying fast.

- context that stays in the description

## Payments [13 pts]

Everything about paying.

### Pay by card [5]

As a shopper I pay by card without leaving the page.

**Acceptance criteria:**

- a declined card says why
- the amount is shown before paying

Tasks:

- Build the card form [4h]
- Call the payments API (3 hours)
  Uses the sandbox key in tests.
- [ ] Write the e2e test

### Pay by wallet

Acceptance criteria

1. Apple Pay on Safari

#### Notes

Wallets come later for Android.

## Receipts

- E-mail receipt [3]
- PDF receipt
`;

const shape = (item: PlanItem): unknown => ({ l: item.level, t: item.title, e: item.estimate, ac: item.acceptanceCriteria, ...(item.existingId ? { id: item.existingId } : {}), c: item.children.map(shape) });

describe('Markdown epic decomposition (no model)', () => {
  it('makes a feature per section, a story per sub-section and a task per list item, with estimates and acceptance criteria', () => {
    const r = parseMarkdownEpic(EPIC, { fallbackTitle: 'epic' });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(r.headed, true);
    assert.deepEqual(shape(r.root), {
      l: 'epic', t: 'Checkout revamp', e: 40, ac: [],
      c: [
        { l: 'feature', t: 'Payments', e: 13, ac: [], c: [
          { l: 'story', t: 'Pay by card', e: 5, ac: ['a declined card says why', 'the amount is shown before paying'], c: [
            { l: 'task', t: 'Build the card form', e: 4, ac: [], c: [] },
            { l: 'task', t: 'Call the payments API', e: 3, ac: [], c: [] },
            { l: 'task', t: 'Write the e2e test', e: undefined, ac: [], c: [] },
          ] },
          { l: 'story', t: 'Pay by wallet', e: undefined, ac: ['Apple Pay on Safari'], c: [] },
        ] },
        { l: 'feature', t: 'Receipts', e: undefined, ac: [], c: [
          { l: 'story', t: 'E-mail receipt', e: 3, ac: [], c: [] },
          { l: 'story', t: 'PDF receipt', e: undefined, ac: [], c: [] },
        ] },
      ],
    });
    assert.match(r.root.description, /abandon the cart/);
    assert.match(r.root.description, /- context that stays in the description/);
    const story = r.root.children[0]!.children[0]!;
    assert.equal(story.description, 'As a shopper I pay by card without leaving the page.');
    assert.equal(story.children[1]!.description, 'Uses the sandbox key in tests.');
    assert.match(r.root.children[0]!.children[1]!.description, /#### Notes\n\nWallets come later/);
    assert.deepEqual(countPlan(r.root).byLevel, { epic: 1, feature: 2, story: 4, task: 3 });
  });

  it('takes the epic title from the file when there is no single top heading', () => {
    const r = parseMarkdownEpic('## Search\n### Filters\n- facet panel\n## Sort\n', { fallbackTitle: 'catalogue' });
    assert.ok(r.ok);
    assert.equal(r.root.title, 'catalogue');
    assert.deepEqual(r.root.children.map((f) => f.title), ['Search', 'Sort']);
    assert.equal(r.root.children[0]!.children[0]!.children[0]!.title, 'facet panel');
  });

  it('says a document without sections is not headed (a model has to decompose it)', () => {
    const r = parseMarkdownEpic('We need a loyalty programme that rewards repeat buyers.\n', { fallbackTitle: 'loyalty' });
    assert.ok(r.ok);
    assert.equal(r.headed, false);
    assert.equal(r.root.children.length, 0);
    assert.match(r.root.description, /loyalty programme/);
  });

  it('reads references to existing items and keeps numbers that are not estimates in titles', () => {
    const r = parseMarkdownEpic('# AB#12 Checkout\n## #40 Payments (v2)\n### Support 3DS [2]\n', { fallbackTitle: 'x' });
    assert.ok(r.ok);
    assert.equal(r.root.existingId, 12);
    assert.equal(r.root.title, 'Checkout');
    assert.equal(r.root.children[0]!.existingId, 40);
    assert.equal(r.root.children[0]!.title, 'Payments (v2)');
    assert.equal(r.root.children[0]!.children[0]!.estimate, 2);
  });

  it('refuses a title that is too long, naming the line', () => {
    const r = parseMarkdownEpic(`# Epic\n## ${'x'.repeat(300)}\n`, { fallbackTitle: 'x' });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.message, /^Line 2: the feature title is 300 characters long; at most 255 fit\./);
  });

  it('notes an estimate written in the wrong unit', () => {
    const r = parseMarkdownEpic('# E\n## F\n### S [6h]\n', { fallbackTitle: 'x' });
    assert.ok(r.ok);
    assert.equal(r.root.children[0]!.children[0]!.estimate, 6);
    assert.match(r.notes[0] ?? '', /Line 3: "S" is a story, estimated in points; the hours written there were taken as points\./);
  });

  it('takes a byte order mark and CRLF line ends', () => {
    const r = parseMarkdownEpic('\uFEFF# E\r\n## F\r\n- s1\r\n', { fallbackTitle: 'x' });
    assert.ok(r.ok);
    assert.equal(r.root.title, 'E');
    assert.equal(r.root.children[0]!.children[0]!.title, 's1');
  });
});

describe('estimates in titles', () => {
  const cases: [string, string, number | undefined][] = [
    ['Pay [5]', 'Pay', 5],
    ['Pay [5 pts]', 'Pay', 5],
    ['Pay (3 points)', 'Pay', 3],
    ['Pay [2 SP]', 'Pay', 2],
    ['Form [4h]', 'Form', 4],
    ['Form (1.5 hours)', 'Form', 1.5],
    ['Form [2,5h]', 'Form', 2.5],
    ['Payments (v2)', 'Payments (v2)', undefined],
    ['Payments [beta]', 'Payments [beta]', undefined],
    ['Top 10 list', 'Top 10 list', undefined],
    ['[5]', '[5]', undefined],
    ['Title \\[3]', 'Title \\[3]', undefined],
    ['Big [20000]', 'Big [20000]', undefined],
  ];
  for (const [text, title, estimate] of cases) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(title)}, ${estimate}`, () => {
      const s = splitEstimate(text);
      assert.equal(s.title, title);
      assert.equal(s.estimate, estimate);
    });
  }
});
