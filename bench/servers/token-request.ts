import type { ScenarioServer } from '../scenario.js';

/** The Authorization header of client_secret_basic. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  // RFC 6749 §2.3.1: each part form-encoded before Basic.
  const basic = Buffer.from(
    `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
  ).toString('base64');
  return `Basic ${basic}`;
}

/** The token request every client_credentials row sends: the secret in HTTP Basic. */
export function clientCredentialsRequest(
  clientId: string,
  clientSecret: string,
): Pick<ScenarioServer, 'headers' | 'request'> {
  return {
    headers: { authorization: basicAuthorization(clientId, clientSecret) },
    request: {
      body: 'grant_type=client_credentials',
      contentType: 'application/x-www-form-urlencoded',
      expectedStatus: 200,
    },
  };
}
