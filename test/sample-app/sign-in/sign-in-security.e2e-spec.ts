import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildHost, freePort, startHost, type Host } from '../host.js';
import { FormAgent, postForms, type Page } from './form-agent.js';
import {
  authorizationRequest,
  bootstrapToken,
  clientConfig,
  registerWebClient,
  signInAndAllow,
  type InteractiveClient,
} from './interactive-client.js';

const BOOTSTRAP = { clientId: 'ops-bootstrap', secret: 'security-bootstrap-secret-0123456789ab' };

/** The generated administrator password, from the block the host prints once. */
function printedAdminPassword(output: string): string {
  const match = /^ {2}DCR_ADMIN_PASSWORD=(\S+)$/m.exec(output);
  if (!match) throw new Error(`no generated administrator password in:\n${output}`);
  return match[1];
}

/** The host's log: its JSON lines (the printed-once blocks are not log lines). */
function logLines(output: string): string[] {
  return output.split('\n').filter((line) => line.startsWith('{'));
}

function expectPageSecurity(page: Page): void {
  const csp = page.headers.get('content-security-policy') ?? '';
  const directives = new Map(
    csp.split(';').map((directive) => {
      const [name, ...values] = directive.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
  expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  expect(directives.get('script-src')).toEqual(["'none'"]);
  expect(directives.get('default-src')).toEqual(["'none'"]);
  expect(directives.get('base-uri')).toEqual(["'none'"]);
  expect(csp).not.toContain('unsafe-inline');
  expect(page.headers.get('x-frame-options')).toBe('DENY');
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  expect(page.headers.get('cache-control')).toBe('no-store');
}

beforeAll(() => buildHost(), 120_000);

describe('sign-in security (host as a child process)', () => {
  let dataDir: string;
  let host: Host;
  let web: InteractiveClient;
  let adminPassword: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dcr-signin-security-'));
    // DCR_ADMIN_PASSWORD unset: generated and printed once.
    host = await startHost({
      PORT: String(await freePort()),
      DCR_DATA_DIR: dataDir,
      DCR_BOOTSTRAP_CLIENT_ID: BOOTSTRAP.clientId,
      DCR_BOOTSTRAP_CLIENT_SECRET: BOOTSTRAP.secret,
    });
    adminPassword = printedAdminPassword(host.output());
    web = await registerWebClient(host, await bootstrapToken(host, BOOTSTRAP), {
      client_name: 'security app',
    });
  }, 120_000);

  afterAll(async () => {
    await host?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function loginPage(agent = new FormAgent(host.url)): Promise<[FormAgent, Page]> {
    const config = await clientConfig(host, web);
    return [agent, await agent.request((await authorizationRequest(config, 'openid')).url.href)];
  }

  it('sends the pages with a CSP without script, frame-ancestors none and X-Frame-Options DENY', async () => {
    const [agent, login] = await loginPage();
    expectPageSecurity(login);
    const consent = await agent.submit(login, { username: 'admin', password: adminPassword });
    expect(postForms(consent.body)[0]?.buttons).toContainEqual({
      name: 'decision',
      value: 'allow',
    });
    expectPageSecurity(consent);
    // The provider's own pages too: its error page and the sign-out question.
    const error = await agent.request('/oidc/auth?client_id=nobody&response_type=code');
    expect(error.status).toBe(400);
    expectPageSecurity(error);
    const logout = await agent.request(`/oidc/session/end?client_id=${web.clientId}`);
    expect(logout.body).toContain('Sign out');
    expectPageSecurity(logout);
  });

  it("gives the provider's API answers nosniff without the pages' policy, and its redirects the pages' headers", async () => {
    for (const path of ['/oidc/jwks', '/oidc/.well-known/openid-configuration']) {
      const answer = await fetch(`${host.url}${path}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^application\/([a-z-]+\+)?json/);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('content-security-policy')).toBeNull();
    }
    const token = await fetch(`${host.url}/oidc/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(400);
    expect(token.headers.get('x-content-type-options')).toBe('nosniff');
    expect(token.headers.get('x-frame-options')).toBeNull();
    // The authorization request's redirect to sign-in: its Referrer-Policy governs the next request.
    const config = await clientConfig(host, web);
    const redirect = await fetch((await authorizationRequest(config, 'openid')).url, {
      redirect: 'manual',
    });
    expect(redirect.status).toBeGreaterThanOrEqual(302);
    expect(redirect.status).toBeLessThan(400);
    expect(redirect.headers.get('referrer-policy')).toBe('no-referrer');
    expect(redirect.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('refuses a form without its interaction cookie or with another form token', async () => {
    const [, login] = await loginPage();
    const [form] = postForms(login.body);
    // Posted from another site: SameSite=Lax keeps the interaction cookie away.
    const crossSite = await new FormAgent(host.url).request(new URL(form.action, login.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.inputs, username: 'admin', password: adminPassword }),
    });
    expect(crossSite.status).toBe(400);
    expect(crossSite.redirectedTo).toBeUndefined();

    const [agent, page] = await loginPage();
    const forged = await agent.submit(page, {
      csrf: 'forged',
      username: 'admin',
      password: adminPassword,
    });
    expect(forged.status).toBe(403);
    expect(forged.redirectedTo).toBeUndefined();
  });

  it('never writes the administrator password or a client secret into the log', async () => {
    const config = await clientConfig(host, web);
    // A sign-in that goes through and one that fails: the password passed the log's way, if anywhere.
    const callback = await signInAndAllow(
      new FormAgent(host.url),
      (await authorizationRequest(config, 'openid')).url,
      'admin',
      adminPassword,
    );
    expect(new URL(callback).searchParams.get('code')).toBeTruthy();
    const [agent, page] = await loginPage();
    expect((await agent.submit(page, { username: 'nobody', password: adminPassword })).status).toBe(
      401,
    );
    const lines = logLines(host.output());
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [adminPassword, BOOTSTRAP.secret, web.secret]) {
      expect(lines.filter((line) => line.includes(secret))).toEqual([]);
    }
    // Printed once, outside the log, and only the generated one.
    expect(host.output().split(adminPassword)).toHaveLength(2);
  });

  it('throttles failed sign-ins per username, then per address', async () => {
    const attempt = async (username: string, password: string): Promise<Page> => {
      const [agent, page] = await loginPage();
      return agent.submit(page, { username, password });
    };
    for (let i = 0; i < 5; i += 1) {
      expect((await attempt('admin', `wrong-password-${i}`)).status).toBe(401);
    }
    // Even the right password waits now: 429, no redirect.
    const throttled = await attempt('admin', adminPassword);
    expect(throttled.status).toBe(429);
    expect(throttled.redirectedTo).toBeUndefined();
    expect(throttled.body).toContain('Too many failed sign-ins');
    // An unknown username is throttled the same way (the throttle tells nothing).
    for (let i = 0; i < 5; i += 1) await attempt('ghost', `wrong-password-${i}`);
    expect((await attempt('ghost', 'wrong-password-x')).status).toBe(429);

    // Per address: 20 failures from one address, whatever the usernames (10 above, 1 in the
    // log test before this one, 9 here).
    for (let i = 0; i < 9; i += 1) {
      expect((await attempt(`user${i}`, 'wrong-password-1')).status).toBe(401);
    }
    expect((await attempt('someone-else', 'wrong-password-1')).status).toBe(429);
  });
});
