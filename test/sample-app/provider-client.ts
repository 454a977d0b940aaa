import * as oidc from 'openid-client';
import type { Host } from './host.js';

/** What the host's registration endpoint answers a confidential client (RFC 7591, RFC 7592). */
export interface Registration {
  client_id: string;
  client_secret: string;
  registration_access_token: string;
  registration_client_uri: string;
}

/** A client of the embedded provider, configured by discovery (http on loopback is allowed). */
export async function providerClient(host: Host, clientId: string, secret: string) {
  return oidc.discovery(new URL(`${host.url}/oidc`), clientId, secret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
}
