import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, cspOrigin, originsOf, withFormAction, withoutInlineFonts } from './headers.js';

describe('the portal CSP', () => {
  it('form-action is self unless a page names origins, and then only their origins', () => {
    expect(contentSecurityPolicy()).toContain("form-action 'self';");
    expect(contentSecurityPolicy({ formAction: ['https://rp.example.org/cb?x=1', 'https://rp.example.org/other', 'http://127.0.0.1:8080/cb'] })).toContain(
      "form-action 'self' http://127.0.0.1:8080 https://rp.example.org;",
    );
  });

  it('never lets a registered URI inject a directive or a keyword', () => {
    for (const bad of [
      'https://a.ex%3Bample/cb',
      "https://a.example'/",
      'javascript:alert(1)',
      'data:text/html,x',
      'https://*.example.org/',
      'not a url',
      '',
    ]) {
      expect(cspOrigin(bad), bad).toBeUndefined();
    }
    expect(cspOrigin('http://[::1]:8080/cb')).toBe('http://[::1]:8080');
    const policy = contentSecurityPolicy({ formAction: ['https://a.ex%3Bscript-src%20*/cb'] });
    expect(policy).toContain("form-action 'self';");
    expect(policy).not.toContain('script-src *');
  });

  it('extends the form-action of a policy another step changed (a script hash) and keeps the rest', () => {
    const hashed = contentSecurityPolicy({ scriptHashes: ['abc='] }).replace(/; /g, ';');
    const extended = withFormAction(hashed, ['https://rp.example.org/cb', 'https://rp.example.org/cb2']);
    expect(extended).toContain("script-src 'self' 'sha256-abc='");
    expect(extended).toContain("form-action 'self' https://rp.example.org;");
    expect(originsOf([1, null, 'https://b.example/x', 'https://a.example/y'])).toEqual(['https://a.example', 'https://b.example']);
  });

  it('Bootstrap Italia is served without @font-face rules of data: sources, other rules kept', () => {
    const css =
      '.a{color:red}@font-face{font-family:VideoJS;src:url(data:application/font-woff;base64,AAA=) format("woff")}@font-face{font-family:T;src:url(/f.woff2)}.b{x:y}';
    expect(withoutInlineFonts(css)).toBe('.a{color:red}@font-face{font-family:T;src:url(/f.woff2)}.b{x:y}');
  });
});
