import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { generateKeyPair, exportJWK } from 'jose';
import type { ClientIdMetadataErrorCode } from '../../lib/client-id-metadata/client-id-metadata.errors.js';
import { ClientIdMetadataResolver } from '../../lib/client-id-metadata/client-id-metadata.resolver.js';
import { DcrModule } from '../../lib/dcr.module.js';
import type { DcrModuleOptions } from '../../lib/dcr.options.js';
import type { ResolvedAddress } from '../../lib/fetch/outbound-fetch.options.js';
import {
  json,
  startTestDocumentServers,
  type TestHttpsServer,
  type TestTls,
} from '../support/test-https.js';

const NAMES: Record<string, ResolvedAddress[]> = {
  'cimd.test': [{ address: '127.0.0.1', family: 4 }],
  'denied.test': [{ address: '127.0.0.1', family: 4 }],
  'loopback.test': [{ address: '127.0.0.1', family: 4 }],
  'private.test': [{ address: '10.1.2.3', family: 4 }],
  'metadata.test': [{ address: '169.254.169.254', family: 4 }],
  'mapped.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
};

/** A valid public client's document for `clientId`, with `changes` applied. */
function documentFor(clientId: string, changes: Record<string, unknown> = {}) {
  return {
    client_id: clientId,
    client_name: 'CIMD test client',
    redirect_uris: ['http://localhost/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    ...changes,
  };
}

describe('Client ID Metadata Documents: DefaultClientIdMetadataResolver', () => {
  let tls: TestTls;
  let docs: TestHttpsServer;
  let canary: TestHttpsServer;
  const apps: INestApplication[] = [];
  let resolver: ClientIdMetadataResolver;
  const id = (path: string, host = 'cimd.test') => `https://${host}:${docs.port}${path}`;
  /** Serves a valid document for `path` (and its own URL as client_id). */
  const serve = (path: string, changes: Record<string, unknown> = {}, headers = {}) =>
    docs.route(path, json(documentFor(id(path), changes), headers));
  const failure = (clientId: string) =>
    resolver.resolve(clientId).then(
      () => ({ code: 'resolved', message: '' }),
      (error: { code: ClientIdMetadataErrorCode; message: string }) => ({
        code: error.code,
        message: error.message,
      }),
    );

  async function resolverWith(options: DcrModuleOptions): Promise<ClientIdMetadataResolver> {
    const moduleRef = await Test.createTestingModule({
      imports: [
        DcrModule.forRoot({
          tokenEndpointAuthMethods: ['client_secret_basic', 'private_key_jwt', 'none'],
          ...options,
          fetch: {
            ca: tls.caCert,
            allowHosts: [`cimd.test:${docs.port}`, `denied.test:${docs.port}`],
            resolveHost: (name) => Promise.resolve(NAMES[name] ?? []),
            timeoutMs: 500,
            ...options.fetch,
          },
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    apps.push(app);
    return app.get(ClientIdMetadataResolver);
  }

  beforeAll(async () => {
    ({ tls, docs, canary } = await startTestDocumentServers([
      'cimd.test',
      'denied.test',
      'loopback.test',
      'mapped.test',
    ]));
    resolver = await resolverWith({
      clientIdMetadataDocuments: { deniedHosts: ['denied.test'], minCacheSeconds: 0 },
    });
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await docs.close();
    await canary.close();
  });

  it('resolves a valid document to validated metadata with its host', async () => {
    serve('/clients/ok', {}, { 'cache-control': 'max-age=60' });
    const resolved = await resolver.resolve(id('/clients/ok'));
    expect(resolved).toMatchObject({
      clientId: id('/clients/ok'),
      host: 'cimd.test',
      metadata: {
        client_name: 'CIMD test client',
        redirect_uris: ['http://localhost/callback'],
        token_endpoint_auth_method: 'none',
        // Loopback redirect URIs only: registered as native (RFC 8252), like any such client.
        application_type: 'native',
      },
    });
    expect(resolved.metadata).not.toHaveProperty('client_id');
  });

  it('defaults token_endpoint_auth_method to none, not a secret method', async () => {
    serve('/clients/default-method', { token_endpoint_auth_method: undefined });
    const resolved = await resolver.resolve(id('/clients/default-method'));
    expect(resolved.metadata.token_endpoint_auth_method).toBe('none');
  });

  it('accepts private_key_jwt with jwks', async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] };
    serve('/clients/pkjwt', { token_endpoint_auth_method: 'private_key_jwt', jwks });
    const resolved = await resolver.resolve(id('/clients/pkjwt'));
    expect(resolved.metadata.token_endpoint_auth_method).toBe('private_key_jwt');
  });

  describe('refuses the document', () => {
    it.each<[string, Record<string, unknown>, RegExp]>([
      [
        'a client_id mismatch',
        { client_id: 'https://other.test/doc' },
        /client_id that is not its own URL/,
      ],
      [
        'a client_id differing only by a trailing slash',
        { client_id: '__self__/' },
        /not its own URL/,
      ],
      [
        'a shared-secret auth method',
        { token_endpoint_auth_method: 'client_secret_basic' },
        /client_secret_basic/,
      ],
      [
        'client_secret_post',
        { token_endpoint_auth_method: 'client_secret_post' },
        /client_secret_post/,
      ],
      ['a client_secret member', { client_secret: 'hunter2' }, /must not contain client_secret/],
      ['client_secret_expires_at', { client_secret_expires_at: 0 }, /client_secret_expires_at/],
      [
        'private_key_jwt without keys',
        { token_endpoint_auth_method: 'private_key_jwt' },
        /needs jwks or jwks_uri/,
      ],
      ['no redirect_uris', { redirect_uris: undefined }, /must list redirect_uris/],
      ['a javascript: redirect URI', { redirect_uris: ['javascript:alert(1)'] }, /redirect_uris/],
      [
        'a dot-segment redirect URI',
        { redirect_uris: ['https://app.test/a/../cb'] },
        /redirect_uris/,
      ],
      [
        'a jwks_uri on an internal address',
        { jwks_uri: 'https://169.254.169.254/', token_endpoint_auth_method: 'private_key_jwt' },
        /jwks_uri/,
      ],
    ])('%s', async (title, changes, message) => {
      const path = `/refused/${encodeURIComponent(title).replace(/%/g, '_')}`;
      const self = id(path);
      const selfChanges =
        changes.client_id === '__self__/' ? { ...changes, client_id: `${self}/` } : changes;
      docs.route(path, json(documentFor(self, selfChanges)));
      const { code, message: text } = await failure(self);
      expect(code).toBe('invalid_document');
      expect(text).toMatch(message);
    });

    it('a document that is not a JSON object', async () => {
      docs.route('/refused/array', json([id('/refused/array')]));
      expect(await failure(id('/refused/array'))).toMatchObject({ code: 'invalid_document' });
    });
  });

  describe('refuses the fetch', () => {
    it('a document over 5 KiB', async () => {
      serve('/big', { client_name: 'x'.repeat(5 * 1024) });
      expect(await failure(id('/big'))).toMatchObject({
        code: 'fetch_failed',
        message: expect.stringMatching(/more than 5120 bytes/),
      });
    });

    it('a slow document (timeout)', async () => {
      docs.route('/slow', () => undefined);
      expect(await failure(id('/slow'))).toMatchObject({
        code: 'fetch_failed',
        message: expect.stringMatching(/did not answer within 500 ms/),
      });
    });

    it('a 3xx, even to a document that would be valid', async () => {
      serve('/target');
      docs.route('/moved', (_req, res) => res.writeHead(302, { location: id('/target') }).end());
      const before = docs.requests('/target');
      expect(await failure(id('/moved'))).toMatchObject({
        code: 'fetch_failed',
        message: expect.stringMatching(/302, a redirect/),
      });
      expect(docs.requests('/target')).toBe(before);
    });

    it('a 302 to an internal address: the canary sees no connection', async () => {
      docs.route('/to-internal', (_req, res) =>
        res.writeHead(302, { location: `https://loopback.test:${canary.port}/doc` }).end(),
      );
      const before = canary.connections();
      expect(await failure(id('/to-internal'))).toMatchObject({ code: 'fetch_failed' });
      expect(canary.connections()).toBe(before);
    });

    it('a non-JSON content type', async () => {
      docs.route('/html', (_req, res) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'),
      );
      expect(await failure(id('/html'))).toMatchObject({
        code: 'fetch_failed',
        message: expect.stringMatching(/content type "text\/html"/),
      });
    });

    it('a body that is not JSON', async () => {
      docs.route('/not-json', json('not json at all'));
      expect(await failure(id('/not-json'))).toMatchObject({
        code: 'fetch_failed',
        message: expect.stringMatching(/not valid JSON/),
      });
    });

    it('a 404', async () => {
      expect(await failure(id('/nowhere'))).toMatchObject({
        code: 'fetch_failed',
        message: expect.stringMatching(/HTTP 404/),
      });
    });

    it.each(['loopback.test', 'private.test', 'metadata.test', 'mapped.test'])(
      'a host resolving to an internal address (%s): no connection is made',
      async (host) => {
        const before = canary.connections();
        const clientId = `https://${host}:${canary.port}/doc`;
        expect(await failure(clientId)).toMatchObject({
          code: 'fetch_failed',
          message: expect.stringMatching(/special-purpose/),
        });
        expect(canary.connections()).toBe(before);
      },
    );
  });

  describe('refuses the client_id URL before fetching', () => {
    it.each([
      ['an http URL', 'http://cimd.test/doc', /https scheme/],
      ['a fragment', 'https://cimd.test/doc#x', /fragment/],
      ['userinfo', 'https://user@cimd.test/doc', /username or password/],
      ['user and password', 'https://user:pw@cimd.test/doc', /username or password/],
      ['a .. segment', 'https://cimd.test/a/../doc', /path segments/],
      ['a . segment', 'https://cimd.test/./doc', /path segments/],
      ['an encoded .. segment', 'https://cimd.test/a/%2E%2e/doc', /path segments/],
      ['no path', 'https://cimd.test', /must contain a path/],
      ['only /', 'https://cimd.test/', /must contain a path/],
      ['a space', 'https://cimd.test/a doc', /plain ASCII/],
    ])('%s', async (_title, clientId, message) => {
      const before = docs.connections();
      const { code, message: text } = await failure(clientId);
      expect(code).toBe('invalid_client_id');
      expect(text).toMatch(message);
      expect(docs.connections()).toBe(before);
    });

    it('a host the policy denies, without fetching it', async () => {
      docs.route('/denied', json(documentFor(id('/denied', 'denied.test'))));
      const { code } = await failure(id('/denied', 'denied.test'));
      expect(code).toBe('untrusted_host');
      expect(docs.requests('/denied')).toBe(0);
    });

    it('with allowedHosts, any host not listed', async () => {
      const strict = await resolverWith({
        clientIdMetadataDocuments: { allowedHosts: ['.example.com'] },
      });
      serve('/strict');
      await expect(strict.resolve(id('/strict'))).rejects.toMatchObject({ code: 'untrusted_host' });
      expect(docs.requests('/strict')).toBe(0);
    });

    it('when Client ID Metadata Documents are off', async () => {
      const off = await resolverWith({ clientIdMetadataDocuments: { enabled: false } });
      serve('/off');
      await expect(off.resolve(id('/off'))).rejects.toMatchObject({ code: 'invalid_client_id' });
      expect(docs.requests('/off')).toBe(0);
    });
  });

  describe('caching', () => {
    it('a second resolve within max-age fetches nothing', async () => {
      serve('/cached', {}, { 'cache-control': 'public, max-age=300' });
      await resolver.resolve(id('/cached'));
      await resolver.resolve(id('/cached'));
      expect(docs.requests('/cached')).toBe(1);
    });

    it('after max-age the document is fetched again', async () => {
      serve('/short', {}, { 'cache-control': 'max-age=1' });
      await resolver.resolve(id('/short'));
      await resolver.resolve(id('/short'));
      expect(docs.requests('/short')).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await resolver.resolve(id('/short'));
      expect(docs.requests('/short')).toBe(2);
    });

    it('a failed fetch is not cached', async () => {
      docs.route('/flaky', (_req, res) => res.writeHead(503).end());
      expect(await failure(id('/flaky'))).toMatchObject({ code: 'fetch_failed' });
      serve('/flaky', {}, { 'cache-control': 'max-age=300' });
      await expect(resolver.resolve(id('/flaky'))).resolves.toMatchObject({ host: 'cimd.test' });
      expect(docs.requests('/flaky')).toBe(2);
    });

    it('an invalid document is not cached', async () => {
      docs.route(
        '/fixed',
        json(documentFor('https://other.test/doc'), { 'cache-control': 'max-age=300' }),
      );
      expect(await failure(id('/fixed'))).toMatchObject({ code: 'invalid_document' });
      serve('/fixed', {}, { 'cache-control': 'max-age=300' });
      await expect(resolver.resolve(id('/fixed'))).resolves.toMatchObject({ host: 'cimd.test' });
      expect(docs.requests('/fixed')).toBe(2);
    });

    it('concurrent resolves of one URL share one fetch', async () => {
      serve('/shared', {}, { 'cache-control': 'max-age=300' });
      await Promise.all([1, 2, 3, 4].map(() => resolver.resolve(id('/shared'))));
      expect(docs.requests('/shared')).toBe(1);
    });

    it('the configured maximum bounds a long max-age', async () => {
      const bounded = await resolverWith({
        clientIdMetadataDocuments: { minCacheSeconds: 0, maxCacheSeconds: 1 },
      });
      serve('/bounded', {}, { 'cache-control': 'max-age=86400' });
      const first = await bounded.resolve(id('/bounded'));
      expect(first.expiresAtMs - Date.now()).toBeLessThanOrEqual(1000);
    });
  });
});
