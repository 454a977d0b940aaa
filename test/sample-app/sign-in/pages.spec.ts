import { escapeHtml, html, SafeHtml } from '../../../sample-app/interactions/html.js';
import { InteractionCsrf } from '../../../sample-app/interactions/interaction-csrf.js';
import {
  formTargetSource,
  pageContentSecurityPolicy,
  PAGE_STYLE_SOURCE,
  withFormTargets,
  withoutNoneBesideHashes,
} from '../../../sample-app/interactions/page-security.js';
import { consentPage } from '../../../sample-app/interactions/views/consent.view.js';
import { loginPage } from '../../../sample-app/interactions/views/login.view.js';
import { createHash } from 'node:crypto';

const PAYLOAD = `"><script>alert(1)</script><img src=x onerror='alert(2)'>\``;

describe('html escaping', () => {
  it('escapes every character that can end text or a quoted attribute', () => {
    expect(escapeHtml(`&<>"'\``)).toBe('&amp;&lt;&gt;&quot;&#39;&#96;');
  });

  it('escapes interpolated strings and lets only SafeHtml through as is', () => {
    const page = html`<p title="${PAYLOAD}">${PAYLOAD}${new SafeHtml('<b>ok</b>')}</p>`;
    expect(page.markup).not.toMatch(/<script|<img|"><|'alert/);
    expect(page.markup).toContain('<b>ok</b>');
  });

  it('renders hostile client values in the login and consent pages as text only', () => {
    const login = loginPage({
      action: '/interaction/x',
      csrfToken: PAYLOAD,
      clientName: PAYLOAD,
      username: PAYLOAD,
      error: PAYLOAD,
    });
    const consent = consentPage({
      action: '/interaction/x',
      csrfToken: 't',
      clientName: PAYLOAD,
      clientId: PAYLOAD,
      clientWebsite: PAYLOAD,
      redirectTarget: PAYLOAD,
      localOnly: true,
      username: PAYLOAD,
      scopes: [{ name: PAYLOAD, description: PAYLOAD, refused: PAYLOAD }],
    });
    for (const page of [login, consent]) {
      expect(page).not.toContain('<script');
      expect(page).not.toContain('<img');
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    expect(consent).toContain('every address it registered is on');
  });
});

describe('page security', () => {
  it('allows the stylesheet by the hash of exactly what the pages embed', () => {
    const page = loginPage({ action: '/i', csrfToken: 't', clientName: 'c' });
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1];
    expect(PAGE_STYLE_SOURCE).toBe(
      `'sha256-${createHash('sha256').update(style).digest('base64')}'`,
    );
  });

  it("lets a form's redirect chain reach the request's redirect target only", () => {
    expect(formTargetSource('https://app.example.com/cb?x=1')).toBe('https://app.example.com');
    expect(formTargetSource('http://127.0.0.1:8123/cb')).toBe('http://127.0.0.1:8123');
    expect(formTargetSource('cursor://anysphere.cursor-mcp/oauth/callback')).toBe('cursor:');
    expect(formTargetSource('not a url')).toBeUndefined();
    expect(formTargetSource(undefined)).toBeUndefined();
    expect(pageContentSecurityPolicy([formTargetSource('https://a.example/cb')])).toContain(
      "form-action 'self' https://a.example;",
    );
  });

  it('drops script-src none once the provider appended a hash, and adds form targets once', () => {
    const policy = pageContentSecurityPolicy().replace(
      "script-src 'none'",
      "script-src 'none' 'sha256-abc'",
    );
    expect(withoutNoneBesideHashes(policy)).toContain("script-src 'sha256-abc';");
    expect(withoutNoneBesideHashes(pageContentSecurityPolicy())).toContain("script-src 'none';");
    const targets = withFormTargets(pageContentSecurityPolicy(), [
      'https://a.example',
      'https://a.example',
    ]);
    expect(targets).toContain("form-action 'self' https://a.example;");
  });
});

describe('interaction form token', () => {
  const csrf = new InteractionCsrf('a-cookie-key-of-the-provider');

  it('matches its own interaction only', () => {
    const token = csrf.tokenFor('uid-1');
    expect(csrf.matches('uid-1', token)).toBe(true);
    expect(csrf.matches('uid-2', token)).toBe(false);
    expect(csrf.matches('uid-1', token.slice(1))).toBe(false);
    expect(csrf.matches('uid-1', undefined)).toBe(false);
    expect(csrf.matches('uid-1', [token])).toBe(false);
  });

  it('depends on the key', () => {
    expect(new InteractionCsrf('another-key').tokenFor('uid-1')).not.toBe(csrf.tokenFor('uid-1'));
  });
});
