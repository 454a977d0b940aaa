import type { ScenarioDefinition } from './scenario.js';

/**
 * Every row of `npm run bench`, in the order they run. To add one: write a
 * module under servers/ exporting `startServer` (see scenario.ts) and list it
 * here. `adapter` decides which bare Nest row a scenario is compared with.
 */
/** Rounds for the rows whose ratios the benchmark goals read (see ScenarioDefinition.rounds). */
const GOAL_ROUNDS = 3;
/**
 * The token goal rows' rounds (client_credentials and refresh): one 10 s
 * round of them varies by ±15% and more on a shared 2-core machine.
 */
const TOKEN_GOAL_ROUNDS = 5;
/** Token rows, the anchor included: measured under the same load, the host settled after ~5 s. */
const TOKEN_WARMUP_SECONDS = 5;
/**
 * Codes each code exchange row mints before its load (each is exchanged
 * once, shared by the warm-up and the load in proportion to their seconds):
 * 4-11 s of measured load at the host on a busy 2-core machine. They expire
 * 60 s after minting, so minting them (the host on PGlite mints ~200 codes/s
 * there) must stay well under that.
 */
const CODES_PER_ROW = '3000';
/** Start-up of a code row: the host's, a sign-in, then the minting. */
const CODE_ROW_START_TIMEOUT_MS = 120_000;

/** The code exchange and refresh rows: each grant at plain oidc-provider (the anchor), then at the host. */
function grantRows(grant: 'code' | 'refresh', what: string): ScenarioDefinition[] {
  const anchor = `${grant}-oidc-provider`;
  const row = {
    adapter: 'koa',
    anchor,
    minWarmupSeconds: TOKEN_WARMUP_SECONDS,
    // A code row spends its minted codes: one round (its margin is wide).
    ...(grant === 'code'
      ? { startTimeoutMs: CODE_ROW_START_TIMEOUT_MS }
      : { rounds: TOKEN_GOAL_ROUNDS }),
  } as const;
  const params = { grant, ...(grant === 'code' && { codes: CODES_PER_ROW }) };
  return [
    {
      ...row,
      id: anchor,
      label: `node-oidc-provider 9, token ${what}, static client`,
      server: 'grant-oidc-provider.js',
      params,
    },
    {
      ...row,
      id: `${grant}-host-pglite`,
      label: `the host, token ${what}, PGlite`,
      server: 'sample-host-grant.js',
      params: { ...params, store: 'pglite' },
    },
    {
      ...row,
      id: `${grant}-host-postgres`,
      label: `the host, token ${what}, PostgreSQL`,
      server: 'sample-host-grant.js',
      params: { ...params, store: 'postgres' },
    },
  ];
}

