import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import fc from 'fast-check';
import { DcrModule } from '../../lib/dcr.module.js';
import { InMemoryClientStore } from '../../lib/store/in-memory-client-store.js';
import type { StoredClient } from '../../lib/store/stored-client.js';
import { ADAPTERS, type AdapterName } from '../support/adapters.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';
import { TEST_DATABASE_URL, useTestSchemas } from '../support/postgres.js';
import { useDcrApp } from '../support/suite-app.js';

/**
 * Property-based fuzzing of the registration endpoint (issue 15): mutations
 * of valid metadata must never get a 5xx, always get a JSON object (a string
 * `error` on every 4xx), and no client may be stored without a 201.
 * Seeded and bounded: the same bodies every run, a few seconds per store.
 */
const SEED = 20261201;
const RUNS = 120;

/** The in-memory store, counting the clients it really created. */
@Injectable()
class CountingClientStore extends InMemoryClientStore {
  static created = 0;
  override async create(client: StoredClient): Promise<void> {
    await super.create(client);
    CountingClientStore.created += 1;
  }
}

const VALID = {
  redirect_uris: ['https://app.example.com/cb'],
  client_name: 'Fuzzed app',
  'client_name#ja': 'ファズ',
  grant_types: ['authorization_code', 'refresh_token'],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'openid',
  contacts: ['ops@example.com'],
  logo_uri: 'https://app.example.com/logo.png',
  software_id: 'com.example.fuzz',
};

const MEMBERS = [
  ...Object.keys(VALID),
  'response_types',
  'application_type',
  'client_uri',
  'policy_uri',
  'tos_uri',
  'jwks',
  'jwks_uri',
  'software_version',
  'software_statement',
  'sector_identifier_uri',
  'subject_type',
  'default_max_age',
  'require_auth_time',
  'post_logout_redirect_uris',
  'tls_client_auth_subject_dn',
  'client_id',
  'client_secret',
  'client_name#',
  'client_name#en-US',
  'logo_uri#fr',
  '__proto__',
  'constructor',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const oddCharacter = fc.oneof(
  loneSurrogate,
  fc.constantFrom('\u0000', '\u202e', '\u200b', '\u2066', '\ufeff', '\uffff', '\n', '"', '\\'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc
    .tuple(fc.string({ maxLength: 8 }), oddCharacter, fc.string({ maxLength: 8 }))
    .map((parts) => parts.join('')),
  fc.constantFrom(
    '',
    ' ',
    'https://app.example.com/cb',
    'javascript:alert(1)',
    'http://localhost.evil.test/cb',
    'com.example.app:/cb',
    'none',
    'private_key_jwt',
    'native',
  ),
  fc
    .tuple(
      fc.constantFrom('x', 'é', '\u{1F680}', 'https://a.example/'),
      fc.integer({ min: 150, max: 40_000 }),
    )
    .map(([unit, times]) => unit.repeat(times)),
);
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  oddString,
  fc.array(oddString, { maxLength: 6 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, 1.5, 2 ** 53, [], {}, [[]], { keys: [] }),
  fc.dictionary(oddString, oddString, { maxKeys: 4 }),
  fc.record({
    keys: fc.array(fc.dictionary(oddString, oddValueLeaf(), { maxKeys: 4 }), { maxLength: 3 }),
  }),
);
function oddValueLeaf(): fc.Arbitrary<unknown> {
  return fc.oneof(oddString, fc.integer(), fc.constant(null));
}

type Mutation = (metadata: Record<string, unknown>) => void;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.constantFrom(...MEMBERS), oddValue).map(([member, value]): Mutation => (m) => {
    m[member] = value;
  }),
  fc.tuple(oddString, oddValue).map(([member, value]): Mutation => (m) => {
    m[member] = value;
  }),
  fc.constantFrom(...MEMBERS).map((member): Mutation => (m) => {
    delete m[member];
  }),
);

/** What is done to the JSON text after it is written. */
type TextMutation = (text: string) => string;
const DEEP = (depth: number, open: string, close: string) =>
  open.repeat(depth) + close.repeat(depth);
