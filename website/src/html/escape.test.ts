import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from './escape.ts';

describe('html templates', () => {
  it('when a value holds markup, then it is escaped', () => {
    const name = '<script>alert("x")</script> & \'you\'';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;you&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;you&#39;</p>',
    );
  });

  it('when a value is SafeHtml, then it is inserted as is', () => {
    expect(html`<div>${raw('<b>bold</b>')}${html`<i>${'a<b'}</i>`}</div>`.value).toBe(
      '<div><b>bold</b><i>a&lt;b</i></div>',
    );
  });

  it('when values are arrays, numbers or empty, then arrays are joined and empties vanish', () => {
    const items = ['a', 'b&c'];
    expect(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>${false}${null}${undefined}${0}`.value).toBe(
      '<ul><li>a</li><li>b&amp;c</li></ul>0',
    );
  });

  it('when text or template holds characters beyond ASCII, then they become numeric references', () => {
    expect(html`<p title="${'Zürich → 🚀'}">Preise in € — ${'„ok“'}</p>`.value).toBe(
      '<p title="Z&#252;rich &#8594; &#128640;">Preise in &#8364; &#8212; &#8222;ok&#8220;</p>',
    );
    expect(raw('<b>naïve</b>').value).toBe('<b>na&#239;ve</b>');
  });

  it('when a string has nothing to escape, then it comes back unchanged', () => {
    expect(escapeHtml('plain text')).toBe('plain text');
  });
});
