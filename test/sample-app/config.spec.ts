import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../sample-app/config.js';

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('sample-app configuration', () => {
  it('defaults to a protected host on 127.0.0.1:3000 with the embedded provider and PGlite', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://127.0.0.1:3000',
      registration: 'protected',
      token: {
        embedded: true,
        issuer: 'http://127.0.0.1:3000/oidc',
        jwksUri: 'http://127.0.0.1:3000/oidc/jwks',
        audience: 'http://127.0.0.1:3000/connect/dcr',
        requiredScope: 'dcr.register',
      },
      softwareStatement: undefined,
      softwareStatementRequired: false,
      databaseUrl: undefined,
      dataDir: resolve('.data'),
      bootstrapClient: undefined,
      bootstrapRedirectUris: [],
      resources: [],
      oidcIssuer: 'http://127.0.0.1:3000/oidc',
      clientIdMetadataDocuments: true,
      fetchAllowHosts: [],
      admin: { username: 'admin', password: undefined },
      lastUseWriteSeconds: 300,
    });
  });

  it('reads DCR_CLIENT_ID_METADATA_DOCUMENTS and DCR_FETCH_ALLOW_HOSTS', () => {
    expect(
      loadConfig({
        DCR_CLIENT_ID_METADATA_DOCUMENTS: 'false',
        DCR_FETCH_ALLOW_HOSTS: 'cimd.test:8443, localhost',
      }),
    ).toMatchObject({
      clientIdMetadataDocuments: false,
      fetchAllowHosts: ['cimd.test:8443', 'localhost'],
    });
  });

  it('reads resource servers and their scopes, each URL kept exactly as written', () => {
    const config = loadConfig({
      DCR_RESOURCES: 'https://mcp.example.com/mcp mcp:tools mcp:read, https://api.example.com  ',
    });
    expect(config.resources).toEqual([
      { url: 'https://mcp.example.com/mcp', scopes: ['mcp:tools', 'mcp:read'] },
      { url: 'https://api.example.com', scopes: [] },
    ]);
  });

  it('reads the bootstrap client redirect URIs', () => {
    const config = loadConfig({
      DCR_BOOTSTRAP_REDIRECT_URIS: 'https://admin.example.com/cb  http://localhost:8080/cb',
    });
    expect(config.bootstrapRedirectUris).toEqual([
      'https://admin.example.com/cb',
      'http://localhost:8080/cb',
    ]);
  });

  it('reads DCR_LAST_USE_WRITE_SECONDS, refusing what is not 1 to 86400 seconds', () => {
    expect(loadConfig({ DCR_LAST_USE_WRITE_SECONDS: '3600' }).lastUseWriteSeconds).toBe(3600);
    for (const bad of ['0', '-5', '1.5', 'hourly', '86401']) {
      expect(() => loadConfig({ DCR_LAST_USE_WRITE_SECONDS: bad })).toThrow(
        /DCR_LAST_USE_WRITE_SECONDS must be an integer from 1 to 86400/,
      );
    }
  });

  it('derives the public URL from HOST and PORT, IPv6 included', () => {
    expect(loadConfig({ HOST: '::1', PORT: '8080' }).publicUrl).toBe('http://[::1]:8080');
  });

  it('leaves the JWKS of another issuer to its discovery document', () => {
    const config = loadConfig({ DCR_TOKEN_ISSUER: 'https://issuer.example.com' });
    expect(config.token).toMatchObject({ embedded: false, issuer: 'https://issuer.example.com' });
    expect(config.token.jwksUri).toBeUndefined();
  });

  it('takes every variable when valid', () => {
    const config = loadConfig({
      PORT: '4000',
      HOST: '0.0.0.0',
      DCR_PUBLIC_URL: 'https://id.example.com/auth/',
      DCR_REGISTRATION: 'open',
      DCR_TOKEN_ISSUER: 'https://issuer.example.com',
      DCR_TOKEN_JWKS_URI: 'https://issuer.example.com/keys',
      DCR_TOKEN_AUDIENCE: 'dcr-api',
      DCR_REQUIRED_SCOPE: 'clients:write',
      DCR_SOFTWARE_STATEMENT_ISSUER: 'https://software.example.com',
      DCR_SOFTWARE_STATEMENT_JWKS_URI: 'https://software.example.com/jwks.json',
      DCR_SOFTWARE_STATEMENT_REQUIRED: 'true',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      DCR_DATA_DIR: '/var/lib/dcr',
      DCR_BOOTSTRAP_CLIENT_ID: 'ops',
      DCR_BOOTSTRAP_CLIENT_SECRET: 'a'.repeat(32),
    });
    expect(config).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      publicUrl: 'https://id.example.com/auth',
      oidcIssuer: 'https://id.example.com/auth/oidc',
      registration: 'open',
      token: {
        embedded: false,
        issuer: 'https://issuer.example.com',
        jwksUri: 'https://issuer.example.com/keys',
        audience: 'dcr-api',
        requiredScope: 'clients:write',
      },
      softwareStatement: {
        issuer: 'https://software.example.com',
        jwksUri: 'https://software.example.com/jwks.json',
      },
      softwareStatementRequired: true,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
      dataDir: '/var/lib/dcr',
      bootstrapClient: { id: 'ops', secret: 'a'.repeat(32) },
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DCR_REGISTRATION: ' ' })).toMatchObject({
      port: 3000,
      registration: 'protected',
    });
  });

  it.each<[string, Record<string, string>]>([
    ['PORT', { PORT: '0' }],
    ['PORT', { PORT: '65536' }],
    ['PORT', { PORT: '80a' }],
    ['HOST', { HOST: 'a b' }],
    ['DCR_PUBLIC_URL', { DCR_PUBLIC_URL: 'id.example.com' }],
    ['DCR_PUBLIC_URL', { DCR_PUBLIC_URL: 'https://id.example.com/?x=1' }],
    ['DCR_PUBLIC_URL', { DCR_PUBLIC_URL: 'https://user:pw@id.example.com' }],
    ['DCR_PUBLIC_URL', { HOST: '0.0.0.0' }],
    ['DCR_REGISTRATION', { DCR_REGISTRATION: 'closed' }],
    ['DCR_TOKEN_JWKS_URI', { DCR_TOKEN_JWKS_URI: 'https://issuer.example.com/keys' }],
    [
      'DCR_TOKEN_JWKS_URI',
      { DCR_TOKEN_ISSUER: 'https://i.example', DCR_TOKEN_JWKS_URI: 'ftp://i.example/k' },
    ],
    ['DCR_TOKEN_ISSUER', { DCR_TOKEN_ISSUER: 'issuer', DCR_TOKEN_JWKS_URI: 'https://i.example/k' }],
    ['DCR_REQUIRED_SCOPE', { DCR_REQUIRED_SCOPE: 'two scopes' }],
    ['DCR_SOFTWARE_STATEMENT_JWKS_URI', { DCR_SOFTWARE_STATEMENT_ISSUER: 'https://s.example' }],
    ['DCR_SOFTWARE_STATEMENT_ISSUER', { DCR_SOFTWARE_STATEMENT_JWKS_URI: 'https://s.example/k' }],
    ['DCR_SOFTWARE_STATEMENT_REQUIRED', { DCR_SOFTWARE_STATEMENT_REQUIRED: 'yes' }],
    ['DCR_SOFTWARE_STATEMENT_REQUIRED', { DCR_SOFTWARE_STATEMENT_REQUIRED: 'true' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root:hunter2@db/x' }],
    ['DCR_CLIENT_ID_METADATA_DOCUMENTS', { DCR_CLIENT_ID_METADATA_DOCUMENTS: 'yes' }],
    ['DCR_FETCH_ALLOW_HOSTS', { DCR_FETCH_ALLOW_HOSTS: 'https://cimd.test/' }],
    ['DCR_FETCH_ALLOW_HOSTS', { DCR_FETCH_ALLOW_HOSTS: 'CIMD.test:443' }],
    ['DCR_BOOTSTRAP_CLIENT_ID', { DCR_BOOTSTRAP_CLIENT_SECRET: 'a'.repeat(32) }],
    ['DCR_BOOTSTRAP_CLIENT_SECRET', { DCR_BOOTSTRAP_CLIENT_ID: 'ops' }],
    [
      'DCR_BOOTSTRAP_CLIENT_SECRET',
      { DCR_BOOTSTRAP_CLIENT_ID: 'ops', DCR_BOOTSTRAP_CLIENT_SECRET: 'short' },
    ],
    [
      'DCR_BOOTSTRAP_CLIENT_ID',
      { DCR_BOOTSTRAP_CLIENT_ID: 'o p', DCR_BOOTSTRAP_CLIENT_SECRET: 'a'.repeat(32) },
    ],
    ['DCR_RESOURCES', { DCR_RESOURCES: 'mcp.example.com mcp:tools' }],
    ['DCR_RESOURCES', { DCR_RESOURCES: 'urn:example:api read' }],
    ['DCR_RESOURCES', { DCR_RESOURCES: 'https://mcp.example.com/#x read' }],
    ['DCR_RESOURCES', { DCR_RESOURCES: 'https://a.example/mcp read, https://a.example/mcp x' }],
    ['DCR_RESOURCES', { DCR_RESOURCES: 'http://127.0.0.1:3000/connect/dcr read' }],
    ['DCR_RESOURCES', { DCR_RESOURCES: 'https://a.example/mcp dcr.register' }],
    ['DCR_RESOURCES', { DCR_RESOURCES: 'https://a.example/mcp "quoted"' }],
    ['DCR_BOOTSTRAP_REDIRECT_URIS', { DCR_BOOTSTRAP_REDIRECT_URIS: 'http://admin.example.com/cb' }],
    ['DCR_BOOTSTRAP_REDIRECT_URIS', { DCR_BOOTSTRAP_REDIRECT_URIS: 'https://a.example/cb#x' }],
    ['DCR_BOOTSTRAP_REDIRECT_URIS', { DCR_BOOTSTRAP_REDIRECT_URIS: 'com.example.app:/cb' }],
  ])('refuses a bad %s, naming it', (variable, env) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable} `)).toBe(true);
  });

  it('never echoes a secret value in its message', () => {
    expect(failure({ DATABASE_URL: 'mysql://root:hunter2@db/x' }).message).not.toContain('hunter2');
    const secret = 'tooShortButSecret';
    expect(
      failure({ DCR_BOOTSTRAP_CLIENT_ID: 'ops', DCR_BOOTSTRAP_CLIENT_SECRET: secret }).message,
    ).not.toContain(secret);
  });
});
