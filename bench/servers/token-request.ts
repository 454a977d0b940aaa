import type { ScenarioServer } from '../scenario.js';

/** The token request every token row sends: client_credentials, the secret in HTTP Basic. */
export function clientCredentialsRequest(
  clientId: string,
  clientSecret: string,
): Pick<ScenarioServer, 'headers' | 'request'> {
  // RFC 6749 §2.3.1: each part form-encoded before Basic.
  const basic = Buffer.from(
    `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
  ).toString('base64');
  return {
    headers: { authorization: `Basic ${basic}` },
    request: {
      body: 'grant_type=client_credentials',
      contentType: 'application/x-www-form-urlencoded',
      expectedStatus: 200,
    },
  };
}
