import type { INestApplication } from '@nestjs/common';
import { DcrModule } from '../../lib/dcr.module.js';
import type { ResolvedAddress } from '../../lib/fetch/outbound-fetch.options.js';
import { ClientStore } from '../../lib/store/client-store.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';
import { register } from '../support/register.js';
import {
  json,
  startTestDocumentServers,
  type TestHttpsServer,
  type TestTls,
} from '../support/test-https.js';

const REDIRECTS = ['https://app.example.com/cb', 'https://app.example.com/other'];
const NAMES: Record<string, ResolvedAddress[]> = {
  'sector.test': [{ address: '127.0.0.1', family: 4 }],
  'internal.test': [{ address: '10.20.30.40', family: 4 }],
  'rebound.test': [{ address: '127.0.0.1', family: 4 }],
};

describe.each(ADAPTERS)('sector_identifier_uri (%s)', (adapter) => {
  let tls: TestTls;
  let sector: TestHttpsServer;
  let canary: TestHttpsServer;
  let app: INestApplication;
  let url: string;
  const sectorUri = (path: string) => `https://sector.test:${sector.port}${path}`;

  beforeAll(async () => {
    ({
      tls,
      docs: sector,
      canary,
    } = await startTestDocumentServers(['sector.test', 'rebound.test']));
    sector.route('/all.json', json([...REDIRECTS, 'https://elsewhere.example.com/cb']));
    sector.route('/one.json', json([REDIRECTS[0]]));
    sector.route('/object.json', json({ redirect_uris: REDIRECTS }));
    sector.route('/numbers.json', json([REDIRECTS[0], 7]));
    sector.route('/text', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(JSON.stringify(REDIRECTS));
    });
    app = await startApp(
      adapter,
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        publicBaseUrl: 'https://id.example.com',
        fetch: {
          ca: tls.caCert,
          allowHosts: [`sector.test:${sector.port}`],
          resolveHost: (name) => Promise.resolve(NAMES[name] ?? []),
          timeoutMs: 1000,
        },
      }),
    );
    url = (await baseUrl(app)) + '/connect/dcr';
  });
  afterAll(async () => {
    await app?.close();
    await sector.close();
    await canary.close();
  });

  it('accepts a document that lists every redirect URI, fetching it once', async () => {
    const before = sector.requests('/all.json');
    const reply = await register(url, {
      redirect_uris: REDIRECTS,
      sector_identifier_uri: sectorUri('/all.json'),
      subject_type: 'pairwise',
    });
    expect(reply.status).toBe(201);
    expect(reply.body.sector_identifier_uri).toBe(sectorUri('/all.json'));
    expect(sector.requests('/all.json')).toBe(before + 1);
  });

  it.each([
    ['/one.json', /does not list the redirect URI "https:\/\/app.example.com\/other"/],
    ['/object.json', /must name a JSON array of strings/],
    ['/numbers.json', /must name a JSON array of strings/],
    ['/text', /could not be fetched: answered with content type "text\/plain"/],
    ['/missing.json', /could not be fetched: answered HTTP 404/],
  ])('refuses %s with a 400 that says why', async (path, description) => {
    const reply = await register(url, {
      redirect_uris: REDIRECTS,
      sector_identifier_uri: sectorUri(path),
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe('invalid_client_metadata');
    expect(reply.body.error_description).toMatch(/^sector_identifier_uri /);
    expect(reply.body.error_description).toMatch(description);
  });

  it.each(['internal.test', 'rebound.test'])(
    'refuses a host that resolves internally (%s) without contacting it',
    async (name) => {
      const before = canary.connections();
      const reply = await register(url, {
        redirect_uris: REDIRECTS,
        sector_identifier_uri: `https://${name}:${canary.port}/all.json`,
      });
      expect(reply.status).toBe(400);
      expect(reply.body.error).toBe('invalid_client_metadata');
      expect(reply.body.error_description).toMatch(/special-purpose/);
      expect(canary.connections()).toBe(before);
    },
  );

  it('refuses a document that stops answering, as a 400', async () => {
    sector.route('/slow.json', () => undefined);
    const reply = await register(url, {
      redirect_uris: REDIRECTS,
      sector_identifier_uri: sectorUri('/slow.json'),
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error_description).toMatch(/could not be fetched: did not answer within/);
  });

  it('checks the document again on an RFC 7592 update, leaving the client as it was', async () => {
    const created = await register(url, {
      redirect_uris: [REDIRECTS[0]],
      sector_identifier_uri: sectorUri('/one.json'),
    });
    expect(created.status).toBe(201);
    const clientUrl = `${url}/${String(created.body.client_id)}`;
    const update = await fetch(clientUrl, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${String(created.body.registration_access_token)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        client_id: created.body.client_id,
        client_secret: created.body.client_secret,
        redirect_uris: REDIRECTS,
        sector_identifier_uri: sectorUri('/one.json'),
      }),
    });
    expect(update.status).toBe(400);
    expect(await update.json()).toMatchObject({
      error: 'invalid_client_metadata',
      error_description: expect.stringMatching(/does not list the redirect URI/),
    });
    const stored = await app.get(ClientStore).findById(String(created.body.client_id));
    expect(stored?.metadata.redirect_uris).toEqual([REDIRECTS[0]]);
  });
});
