// The static shell of app/app.html is painted before any script runs, so it cannot read the catalog: its words
// are written into it, and this test keeps them the catalog's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { messages } from './catalog';

const html = readFileSync(new URL('../../app.html', import.meta.url), 'utf8');

describe('the static shell painted before the app starts', () => {
  it('says the app name and that it is loading, in Vietnamese and English as the catalog does', () => {
    for (const key of ['app.name', 'boot.loading', 'boot.noscript'] as const) {
      expect(html, key).toContain(messages[key].vi);
      expect(html, key).toContain(messages[key].en);
    }
  });

  it('needs no request to paint: inline styles, system fonts, no stylesheet or font file', () => {
    const shell = html.slice(html.indexOf('id="app-boot"'), html.indexOf('%sveltekit.body%'));
    expect(shell).not.toMatch(/<link|@import|url\(|@font-face/);
    expect(shell).toContain('system-ui');
  });
});
