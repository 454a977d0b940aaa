import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636, S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** POST a JSON body to the host's registration endpoint (open mode: no token). */
export async function registerClient(
  hostUrl: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${hostUrl}/connect/dcr`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    headers: res.headers,
  };
}

/** The authorization endpoint URL for a code request with PKCE. */
export function authorizationUrl(
  hostUrl: string,
  params: Record<string, string | undefined>,
): string {
  const url = new URL(`${hostUrl}/oidc/auth`);
  for (const [name, value] of Object.entries({ response_type: 'code', ...params })) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.href;
}

/** Cookies as a user agent keeps them for one host (every path: enough for a test). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
  '&#x2F;': '/',
};

function decodeEntities(value: string): string {
  return value.replace(/&(?:amp|lt|gt|quot|#39|#x27|#x2F);/g, (entity) => ENTITIES[entity]!);
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  const value = match?.[1] ?? match?.[2] ?? match?.[3];
  return value === undefined ? undefined : decodeEntities(value);
}

/** The one `<form method="post">` of a page: its action and its named inputs and buttons. */
export interface PostForm {
  action: string;
  inputs: Map<string, string>;
  buttons: { name: string; value: string }[];
}

export function readPostForm(html: string, pageUrl: string): PostForm {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi)].filter((match) =>
    /method\s*=\s*["']?post/i.test(match[0].slice(0, match[0].indexOf('>'))),
  );
  if (forms.length !== 1) {
    throw new Error(`expected one <form method="post">, found ${forms.length}:\n${html}`);
  }
  const form = forms[0]![0];
  const openTag = form.slice(0, form.indexOf('>') + 1);
  const inputs = new Map<string, string>();
  const buttons: PostForm['buttons'] = [];
  for (const [tag] of form.matchAll(/<(?:input|button)\b[^>]*>/gi)) {
    const name = attribute(tag, 'name');
    if (name === undefined) continue;
    const value = attribute(tag, 'value') ?? '';
    const type = (
      attribute(tag, 'type') ?? (tag.startsWith('<button') ? 'submit' : 'text')
    ).toLowerCase();
    if (type === 'submit') buttons.push({ name, value });
    else inputs.set(name, value);
  }
  return {
    action: new URL(attribute(openTag, 'action') ?? pageUrl, pageUrl).href,
    inputs,
    buttons,
  };
}

export interface SignIn {
  username: string;
  password: string;
  decision?: 'allow' | 'deny';
}

/**
 * Drives an authorization request the way a user agent does, over HTTP and
 * the form contract of issue 13: follows the host's redirects, fills the login
 * form (`username`, `password`), presses the consent form's `decision` button,
 * and returns the URL the host finally sends the browser to outside itself
 * (the client's redirect URI, with `code`, `state` and `iss`, or an error).
 */
export async function authorizeThroughForms(
  startUrl: string,
  hostUrl: string,
  user: SignIn,
  jar = new CookieJar(),
): Promise<URL> {
  let url = startUrl;
  let init: RequestInit = {};
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(res.headers);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location !== null) {
      const next = new URL(location, url);
      // Leaving the host: the authorization response (or error) for the client.
      if (next.origin !== new URL(hostUrl).origin) return next;
      url = next.href;
      init = {};
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`${url} answered ${res.status}:\n${html}`);
    const form = readPostForm(html, url);
    const fields = new URLSearchParams([...form.inputs]);
    if (form.inputs.has('password')) {
      fields.set('username', user.username);
      fields.set('password', user.password);
    } else {
      const decision = form.buttons.find(
        (button) => button.name === 'decision' && button.value === (user.decision ?? 'allow'),
      );
      if (!decision) throw new Error(`no decision=${user.decision ?? 'allow'} button:\n${html}`);
      fields.set(decision.name, decision.value);
    }
    url = form.action;
    init = {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    };
  }
  throw new Error(`the authorization did not finish in 20 steps (last: ${url})`);
}