export const SCENARIOS: readonly ScenarioDefinition[] = [
  { id: 'ceiling', label: 'raw node:http (ceiling)', adapter: 'node:http', server: 'raw-http.js' },
  {
    id: 'bare-nest-express',
    label: 'bare Nest controller',
    adapter: 'express',
    server: 'bare-nest.js',
    params: { adapter: 'express' },
  },
  {
    id: 'bare-nest-fastify',
    label: 'bare Nest controller',
    adapter: 'fastify',
    server: 'bare-nest.js',
    params: { adapter: 'fastify' },
    rounds: GOAL_ROUNDS,
  },
  {
    id: 'dcr-open-memory-express',
    label: 'DcrModule, open, in-memory',
    adapter: 'express',
    server: 'dcr-open.js',
    params: { adapter: 'express' },
  },
  {
    id: 'dcr-open-memory-fastify',
    label: 'DcrModule, open, in-memory',
    adapter: 'fastify',
    server: 'dcr-open.js',
    params: { adapter: 'fastify' },
    rounds: GOAL_ROUNDS,
  },
  {
    id: 'dcr-bearer-memory-express',
    label: 'DcrModule, RS256 bearer, in-memory',
    adapter: 'express',
    server: 'dcr-bearer.js',
    params: { adapter: 'express' },
  },
  {
    id: 'dcr-bearer-memory-fastify',
    label: 'DcrModule, RS256 bearer, in-memory',
    adapter: 'fastify',
    server: 'dcr-bearer.js',
    params: { adapter: 'fastify' },
    rounds: GOAL_ROUNDS,
  },
  {
    id: 'dcr-bearer-nocache-memory-express',
    label: 'DcrModule, RS256 bearer, no token cache, in-memory',
    adapter: 'express',
    server: 'dcr-bearer.js',
    params: { adapter: 'express', cache: 'off' },
  },
  {
    id: 'dcr-bearer-nocache-memory-fastify',
    label: 'DcrModule, RS256 bearer, no token cache, in-memory',
    adapter: 'fastify',
    server: 'dcr-bearer.js',
    params: { adapter: 'fastify', cache: 'off' },
  },
  {
    id: 'oidc-provider',
    label: 'node-oidc-provider 9, initial access token',
    adapter: 'koa',
    server: 'oidc-provider.js',
  },
  {
    id: 'dcr-open-pglite-fastify',
    label: 'DcrModule, open, PGlite (dataDir)',
    adapter: 'fastify',
    server: 'dcr-pglite.js',
    params: { adapter: 'fastify' },
  },
  {
    id: 'dcr-open-postgres-express',
    label: 'DcrModule, open, PostgreSQL',
    adapter: 'express',
    server: 'dcr-postgres.js',
    params: { adapter: 'express', schema: 'bench_dcr' },
  },
  {
    id: 'dcr-open-postgres-fastify',
    label: 'DcrModule, open, PostgreSQL',
    adapter: 'fastify',
    server: 'dcr-postgres.js',
    params: { adapter: 'fastify', schema: 'bench_dcr' },
    rounds: GOAL_ROUNDS,
  },
  {
    id: 'dcr-open-postgres-pool20-fastify',
    label: 'DcrModule, open, PostgreSQL, pool of 20',
    adapter: 'fastify',
    server: 'dcr-postgres.js',
    params: { adapter: 'fastify', schema: 'bench_dcr', maxConnections: '20' },
  },
  {
    id: 'dcr-open-postgres-1m-fastify',
    label: 'DcrModule, open, PostgreSQL, 1M clients stored',
    adapter: 'fastify',
    server: 'dcr-postgres.js',
    params: { adapter: 'fastify', schema: 'bench_dcr_1m', seededClients: '1000000' },
    // Seeding a million rows the first time (later runs reuse them).
    startTimeoutMs: 90_000,
  },
  {
    id: 'host-register-pglite',
    label: 'the host (sample-app), registration, bootstrap bearer, PGlite',
    adapter: 'express',
    server: 'sample-host-token.js',
    params: { store: 'pglite', target: 'register' },
    minWarmupSeconds: TOKEN_WARMUP_SECONDS,
  },
  {
    id: 'token-oidc-provider',
    label: 'node-oidc-provider 9, token client_credentials, static client',
    adapter: 'koa',
    anchor: 'token-oidc-provider',
    minWarmupSeconds: TOKEN_WARMUP_SECONDS,
    server: 'token-oidc-provider.js',
    rounds: TOKEN_GOAL_ROUNDS,
  },
  {
    id: 'token-host-pglite',
    label: 'the host, token client_credentials, PGlite',
    adapter: 'koa',
    anchor: 'token-oidc-provider',
    minWarmupSeconds: TOKEN_WARMUP_SECONDS,
    server: 'sample-host-token.js',
    params: { store: 'pglite' },
    rounds: TOKEN_GOAL_ROUNDS,
  },
  {
    id: 'token-host-postgres',
    label: 'the host, token client_credentials, PostgreSQL',
    adapter: 'koa',
    anchor: 'token-oidc-provider',
    minWarmupSeconds: TOKEN_WARMUP_SECONDS,
    server: 'sample-host-token.js',
    params: { store: 'postgres' },
    rounds: TOKEN_GOAL_ROUNDS,
  },
  {
    id: 'token-host-postgres-2',
    label: 'two hosts, one PostgreSQL, round robin, token client_credentials',
    adapter: 'koa',
    anchor: 'token-oidc-provider',
    minWarmupSeconds: TOKEN_WARMUP_SECONDS,
    server: 'sample-host-token.js',
    params: { store: 'postgres', instances: '2' },
  },
  ...grantRows('code', 'authorization_code (PKCE)'),
  ...grantRows('refresh', 'refresh_token'),
];

/** The rows every other row is compared with. */
export const CEILING_ID = 'ceiling';
export const OIDC_PROVIDER_ID = 'oidc-provider';
export const BARE_NEST_ID: Readonly<Record<string, string>> = {
  express: 'bare-nest-express',
  fastify: 'bare-nest-fastify',
};
