import { GuardedOutboundFetcher } from '../../lib/fetch/guarded-outbound-fetcher.js';
import type { OutboundFetchErrorCode } from '../../lib/fetch/outbound-fetch.errors.js';
import {
  resolveOutboundFetchOptions,
  type OutboundFetchOptions,
  type ResolvedAddress,
} from '../../lib/fetch/outbound-fetch.options.js';
import {
  json,
  startTestDocumentServers,
  type TestHttpsServer,
  type TestTls,
} from '../support/test-https.js';

const JSON_ONLY = { contentTypes: ['application/json'] };

/** Test names and what they resolve to: the document host is on the allow list, the rest are not. */
const NAMES: Record<string, ResolvedAddress[]> = {
  'doc.test': [{ address: '127.0.0.1', family: 4 }],
  'loopback.test': [{ address: '127.0.0.1', family: 4 }],
  'private.test': [{ address: '10.0.0.7', family: 4 }],
  'metadata.test': [{ address: '169.254.169.254', family: 4 }],
  'mapped.test': [{ address: '::ffff:127.0.0.1', family: 6 }],
};

describe('GuardedOutboundFetcher', () => {
  let tls: TestTls;
  let docs: TestHttpsServer;
  let canary: TestHttpsServer;

  const resolveHost = (hostname: string) => Promise.resolve(NAMES[hostname] ?? []);
  const fetcher = (options: OutboundFetchOptions = {}) =>
    new GuardedOutboundFetcher(
      resolveOutboundFetchOptions({
        ca: tls.caCert,
        allowHosts: [`doc.test:${docs.port}`],
        resolveHost,
        ...options,
      }),
    );
  const code = (promise: Promise<unknown>) =>
    promise.then(
      () => 'fetched',
      (error: { code?: OutboundFetchErrorCode }) => error.code,
    );

  beforeAll(async () => {
    ({ tls, docs, canary } = await startTestDocumentServers([
      'doc.test',
      'loopback.test',
      'mapped.test',
    ]));
  });
  afterAll(async () => {
    await docs.close();
    await canary.close();
  });

  it('fetches an allowed host over https with the test CA', async () => {
    docs.route('/ok', json({ hello: 'world' }, { 'cache-control': 'max-age=60' }));
    const { value, headers } = await fetcher().fetchJson(
      `https://doc.test:${docs.port}/ok`,
      JSON_ONLY,
    );
    expect(value).toEqual({ hello: 'world' });
    expect(headers['cache-control']).toBe('max-age=60');
  });

  it('refuses a server whose certificate Node does not trust', async () => {
    docs.route('/ok', json({}));
    const untrusting = new GuardedOutboundFetcher(
      resolveOutboundFetchOptions({ allowHosts: [`doc.test:${docs.port}`], resolveHost }),
    );
    await expect(
      code(untrusting.fetch(`https://doc.test:${docs.port}/ok`, JSON_ONLY)),
    ).resolves.toBe('connect_failed');
  });

  describe('never connects to a special-purpose address', () => {
    it.each(['loopback.test', 'private.test', 'metadata.test', 'mapped.test'])(
      'a name resolving internally: %s',
      async (name) => {
        const before = canary.connections();
        await expect(
          code(fetcher().fetch(`https://${name}:${canary.port}/`, JSON_ONLY)),
        ).resolves.toBe('blocked_address');
        expect(canary.connections()).toBe(before);
      },
    );

    it.each([
      '127.0.0.1',
      '127.1',
      '2130706433',
      '0x7f.0.0.1',
      '0177.0.0.1',
      '[::ffff:127.0.0.1]',
      '[::1]',
    ])('an IP literal: %s', async (host) => {
      const before = canary.connections();
      await expect(
        code(fetcher().fetch(`https://${host}:${canary.port}/`, JSON_ONLY)),
      ).resolves.toBe('blocked_address');
      expect(canary.connections()).toBe(before);
    });

    it('a redirect to an internal address is not followed', async () => {
      docs.route('/moved', (_req, res) => {
        res.writeHead(302, { location: `https://loopback.test:${canary.port}/` }).end();
      });
      const before = canary.connections();
      await expect(
        code(fetcher().fetch(`https://doc.test:${docs.port}/moved`, JSON_ONLY)),
      ).resolves.toBe('redirect');
      expect(canary.connections()).toBe(before);
    });

    it('the allow list names host:port, so the same host on another port is still refused', async () => {
      const before = canary.connections();
      await expect(
        code(fetcher().fetch(`https://doc.test:${canary.port}/`, JSON_ONLY)),
      ).resolves.toBe('blocked_address');
      expect(canary.connections()).toBe(before);
    });
  });

  it.each([
    ['http://doc.test/', 'invalid_url'],
    ['https://user:pw@doc.test/', 'invalid_url'],
    ['not a url', 'invalid_url'],
    ['https://unknown.test/', 'unresolved'],
  ])('refuses %s before connecting', async (url, expected) => {
    await expect(code(fetcher().fetch(url, JSON_ONLY))).resolves.toBe(expected);
  });

  it('refuses a status other than 200', async () => {
    await expect(
      code(fetcher().fetch(`https://doc.test:${docs.port}/missing`, JSON_ONLY)),
    ).resolves.toBe('status');
  });

  it('refuses a content type not asked for', async () => {
    docs.route('/html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>hi</p>');
    });
    await expect(
      code(fetcher().fetch(`https://doc.test:${docs.port}/html`, JSON_ONLY)),
    ).resolves.toBe('content_type');
  });

  it('refuses a body that is not JSON', async () => {
    docs.route('/broken', json('{"a":'));
    await expect(
      code(fetcher().fetchJson(`https://doc.test:${docs.port}/broken`, JSON_ONLY)),
    ).resolves.toBe('invalid_json');
  });

  it('refuses a Content-Length over the cap, and a streamed body that grows past it', async () => {
    docs.route('/big', json({ pad: 'x'.repeat(2000) }));
    docs.route('/streamed', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write('x'.repeat(512)), 5);
      res.on('close', () => clearInterval(timer));
    });
    const small = fetcher({ maxBodyBytes: 1024 });
    await expect(code(small.fetch(`https://doc.test:${docs.port}/big`, JSON_ONLY))).resolves.toBe(
      'too_large',
    );
    await expect(
      code(small.fetch(`https://doc.test:${docs.port}/streamed`, JSON_ONLY)),
    ).resolves.toBe('too_large');
    await expect(
      code(
        fetcher().fetch(`https://doc.test:${docs.port}/big`, { ...JSON_ONLY, maxBodyBytes: 100 }),
      ),
    ).resolves.toBe('too_large');
  });

  it('gives up on a server that does not answer in time', async () => {
    docs.route('/slow', () => undefined);
    await expect(
      code(fetcher({ timeoutMs: 300 }).fetch(`https://doc.test:${docs.port}/slow`, JSON_ONLY)),
    ).resolves.toBe('timeout');
  });

  it('fails start-up on a malformed allow-list entry', () => {
    expect(() => resolveOutboundFetchOptions({ allowHosts: ['Doc.Test:443'] })).toThrow(
      /fetch.allowHosts.*write it as "doc.test"/,
    );
    expect(() => resolveOutboundFetchOptions({ allowHosts: ['https://doc.test/'] })).toThrow(
      /fetch.allowHosts/,
    );
  });
});
