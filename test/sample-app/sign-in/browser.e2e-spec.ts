import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import type { Page } from 'playwright-core';
import { buildHost, freePort, startHost, type Host } from '../host.js';
import { launchChromium, type Browser } from './chromium.js';
import {
  authorizationRequest,
  bootstrapToken,
  clientConfig,
  registerWebClient,
  type InteractiveClient,
} from './interactive-client.js';

const ADMIN_PASSWORD = 'browser-admin-password-0123';
const BOOTSTRAP = { clientId: 'ops-bootstrap', secret: 'browser-bootstrap-secret-0123456789abc' };
/** Not committed: look at them after a run. */
const SCREENSHOTS = join(tmpdir(), 'nestjs-dcr-sign-in-screenshots');
const WINDOWS = {
  narrow: { width: 375, height: 760 },
  wide: { width: 1280, height: 800 },
};

async function screenshots(page: Page, name: string): Promise<void> {
  for (const [label, size] of Object.entries(WINDOWS)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${label}.png`), fullPage: true });
  }
}

beforeAll(() => buildHost(), 120_000);

describe('sign-in in a real browser (Chromium, host as a child process)', () => {
  let dataDir: string;
  let host: Host;
  let browser: Browser;
  let web: InteractiveClient;
  /** Where the browser was sent outside the host (the client's redirect URI). */
  let callbacks: string[];
  /** Content-Security-Policy complaints and script dialogs: none may happen. */
  let violations: string[];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-browser-'));
    host = await startHost({
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DCR_BOOTSTRAP_CLIENT_ID: BOOTSTRAP.clientId,
      DCR_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP.secret,
    });
    web = await registerWebClient(host, await bootstrapToken(host, BOOTSTRAP), {
      client_name: 'Acme Notes',
      client_uri: 'https://notes.acme.example',
      post_logout_redirect_uris: ['https://app.example.test/signed-out'],
    });
    browser = await launchChromium();
    callbacks = [];
    violations = [];
    // The client's site: answer its redirect URI here instead of the network.
    await browser.context.route('https://app.example.test/**', async (route) => {
      callbacks.push(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'client callback' });
    });
    browser.context.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) {
        violations.push(message.text());
      }
    });
    browser.context.on('dialog', (dialog) => {
      violations.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('registers, signs in, consents, exchanges the code (PKCE), refreshes and signs out', async () => {
    const config = await clientConfig(host, web);
    const { url, verifier, state } = await authorizationRequest(config, 'openid');
    const page = await browser.context.newPage();

    await page.goto(url.href);
    await page.getByLabel('Username').waitFor();
    expect(await page.title()).toBe('Sign in');
    await screenshots(page, 'login');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.getByRole('button', { name: 'Allow' }).waitFor();
    expect(await page.locator('h1').textContent()).toContain('Acme Notes');
    expect(await page.locator('main').textContent()).toContain('notes.acme.example');
    await screenshots(page, 'consent');
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL(/^https:\/\/app\.example\.test\/cb/);

    const callback = new URL(callbacks.at(-1)!);
    expect(callback.searchParams.get('iss')).toBe(`${host.url}/oidc`);
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toEqual(expect.any(String));

    // Sign out (RP-initiated logout): the question, then back to the client.
    const logout = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: 'https://app.example.test/signed-out',
      state: 'bye',
    });
    await page.goto(logout.href);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await screenshots(page, 'logout');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/^https:\/\/app\.example\.test\/signed-out/);
    expect(new URL(callbacks.at(-1)!).searchParams.get('state')).toBe('bye');

    // The session is gone: a new authorization asks to sign in again.
    await page.goto((await authorizationRequest(config, 'openid')).url.href);
    await page.getByLabel('Password').waitFor();
    expect(violations).toEqual([]);
  });

  it('renders markup and script in client metadata as text, and runs none of it', async () => {
    const payload = `<img src=x onerror=alert(1)><script>alert(2)</script>"'&`;
    const hostile = await registerWebClient(host, await bootstrapToken(host, BOOTSTRAP), {
      client_name: payload,
      client_uri: 'https://evil.example/"><script>alert(3)</script>',
      logo_uri: 'https://evil.example/logo.png"><script>alert(4)</script>',
    });
    const config = await clientConfig(host, hostile);
    const page = await browser.context.newPage();
    await page.goto((await authorizationRequest(config, 'openid')).url.href);
    await page.getByLabel('Username').waitFor();
    expect(await page.locator('.client').textContent()).toBe(payload);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    expect(await page.locator('h1 .client').textContent()).toBe(payload);
    expect(await page.locator('script, img').count()).toBe(0);
    await screenshots(page, 'consent-hostile');
    expect(violations).toEqual([]);
  });
});
