import { describe, expect, it } from 'vitest';
import { renderMarkdown, slugify } from './markdown.ts';

describe('renderMarkdown', () => {
  it('when headings repeat or hold code, then each gets a unique, readable id', () => {
    const { html, headings } = renderMarkdown(
      '## `data-hash`\n\ntext\n\n## spur(name, options)\n\n### Setup\n\n### Setup\n',
    );
    expect(headings).toEqual([
      { depth: 2, text: 'data-hash', id: 'data-hash' },
      { depth: 2, text: 'spur(name, options)', id: 'spur-name-options' },
      { depth: 3, text: 'Setup', id: 'setup' },
      { depth: 3, text: 'Setup', id: 'setup-1' },
    ]);
    expect(html.value).toContain('<h2 id="data-hash"><code>data-hash</code></h2>');
    expect(html.value).toContain('<h3 id="setup-1">Setup</h3>');
  });

  it('when there is a table, then it is wrapped in a scrollable container', () => {
    const { html } = renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |\n');
    expect(html.value).toMatch(/^<div class="table"><table>[\s\S]*<td>1<\/td>[\s\S]*<\/table><\/div>/);
  });

  it('slugifies punctuation and accents away', () => {
    expect(slugify('Privacy & GDPR: what?')).toBe('privacy-gdpr-what');
  });
});
