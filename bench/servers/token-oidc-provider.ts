import { createServer, type RequestListener } from 'node:http';
import type { StartServer } from '../scenario.js';
import { listenOnLoopback } from './listen.js';
import { anchorJwks } from './provider-keys.js';
import { clientCredentialsRequest } from './token-request.js';

type OidcProviderClass = new (
  issuer: string,
  configuration: object,
) => {
  callback(): RequestListener;
};

const CLIENT_ID = 'bench-static-client';
const CLIENT_SECRET = 'bench-static-client-secret-0123456789abcdef';

/**
 * The anchor of the token rows: plain node-oidc-provider 9, one static client,
 * its in-memory adapter, client_credentials with client_secret_basic and RFC
 * 9068 JWT access tokens signed ES256 for one resource, as the host issues them.
 */
export const startServer: StartServer = async () => {
  const specifier = 'oidc-provider';
  const { Provider } = (await import(specifier)) as { Provider: OidcProviderClass };
  const base = 'http://127.0.0.1';
  const resource = `${base}/connect/dcr`;
  const provider = new Provider(`${base}/oidc`, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: anchorJwks(),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => resource,
        getResourceServerInfo: async () => ({
          scope: '',
          audience: resource,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  const url = await listenOnLoopback(createServer(provider.callback()));
  return { url: `${url}/token`, ...clientCredentialsRequest(CLIENT_ID, CLIENT_SECRET) };
};
