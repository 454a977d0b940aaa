import {
  authorizeThroughForms,
  CookieJar,
  pkce,
} from '../../test/sample-app/authorization-flow.js';
import type { ScenarioServer } from '../scenario.js';
import { basicAuthorization } from './token-request.js';

/**
 * What the code and refresh rows' client asks for, at the host and at its
 * anchor alike: a JWT access token for one resource and one of its scopes,
 * with PKCE S256; the client is confidential (client_secret_basic) and holds
 * the refresh_token grant, so a refresh token comes with every code.
 */
export const CODE_FLOW = {
  redirectUri: 'https://app.example.com/callback',
  resource: 'https://mcp.example.com/mcp',
  scope: 'mcp:tools',
} as const;

/** The user who signs in (at the host through its pages; the anchor's interaction asks nothing). */
export const BENCH_USER = { username: 'bench-admin', password: 'bench-admin-password-0123' };

export interface ConfidentialClient {
  clientId: string;
  clientSecret: string;
}

/** A signed-in session that has consented, and the PKCE verifier its codes are bound to. */
export interface SignedIn {
  /** The authorization request: with the session's cookies, answered by one redirect with a code. */
  authorizationUrl: string;
  cookie: string;
  verifier: string;
  /** The code of the sign-in itself. */
  firstCode: string;
}

const FORM = 'application/x-www-form-urlencoded';
/** Authorization requests in flight while minting: enough to keep both cores busy. */
const MINT_CONCURRENCY = 16;

function codeOf(redirect: URL): string {
  const code = redirect.searchParams.get('code');
  if (!redirect.href.startsWith(CODE_FLOW.redirectUri) || code === null) {
    throw new Error(`no code in the authorization response: ${redirect.href}`);
  }
  return code;
}

/**
 * Signs BENCH_USER in at `authorizationEndpoint` the way a browser does
 * (redirects, the login and consent forms, a cookie jar). Every code of a row
 * shares one PKCE pair: a code costs the same whichever challenge it carries.
 */
export async function signIn(
  authorizationEndpoint: string,
  client: ConfidentialClient,
): Promise<SignedIn> {
  const { verifier, challenge } = pkce();
  const url = new URL(authorizationEndpoint);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: CODE_FLOW.redirectUri,
    scope: CODE_FLOW.scope,
    resource: CODE_FLOW.resource,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'bench',
  })) {
    url.searchParams.set(name, value);
  }
  const jar = new CookieJar();
  const redirect = await authorizeThroughForms(url.href, url.origin, BENCH_USER, jar);
  return {
    authorizationUrl: url.href,
    cookie: jar.header(),
    verifier,
    firstCode: codeOf(redirect),
  };
}

/** One more code for the signed-in session: the authorization endpoint answers with one redirect. */
async function mintCode(session: SignedIn): Promise<string> {
  const response = await fetch(session.authorizationUrl, {
    redirect: 'manual',
    headers: { cookie: session.cookie },
  });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  if (response.status !== 303 || location === null) {
    throw new Error(`minting a code: ${response.status} (location ${location})`);
  }
  return codeOf(new URL(location));
}

/** `count` codes, minted before the load (they expire 60 s after minting, at the host and the anchor). */
export async function mintCodes(session: SignedIn, count: number): Promise<string[]> {
  const codes: string[] = [];
  let claimed = 0;
  const worker = async (): Promise<void> => {
    while (claimed < count) {
      claimed++;
      codes.push(await mintCode(session));
    }
  };
  await Promise.all(Array.from({ length: MINT_CONCURRENCY }, worker));
  return codes;
}

function codeExchangeBody(code: string, verifier: string): string {
  return new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: CODE_FLOW.redirectUri,
    code_verifier: verifier,
    resource: CODE_FLOW.resource,
  }).toString();
}

/** The code exchange rows' request: one code answers the harness's check, each other one load request. */
export function codeExchangeRequest(
  client: ConfidentialClient,
  session: SignedIn,
  codes: string[],
): Pick<ScenarioServer, 'headers' | 'request'> {
  const [checked, ...loaded] = codes.map((code) => codeExchangeBody(code, session.verifier));
  if (checked === undefined) throw new Error('no codes minted');
  return {
    headers: { authorization: basicAuthorization(client.clientId, client.clientSecret) },
    request: { body: checked, contentType: FORM, expectedStatus: 200, oneShotBodies: loaded },
  };
}

/** How many refresh tokens a refresh row redeems in turn: more than its connections, so concurrent requests name different tokens. */
const REFRESH_TOKENS = 500;

/** The refresh token a code is exchanged for. */
async function exchangeForRefreshToken(
  tokenEndpoint: string,
  authorization: string,
  code: string,
  verifier: string,
): Promise<string> {
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: { authorization, 'content-type': FORM },
    body: codeExchangeBody(code, verifier),
  });
  const tokens = (await response.json()) as { refresh_token?: string };
  if (response.status !== 200 || tokens.refresh_token === undefined) {
    throw new Error(`code exchange: ${response.status} ${JSON.stringify(tokens)}`);
  }
  return tokens.refresh_token;
}

/**
 * The refresh rows' request: REFRESH_TOKENS refresh tokens of one session
 * (the sign-in's code and more, each exchanged), redeemed in turn. A
 * confidential client's refresh token is not rotated until 70% of its 14
 * days have passed, at the host and the anchor.
 */
export async function refreshRequest(
  tokenEndpoint: string,
  client: ConfidentialClient,
  session: SignedIn,
): Promise<Pick<ScenarioServer, 'headers' | 'request'>> {
  const authorization = basicAuthorization(client.clientId, client.clientSecret);
  const codes = [session.firstCode, ...(await mintCodes(session, REFRESH_TOKENS - 1))];
  const refreshTokens: string[] = [];
  for (let start = 0; start < codes.length; start += MINT_CONCURRENCY) {
    const exchanged = await Promise.all(
      codes
        .slice(start, start + MINT_CONCURRENCY)
        .map((code) =>
          exchangeForRefreshToken(tokenEndpoint, authorization, code, session.verifier),
        ),
    );
    refreshTokens.push(...exchanged);
  }
  const [checked, ...cycled] = refreshTokens.map((token) =>
    new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: token,
      resource: CODE_FLOW.resource,
    }).toString(),
  );
  if (checked === undefined) throw new Error('no refresh tokens');
  return {
    headers: { authorization },
    request: {
      body: checked,
      contentType: FORM,
      expectedStatus: 200,
      cycledBodies: [checked, ...cycled],
    },
  };
}