const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant((text: string) => text) },
  // repeated keys: the parser keeps one, but the validator must agree with what it kept
  fc.tuple(fc.constantFrom(...MEMBERS), oddValue).map(
    ([member, value]): TextMutation =>
      (text) =>
        `{${JSON.stringify(member)}:${JSON.stringify(value) ?? 'null'},${text.slice(1)}`,
  ),
  // deep nesting, inside a member or as the whole body
  fc
    .tuple(
      fc.constantFrom('jwks', 'client_name', 'contacts'),
      fc.integer({ min: 10, max: 20_000 }),
      fc.boolean(),
    )
    .map(
      ([member, depth, arrays]): TextMutation =>
        (text) =>
          `{"${member}":${arrays ? DEEP(depth, '[', ']') : DEEP(depth, '{"a":', '}').replace(/:}/, ':1}')},${text.slice(1)}`,
    ),
  fc.integer({ min: 10, max: 20_000 }).map(
    (depth): TextMutation =>
      () =>
        DEEP(depth, '[', ']'),
  ),
  // truncated, numbers JSON.stringify never writes, raw escapes
  fc.integer({ min: 1, max: 200 }).map(
    (cut): TextMutation =>
      (text) =>
        text.slice(0, -cut),
  ),
  fc.constantFrom(
    (text: string) => text.replace('"Fuzzed app"', '1e400'),
    (text: string) => text.replace('"Fuzzed app"', '"\\ud800\\u0000"'),
    (text: string) => text.replace('"Fuzzed app"', '-0'),
    (text: string) => '\ufeff' + text,
    () => '',
    () => 'null',
    () => '"a string"',
  ),
);

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  fc.constantFrom(
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'APPLICATION/JSON',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/jose',
    'multipart/form-data; boundary=x',
    '',
  ),
);

type Encoding = [header: string | undefined, encode: (body: Buffer) => Buffer];
const encoding: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Encoding>([undefined, (b) => b]) },
  fc.constantFrom<Encoding>(
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
    ['gzip', (b) => b],
    ['identity', (b) => b],
    ['x-unknown', (b) => b],
  ),
);

const request = fc.record({
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  text: textMutation,
  contentType,
  encoding,
});

interface Outcome {
  status: number;
  body: unknown;
  /** What was sent, for the failure message (fast-check prints the mutations as functions). */
  sent: string;
}

type Sample = typeof request extends fc.Arbitrary<infer T> ? T : never;

async function send(url: string, sample: Sample): Promise<Outcome> {
  const metadata: Record<string, unknown> = structuredClone(VALID);
  for (const mutate of sample.mutations) mutate(metadata);
  const text = sample.text(JSON.stringify(metadata));
  const [header, encode] = sample.encoding;
  const headers: Record<string, string> = {};
  if (sample.contentType !== '') headers['content-type'] = sample.contentType;
  if (header !== undefined) headers['content-encoding'] = header;
  const res = await fetch(url, { method: 'POST', headers, body: encode(Buffer.from(text)) });
  const raw = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    body = raw;
  }
  const original = VALID as Record<string, unknown>;
  const short = (value: unknown) => (JSON.stringify(value) ?? 'undefined').slice(0, 60);
  const changed = Object.keys({ ...original, ...metadata })
    .filter((key) => JSON.stringify(metadata[key]) !== JSON.stringify(original[key]))
    .map((key) => `${short(key)}: ${key in metadata ? short(metadata[key]) : '(removed)'}`);
  const sent = `${JSON.stringify(headers)}, ${text.length} chars, changed ${changed.join('; ')}`;
  return { status: res.status, body, sent };
}

/** A JSON object, with a string `error` whenever the status is 4xx. */
function answersProperly({ status, body }: Outcome): boolean {
  if (status >= 500) return false;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  if (status >= 400) return typeof (body as { error?: unknown }).error === 'string';
  return true;
}

const { pool, freshSchema } = useTestSchemas();
type Store = 'in-memory' | 'PostgreSQL';
const MATRIX = ADAPTERS.flatMap((adapter) =>
  (['in-memory', 'PostgreSQL'] as Store[]).map((store) => [adapter, store] as const),
);

describe.each(MATRIX)('fuzzed registrations (%s, %s store)', (adapter: AdapterName, store) => {
  const schema = freshSchema('fuzz');
  const { url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({
      registration: OPEN_REGISTRATION,
      allowedScopes: ['openid', 'profile'],
      publicBaseUrl: 'https://id.example.com',
      ...(store === 'in-memory'
        ? { store: CountingClientStore }
        : { storage: { kind: 'postgres', connectionString: TEST_DATABASE_URL, schema } }),
    }),
  );

  async function storedClients(): Promise<number> {
    if (store === 'in-memory') return CountingClientStore.created;
    const { rows } = await pool().query<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema}".dcr_clients`,
    );
    return Number(rows[0]!.n);
  }

  it('never answers 5xx, always a JSON object with a string error on 4xx, stores only with 201', async () => {
    CountingClientStore.created = 0;
    let created = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (sample) => {
        const outcome = await send(url(), sample);
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        if (outcome.status === 201) created += 1;
        if (!answersProperly(outcome)) {
          throw new Error(
            `answered ${outcome.status}: ${JSON.stringify(outcome.body).slice(0, 300)} ` +
              `to ${outcome.sent.slice(0, 600)}`,
          );
        }
        expect(await storedClients()).toBe(created);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The mutations reach both sides: some bodies still register, most are refused.
    expect(statuses.get(201)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(statuses.get(415)).toBeGreaterThan(0);
  });
});
