import { strict as assert } from 'node:assert';
import { compileReferencePatterns, findReferences, formatReference, referenceKey, referenceLabel, type ReferenceOptions } from '../../../../src/core/todo/references';
import { random, randomText } from './randomText';
import { GoldenDigests } from './goldenDigests';

const azureDefault: ReferenceOptions = { defaultTracker: 'azureBoards', patterns: [] };
const githubDefault: ReferenceOptions = { defaultTracker: 'github', patterns: [] };

const keys = (text: string, options = azureDefault): string[] => findReferences(text, options).map((f) => referenceKey(f.reference));

describe('work item references', () => {
  const table: [string, string[]][] = [
    ['fix AB#123 soon', ['AB#123']],
    ['(AB#7), [AB#8]', ['AB#7', 'AB#8']],
    ['see #42', ['AB#42']],
    ['octo-org/my.repo#45 and GH-46', ['octo-org/my.repo#45', 'GH#46']],
    ['https://dev.azure.com/contoso/Fabrikam%20Web/_workitems/edit/991', ['AB#991@contoso/Fabrikam Web']],
    ['https://contoso.visualstudio.com/DefaultCollection/Web/_workitems/edit/17?fullScreen=true', ['AB#17@contoso/Web']],
    ['https://contoso.visualstudio.com/Web/_workitems/edit/18', ['AB#18@contoso/Web']],
    ['https://github.com/octo/repo/issues/5 and https://github.com/octo/repo/pull/6#discussion', ['octo/repo#5', 'octo/repo#6']],
  ];
  for (const [text, expected] of table) it(`finds ${expected.join(', ')} in "${text}"`, () => assert.deepEqual(keys(text), expected));

  const notReferences = ['&#123; entity', '## heading', 'issue#12', 'ABC#12', 'XGH-12', '#0', '#abc', 'path/to/file.ts#L12x', 'color: #fff', 'AB#', '#1234567890'];
  for (const text of notReferences) it(`finds nothing in "${text}"`, () => assert.deepEqual(keys(text), []));

  it('reads a bare #123 with the default tracker', () => {
    assert.deepEqual(keys('#9', githubDefault), ['GH#9']);
    assert.deepEqual(keys('#9', azureDefault), ['AB#9']);
  });

  it('gives offsets so an edit can replace the reference exactly', () => {
    const text = 'retry (AB#12) later';
    const [f] = findReferences(text, azureDefault);
    assert.equal(text.slice(f!.start, f!.end), 'AB#12');
  });

  it('does not count the #45 inside a URL or owner/repo#45 twice', () => {
    assert.equal(findReferences('https://github.com/o/r/issues/45#issuecomment-1 o/r#45', azureDefault).length, 2);
  });

  it('formats references for comments and labels', () => {
    assert.equal(formatReference({ tracker: 'azureBoards', id: 3, organization: 'x', project: 'y' }), 'AB#3');
    assert.equal(formatReference({ tracker: 'github', id: 3, owner: 'o', repo: 'r' }), 'o/r#3');
    assert.equal(formatReference({ tracker: 'github', id: 3 }), 'GH-3');
    assert.equal(referenceLabel({ tracker: 'github', id: 3 }), '#3');
  });
});

describe('user reference patterns', () => {
  it('compiles good patterns and reports bad ones without throwing', () => {
    const { patterns, problems } = compileReferencePatterns(['JIRA-(?<id>\\d+)', '(unclosed', 'TICKET-\\d+', '(?<id>\\d*)', 'x'.repeat(501)]);
    assert.deepEqual(patterns.map((p) => p.source), ['JIRA-(?<id>\\d+)']);
    assert.deepEqual(
      problems.map((p) => p.message.split(' ').slice(0, 3).join(' ')),
      ['is not a', 'has no named', 'matches empty text,', 'is longer than'],
    );
  });

  it('claims its matches before the built-in patterns, with an optional tracker group', () => {
    const { patterns } = compileReferencePatterns(['WI-(?<id>\\d+)', '(?<tracker>gh|ab)!(?<id>\\d+)', 'PR (?<owner>\\w+)/(?<repo>\\w+) (?<id>\\d+)']);
    const options: ReferenceOptions = { defaultTracker: 'azureBoards', patterns };
    assert.deepEqual(keys('WI-5 gh!6 ab!7 PR me/proj 8 #9', options), ['AB#5', 'GH#6', 'AB#7', 'me/proj#8', 'AB#9']);
  });

  it('a catastrophic pattern cannot stall the host: user patterns run in linear time (issue 10, item 8)', () => {
    // In JavaScript's backtracking engine this pattern takes about 2^n steps on n x's without a y:
    // 30 of them already take seconds, and 5,000 would never finish. RE2 matches in one pass, so this
    // test finishes well inside mocha's time-out instead of hanging the run.
    const { patterns, problems } = compileReferencePatterns(['(?<id>\\d)(x+x+)+y']);
    assert.deepEqual(problems, []);
    const line = `// TODO 1${'x'.repeat(5_000)}`;
    assert.deepEqual(findReferences(line, { defaultTracker: 'azureBoards', patterns }), []);
    assert.deepEqual(findReferences('// TODO 7xxy', { defaultTracker: 'azureBoards', patterns }).map((f) => [referenceKey(f.reference), f.start, f.end]), [['AB#7', 8, 12]]);
  });

  it('explains the syntax the linear-time matcher does not support (lookarounds, backreferences)', () => {
    const { patterns, problems } = compileReferencePatterns(['(?<!x)T-(?<id>\\d+)', '(?<id>\\d)\\1']);
    assert.equal(patterns.length, 0);
    assert.equal(problems.length, 2);
    for (const p of problems) assert.match(p.message, /the linear-time matcher does not support, such as lookarounds or backreferences/);
  });

  it('ignores matches whose id is not a positive number', () => {
    const { patterns } = compileReferencePatterns(['T-(?<id>\\w+)']);
    assert.deepEqual(keys('T-abc T-0 T-12', { defaultTracker: 'azureBoards', patterns }), ['AB#12']);
  });

  it('finds the same references as recorded, in random texts', () => {
    const fragments = ['AB#', 'GH-', '#', '##', '&#', '12', '0', '7', 'x', '/', 'o/r', 'owner/repo', '-', '.', ' ', '(', ')', 'http', 'https://',
      'dev.azure.com/org/Proj/_workitems/edit/', 'org.visualstudio.com/Proj/_workitems/edit/', 'github.com/o/r/issues/', 'github.com/o/r/pull/', 'JIRA-', 'gh-'];
    const { patterns } = compileReferencePatterns(['JIRA-(?<id>\\d+)', '(?<tracker>gh|ab)-(?<id>\\d+)']);
    const golden = new GoldenDigests('references: random texts');
    const next = random(31337);
    for (let round = 0; round < 3000; round++) {
      const text = randomText(next, fragments, 1 + Math.floor(next() * 20));
      const options: ReferenceOptions = { defaultTracker: round % 2 === 0 ? 'azureBoards' : 'github', patterns: round % 3 === 0 ? patterns : [] };
      golden.add(String(Math.floor(round / 500)), findReferences(text, options));
    }
    golden.check();
  });
});
