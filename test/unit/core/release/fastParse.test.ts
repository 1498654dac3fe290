import { strict as assert } from 'node:assert';
import type { CommitParser } from 'conventional-commits-parser';
import { PARSER_OPTIONS, parseFully, parseHeaderOnly, type RawCommit } from '../../../../src/core/release/conventionalCommits';
import { random, randomText } from '../todo/randomText';

/**
 * The header-only reading (no parser) must give exactly what conventional-commits-parser gives
 * whenever it answers at all. Messages are built from fragments that reach every corner of the
 * parser that could change a field we read: `!` headers, scopes with odd characters, BREAKING
 * CHANGE notes in any case and shape, reverts, `-field-` lines (which set any property, `type`
 * included), gpg lines, comment-like and blank lines, CRLF, leading and trailing newlines, tabs,
 * non-ASCII text and headers that are not conventional at all.
 */

const HEADERS = [
  'feat: add search',
  'fix(api): handle empty body',
  'feat(ui)!: new layout',
  'refactor!: drop node 16',
  'chore(deps): bump x from 1 to 2',
  'Update README',
  'feat(scope with space): odd scope',
  'fix($weird@scope.-*/): chars',
  'feat():  empty scope and two spaces',
  ': no type',
  'feat:no space',
  'feat!:no space breaking',
  'Feat: capital',
  'fix: trailing space ',
  '  leading spaces: text',
  'perf(core): faster 🚀 ünïcode',
  'revert: feat: add search',
  'Revert "feat: add search"',
  'BREAKING CHANGE: in the header',
  'fix: mention @someone and #12',
  'Merge pull request #45 from contoso/topic',
  'Merged PR 12: feat: thing',
  'gpg: Signature made',
  '-type-',
  'fix:\ttab',
  'docs(readme): x (closes #9)',
];

const BODY = [
  '\n\nA body line.',
  '\n\nCloses #12',
  '\n\nRefs AB#1234',
  '\n\nBREAKING CHANGE: the API moved',
  '\n\nBREAKING-CHANGE: hyphen form',
  '\n\nbreaking change: lower case',
  '\n\n  * BREAKING CHANGE: bullet',
  '\n\nThis reverts commit 0123456789abcdef0123456789abcdef01234567.',
  '\n-type-\nfeat',
  '\n-scope-\nx',
  '\n---',
  '\n- a list item -',
  '\n- a list item',
  '\ngpg: Good signature',
  '\n# a comment-like line',
  '\r\nCRLF body',
  '\n\n\n',
  '\r\n',
  '\nSigned-off-by: A <a@example.com>',
  '\nCo-authored-by: B <b@example.com>',
  '\n\tindented',
  '\n@mention',
  '\nhttps://github.com/contoso/web/issues/4',
];

function message(next: () => number): string {
  const lead = next() < 0.1 ? (next() < 0.5 ? '\n\n' : '\r\n') : '';
  const header = HEADERS[Math.floor(next() * HEADERS.length)]!;
  const body = randomText(next, BODY, Math.floor(next() * 4));
  const trail = next() < 0.2 ? '\n' : '';
  return lead + header + body + trail;
}

const raw = (msg: string, i: number): RawCommit => ({ hash: i.toString(16).padStart(40, '0'), parents: i % 7 === 0 ? ['a', 'b'] : ['a'], message: msg });

describe('release: reading a commit by its header alone agrees with conventional-commits-parser', () => {
  let parser: CommitParser;
  before(async () => {
    // ESM only: loaded the way the extension loads it.
    const { CommitParser: Parser } = await import('conventional-commits-parser');
    parser = new Parser(PARSER_OPTIONS);
  });

  for (const seed of [1, 2, 3, 20261207]) {
    it(`agrees on 4,000 random messages (seed ${seed}) and takes the short path for plain ones`, () => {
      const next = random(seed);
      let short = 0;
      for (let i = 0; i < 4000; i++) {
        const r = raw(message(next), i);
        const fast = parseHeaderOnly(r);
        if (!fast) continue;
        short++;
        assert.deepEqual(fast, parseFully(parser, r), `seed ${seed}, message ${JSON.stringify(r.message)}`);
      }
      assert.ok(short > 800, `only ${short} of 4,000 messages took the short path`);
    });
  }

  it('leaves every message the body can change to the parser', () => {
    for (const m of ['fix: x\n-type-\nfeat', 'fix: x\n\nBREAKING CHANGE: y', 'fix: x\n\nbreaking-change: y', 'Revert "fix: x"\n\nThis reverts commit abc.', 'gpg: sig\nfix: x', 'fix: x\n---']) {
      assert.equal(parseHeaderOnly(raw(m, 1)), undefined, m);
    }
    // A field line really changes the type: the reason such messages go to the parser.
    assert.equal(parseFully(parser, raw('fix: x\n-type-\nfeat', 1)).type, 'fix\nfeat');
  });

  it('reads an empty message as a commit without a type instead of throwing', () => {
    const c = parseFully(parser, raw('', 3));
    assert.equal(c.type, undefined);
    assert.equal(c.header, '');
    assert.equal(c.breaking, false);
  });
});
