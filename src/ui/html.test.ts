import { describe, expect, it } from 'vitest';
import { html, raw } from './html.js';

describe('html templates', () => {
  it('escapes every interpolated value', () => {
    expect(html`<p>${'<script>"x"&\'y\''}</p>`.value).toBe('<p>&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;</p>');
  });
  it('keeps nested templates and raw values, drops empty ones', () => {
    expect(html`<ul>${['a', 'b'].map((x) => html`<li>${x}</li>`)}</ul>${null}${false}${raw('<br>')}`.value).toBe('<ul><li>a</li><li>b</li></ul><br>');
  });
});
