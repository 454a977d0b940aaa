import { DcrModule } from '../../lib/dcr.module.js';
import { ADAPTERS } from '../support/adapters.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';
import { useDcrApp } from '../support/suite-app.js';
import { register } from './register.js';

const WEB = { redirect_uris: ['https://app.example.com/cb'] };
const M = 'invalid_client_metadata';
const R = 'invalid_redirect_uri';

/** Hosts that name an internal address, spelled as the WHATWG parser accepts them. */
const INTERNAL_HOSTS = [
  '169.254.169.254',
  '[::1]',
  '10.0.0.1',
  '0.0.0.0',
  '0',
  '127.1',
  '2130706433',
  '0x7f.0.0.1',
  '0177.0.0.1',
  '0xa9fea9fe',
  '[::ffff:169.254.169.254]',
  '[::ffff:7f00:1]',
  '[64:ff9b::a9fe:a9fe]',
  '[fd00::1]',
  '192.168.1.10:8443',
];

const DOT_SEGMENT_REDIRECTS = [
  'https://app.example.com/a/../cb',
  'https://app.example.com/../cb',
  'https://app.example.com/a/..;/cb',
  'https://app.example.com/a/%2e%2e/cb',
  'https://app.example.com/a/.%2E/cb',
  'https://app.example.com/./cb',
  'https://app.example.com/cb/..',
  'http://localhost:3000/a/../cb',
];

const rejections: {
  title: string;
  body: Record<string, unknown>;
  error: string;
  member: string;
}[] = [
  ...INTERNAL_HOSTS.map((host) => ({
    title: `jwks_uri on ${host}`,
    body: { ...WEB, jwks_uri: `https://${host}/jwks.json` },
    error: M,
    member: 'jwks_uri',
  })),
  ...INTERNAL_HOSTS.map((host) => ({
    title: `sector_identifier_uri on ${host}`,
    body: { ...WEB, sector_identifier_uri: `https://${host}/sector.json` },
    error: M,
    member: 'sector_identifier_uri',
  })),
  ...['10.0.0.1', '169.254.169.254', '127.0.0.2', '[::ffff:127.0.0.1]', '0x0a000001'].map(
    (host) => ({
      title: `a redirect URI on ${host}`,
      body: { redirect_uris: [`https://${host}/cb`] },
      error: R,
      member: 'redirect_uris',
    }),
  ),
  {
    title: 'logo_uri on a private address',
    body: { ...WEB, logo_uri: 'https://192.168.0.1/logo.png' },
    error: M,
    member: 'logo_uri',
  },
  {
    title: 'a language-tagged policy_uri on loopback',
    body: { ...WEB, 'policy_uri#de': 'https://127.0.0.1/policy' },
    error: M,
    member: 'policy_uri#de',
  },
  ...[
    'https://*.example.com/cb',
    'https://app.*.example.com/cb',
    'https://%2A.example.com/cb',
    'com.example.app://*/cb',
  ].map((uri) => ({
    title: `a wildcard redirect URI ${uri}`,
    body: { application_type: uri.startsWith('com.') ? 'native' : 'web', redirect_uris: [uri] },
    error: R,
    member: 'redirect_uris',
  })),
  {
    title: 'a wildcard client_uri',
    body: { ...WEB, client_uri: 'https://*.example.com/' },
    error: M,
    member: 'client_uri',
  },
  ...DOT_SEGMENT_REDIRECTS.map((uri) => ({
    title: `a dot-segment redirect URI ${uri}`,
    body: { redirect_uris: [uri] },
    error: R,
    member: 'redirect_uris',
  })),
  {
    title: 'a dot-segment native redirect URI',
    body: { application_type: 'native', redirect_uris: ['com.example.app:/a/../cb'] },
    error: R,
    member: 'redirect_uris',
  },
  {
    title: 'a dot-segment post_logout_redirect_uri',
    body: { ...WEB, post_logout_redirect_uris: ['https://app.example.com/a/../out'] },
    error: M,
    member: 'post_logout_redirect_uris',
  },
];

const acceptances: { title: string; body: Record<string, unknown> }[] = [
  { title: 'a public IPv4 literal', body: { ...WEB, jwks_uri: 'https://8.8.8.8/jwks.json' } },
  { title: 'a public IPv6 literal', body: { ...WEB, client_uri: 'https://[2606:4700::1111]/' } },
  { title: 'a loopback redirect URI', body: { redirect_uris: ['http://127.0.0.1:3000/cb'] } },
  { title: 'an IPv6 loopback redirect URI', body: { redirect_uris: ['http://[::1]/cb'] } },
  { title: 'dots inside a segment', body: { redirect_uris: ['https://app.example.com/a..b/.cb'] } },
  { title: 'dots in the query', body: { redirect_uris: ['https://app.example.com/cb?next=../x'] } },
];

describe.each(ADAPTERS)('URI host and path rules (%s)', (adapter) => {
  const { url } = useDcrApp(adapter, () => DcrModule.forRoot({ registration: OPEN_REGISTRATION }));

  it.each(rejections)('rejects $title with $error', async ({ body, error, member }) => {
    const reply = await register(url(), body);
    expect(reply.status).toBe(400);
    expect(reply.body.error).toBe(error);
    expect(String(reply.body.error_description)).toMatch(new RegExp(`^${member} `));
  });

  it.each(acceptances)('accepts $title', async ({ body }) => {
    const reply = await register(url(), body);
    expect(reply.status).toBe(201);
  });
});
