import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { DcrModule } from '../../lib/dcr.module.js';
import { ADAPTERS } from '../support/adapters.js';
import { useDcrApp } from '../support/suite-app.js';
import { registerAs } from '../support/registration-client.js';

const RESOURCE = 'https://dcr.example';
const PIPELINE = { id: 'ci-pipeline', secret: 'ci-pipeline-secret-with-enough-entropy-0001' };
const READER = { id: 'reader', secret: 'reader-secret-with-enough-entropy-0000000001' };

/** The slice of node-oidc-provider's API used here (the package ships no typings). */
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
}
type OidcProviderClass = new (issuer: string, configuration: object) => OidcProvider;

/** A real OAuth server (node-oidc-provider) issuing RFC 9068 JWT access tokens by client credentials. */
async function startAuthorizationServer(): Promise<{ issuer: string; server: Server }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'as-1', alg: 'RS256', use: 'sig' };
  const moduleName = 'oidc-provider'; // not a literal: TypeScript looks for no typings
  const { default: Provider } = (await import(moduleName)) as { default: OidcProviderClass };
  // The issuer URL needs the port, so the server listens before the provider exists.
  const routes: { handle?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => routes.handle!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Its development-mode notices (in-memory adapter, Node version) are not ours to show.
  const warn = console.warn;
  console.warn = () => {};
  let provider: OidcProvider;
  try {
    provider = new Provider(issuer, {
      jwks: { keys: [signingKey] },
      clients: [PIPELINE, READER].map(({ id, secret }) => ({
        client_id: id,
        client_secret: secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: id === PIPELINE.id ? 'dcr.register' : 'dcr.read',
      })),
      scopes: ['dcr.register', 'dcr.read'],
      features: {
        devInteractions: { enabled: false },
        clientCredentials: { enabled: true },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => RESOURCE,
          useGrantedResource: () => true,
          getResourceServerInfo: () => ({
            scope: 'dcr.register dcr.read',
            audience: RESOURCE,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          }),
        },
      },
    });
  } finally {
    console.warn = warn;
  }
  routes.handle = provider.callback();
  return { issuer, server };
}

/** What a CI job does: client credentials at the token endpoint. */
async function clientCredentialsToken(
  issuer: string,
  client: { id: string; secret: string },
  scope: string,
): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: RESOURCE }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token request failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

describe.each(ADAPTERS)(
  'CI pipeline registers clients with a client-credentials token (%s)',
  (adapter) => {
    let as: { issuer: string; server: Server };
    beforeAll(async () => {
      as = await startAuthorizationServer();
    });
    const { url } = useDcrApp(adapter, () =>
      DcrModule.forRoot({ registration: { bearer: { issuer: as.issuer, audience: RESOURCE } } }),
    );
    afterAll(() => new Promise((resolve) => as.server.close(resolve)));

    it('registers with a token carrying dcr.register', async () => {
      const token = await clientCredentialsToken(as.issuer, PIPELINE, 'dcr.register');
      const res = await registerAs(url(), `Bearer ${token}`);
      expect(res.status).toBe(201);
      expect(res.body.client_id).toEqual(expect.any(String));
    });

    it('answers 403 insufficient_scope to a client whose token lacks it', async () => {
      const token = await clientCredentialsToken(as.issuer, READER, 'dcr.read');
      const res = await registerAs(url(), `Bearer ${token}`);
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toContain('scope="dcr.register"');
    });
  },
);
