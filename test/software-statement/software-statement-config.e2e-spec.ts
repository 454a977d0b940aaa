import { DcrModule } from '../../lib/dcr.module.js';
import { ADAPTERS } from '../support/adapters.js';
import { useDcrApp } from '../support/suite-app.js';
import { startJwksServer, type JwksServer } from './jwks-server.js';
import { register } from '../support/register.js';
import { generateSigningKey, signStatement, type SigningKey } from './signing-keys.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

const ISSUER = 'https://directory.example';
const BODY = { client_name: 'Name from the body', redirect_uris: ['https://body.example/cb'] };
const CLAIMS = { iss: ISSUER, client_name: 'Name from the statement', software_id: 'app-1' };

describe.each(ADAPTERS)('software statements, module configurations (%s)', (adapter) => {
  let key: SigningKey;
  beforeAll(async () => {
    key = await generateSigningKey('ES256', 'k1');
  });

  describe('without trusted issuers (the default)', () => {
    const { url } = useDcrApp(adapter, () =>
      DcrModule.forRoot({ registration: OPEN_REGISTRATION }),
    );

    it('ignores a statement: its claims are not applied, it is not echoed', async () => {
      const statement = await signStatement(key, CLAIMS);
      const res = await register(url(), { ...BODY, software_statement: statement });
      expect(res.status).toBe(201);
      expect(res.body.client_name).toBe(BODY.client_name);
      expect(res.body.software_statement).toBeUndefined();
    });

    it('ignores even a statement that would not verify', async () => {
      const res = await register(url(), { ...BODY, software_statement: 'garbage' });
      expect(res.status).toBe(201);
      expect(res.body.client_name).toBe(BODY.client_name);
      expect(res.body.software_statement).toBeUndefined();
    });
  });

  describe('with required: true', () => {
    const { url } = useDcrApp(adapter, () =>
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        softwareStatements: {
          issuers: [{ issuer: ISSUER, keys: [key.publicJwk] }],
          required: true,
        },
      }),
    );

    it('refuses a registration without a statement with invalid_software_statement', async () => {
      const res = await register(url(), BODY);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        error: 'invalid_software_statement',
        error_description: 'a software_statement is required',
      });
    });

    it('registers with a valid statement', async () => {
      const statement = await signStatement(key, CLAIMS);
      const res = await register(url(), { ...BODY, software_statement: statement });
      expect(res.status).toBe(201);
      expect(res.body.client_name).toBe(CLAIMS.client_name);
      expect(res.body.software_id).toBe(CLAIMS.software_id);
    });
  });

  describe('under concurrent first registrations', () => {
    let jwks: JwksServer;
    beforeAll(async () => {
      jwks = await startJwksServer([key.publicJwk]);
    });
    const { url } = useDcrApp(adapter, () =>
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        softwareStatements: { issuers: [{ issuer: ISSUER, jwksUri: jwks.jwksUri }] },
      }),
    );
    afterAll(() => jwks.close());

    it('fetches the JWKS once for all of them', async () => {
      const statements = await Promise.all(
        Array.from({ length: 8 }, () => signStatement(key, CLAIMS)),
      );
      const results = await Promise.all(
        statements.map((statement) => register(url(), { ...BODY, software_statement: statement })),
      );
      expect(results.map((res) => res.status)).toEqual(Array(8).fill(201));
      expect(jwks.fetches).toBe(1);
    });
  });

  describe('when the issuer rotates its keys (jwksCooldownSeconds: 0)', () => {
    let rotated: SigningKey;
    let jwks: JwksServer;
    beforeAll(async () => {
      rotated = await generateSigningKey('RS256', 'k2');
      jwks = await startJwksServer([key.publicJwk]);
    });
    const { url } = useDcrApp(adapter, () =>
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        softwareStatements: {
          issuers: [{ issuer: ISSUER, jwksUri: jwks.jwksUri }],
          jwksCooldownSeconds: 0,
        },
      }),
    );
    afterAll(() => jwks.close());

    it('fetches the JWKS again for an unknown kid, and then knows the new key', async () => {
      expect(
        (await register(url(), { ...BODY, software_statement: await signStatement(key, CLAIMS) }))
          .status,
      ).toBe(201);
      expect(jwks.fetches).toBe(1);
      jwks.publish([key.publicJwk, rotated.publicJwk]);
      const res = await register(url(), {
        ...BODY,
        software_statement: await signStatement(rotated, CLAIMS),
      });
      expect(res.status).toBe(201);
      expect(jwks.fetches).toBe(2);
      expect(
        (
          await register(url(), {
            ...BODY,
            software_statement: await signStatement(rotated, CLAIMS),
          })
        ).status,
      ).toBe(201);
      expect(jwks.fetches).toBe(2);
    });

    it('answers 503 when the JWKS cannot be fetched, and keeps using cached keys', async () => {
      jwks.publish([], 500);
      const unknown = await generateSigningKey('ES256', 'k3');
      const res = await register(url(), {
        software_statement: await signStatement(unknown, CLAIMS),
      });
      expect(res.status).toBe(503);
      expect(res.body.error).toBe('temporarily_unavailable');
      const cached = await register(url(), {
        ...BODY,
        software_statement: await signStatement(key, CLAIMS),
      });
      expect(cached.status).toBe(201);
    });
  });
});
