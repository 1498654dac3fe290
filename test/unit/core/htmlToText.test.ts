import { strict as assert } from 'node:assert';
import { htmlToText } from '../../../src/core/htmlToText';

/** One HTML-to-text for the hover, the tree's tooltip and chat answers (there were three). */
describe('HTML descriptions as text', () => {
  it('drops tags and scripts, keeps breaks and list items, decodes entities', () => {
    assert.equal(htmlToText('<div>Send the <b>link</b> &amp; expire it.<br/>Then log.</div><ul><li>one</li><li>two</li></ul><script>x()</script>&#8217;&#x41;'), 'Send the link & expire it.\nThen log.\n- one\n- two\n’A');
    assert.equal(htmlToText('<p>a</p><p>b&lt;c</p>'), 'a\nb<c');
  });

  it('uses the bullet it is given (the tree tooltip shows •)', () => {
    assert.equal(htmlToText('<div>One</div><ul><li>a</li><li>b</li></ul>x&nbsp;&lt;y&gt;', '• '), 'One\n• a\n• b\nx <y>');
  });

  it('turns invalid code points into U+FFFD instead of throwing (issue 10, item 7)', () => {
    assert.equal(htmlToText('a&#1114112;b'), 'a\uFFFDb');
    assert.equal(htmlToText('&#x110000;&#0;&#xD800;&#55296;&#99999999999999999999;'), '\uFFFD'.repeat(5));
    assert.equal(htmlToText('&#1114111;&#x1F600;'), '\u{10FFFF}\u{1F600}');
  });
});
