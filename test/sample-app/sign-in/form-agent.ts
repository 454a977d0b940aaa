/**
 * A user agent that drives the host's pages by the form contract, without a
 * browser: it keeps cookies (by path), follows redirects on the host, and
 * submits a page's one POST form with the inputs as found. It stops at the
 * first redirect that leaves the host (the client's redirect URI).
 */

interface Cookie {
  name: string;
  value: string;
  path: string;
}

export interface Page {
  url: string;
  status: number;
  headers: Headers;
  body: string;
  /** Set when the agent stopped at a redirect away from the host. */
  redirectedTo?: string;
}

export interface ParsedForm {
  action: string;
  inputs: Record<string, string>;
  /** Submit buttons: name → values. */
  buttons: { name: string; value: string }[];
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag);
  return match ? decodeEntities(match[1]) : undefined;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The page's forms with method="post" (the contract says: exactly one). */
export function postForms(body: string): ParsedForm[] {
  const forms: ParsedForm[] = [];
  for (const match of body.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const [, open, inner] = match;
    if (attribute(open, 'method')?.toLowerCase() !== 'post') continue;
    const inputs: Record<string, string> = {};
    for (const [input] of inner.matchAll(/<input\b[^>]*>/gi)) {
      const name = attribute(input, 'name');
      if (name !== undefined) inputs[name] = attribute(input, 'value') ?? '';
    }
    const buttons = [...inner.matchAll(/<button\b[^>]*>/gi)].flatMap(([button]) => {
      const name = attribute(button, 'name');
      return name === undefined ? [] : [{ name, value: attribute(button, 'value') ?? '' }];
    });
    forms.push({ action: attribute(open, 'action') ?? '', inputs, buttons });
  }
  return forms;
}

export class FormAgent {
  private cookies: Cookie[] = [];

  constructor(private readonly origin: string) {}

  private cookieHeader(url: URL): string {
    return this.cookies
      .filter((cookie) => url.pathname.startsWith(cookie.path))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join('; ');
  }

  private keep(url: URL, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const [name, ...rest] = pair.split('=');
      const value = rest.join('=');
      const path =
        attributes.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? url.pathname;
      const expires = attributes.find((a) => a.toLowerCase().startsWith('expires='))?.slice(8);
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path));
      const expired = expires !== undefined && Date.parse(expires) <= Date.now();
      if (!expired && value !== '') this.cookies.push({ name, value, path });
    }
  }

  /** The cookies the agent holds (names only), for assertions. */
  cookieNames(): string[] {
    return this.cookies.map((cookie) => cookie.name);
  }

  async request(url: string, init: RequestInit = {}): Promise<Page> {
    let target = new URL(url, this.origin);
    let options: RequestInit = init;
    for (let hops = 0; hops < 10; hops += 1) {
      const headers = new Headers(options.headers);
      const cookie = this.cookieHeader(target);
      if (cookie) headers.set('cookie', cookie);
      const res = await fetch(target, { ...options, headers, redirect: 'manual' });
      this.keep(target, res.headers);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, target);
        if (next.origin !== this.origin) {
          await res.body?.cancel();
          return {
            url: target.href,
            status: res.status,
            headers: res.headers,
            body: '',
            redirectedTo: next.href,
          };
        }
        await res.body?.cancel();
        target = next;
        options = {};
        continue;
      }
      return { url: target.href, status: res.status, headers: res.headers, body: await res.text() };
    }
    throw new Error('too many redirects');
  }

  /** Submits the page's one POST form: its inputs as found, `fields` on top, to its action. */
  async submit(page: Page, fields: Record<string, string>): Promise<Page> {
    const forms = postForms(page.body);
    if (forms.length !== 1) throw new Error(`expected one POST form, found ${forms.length}`);
    const [form] = forms;
    const body = new URLSearchParams({ ...form.inputs, ...fields });
    return this.request(new URL(form.action || page.url, page.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  }
}
