import * as oidc from 'openid-client';

/** An authorization code request with PKCE (S256) and a state, kept for redeeming its answer. */
export interface PkceAuthorizationRequest {
  url: URL;
  verifier: string;
  state: string;
}

/** An authorization response, with the PKCE verifier and state of its request. */
export interface AuthorizationResponse {
  callback: URL;
  verifier: string;
  state: string;
}

/** The request for `scope` at `redirectUri`, with `extra` parameters, as openid-client builds it. */
export async function pkceAuthorizationRequest(
  config: oidc.Configuration,
  redirectUri: string,
  scope = 'openid',
  extra: Record<string, string> = {},
): Promise<PkceAuthorizationRequest> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, verifier, state };
}

/** The token request for `response`, checking its state and proving the verifier. */
export function redeemCode(
  config: oidc.Configuration,
  response: AuthorizationResponse,
): ReturnType<typeof oidc.authorizationCodeGrant> {
  return oidc.authorizationCodeGrant(config, response.callback, {
    pkceCodeVerifier: response.verifier,
    expectedState: response.state,
  });
}
