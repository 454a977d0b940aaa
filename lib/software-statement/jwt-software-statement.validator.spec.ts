import { resolveDcrOptions, type DcrModuleOptions } from '../dcr.options.js';
import { DcrException } from '../errors/dcr.exception.js';
import type { ClientMetadata } from '../metadata/client-metadata.js';
import { RegistrationContext } from '../registration/registration-context.js';
import { InMemoryClientStore } from '../store/in-memory-client-store.js';
import type { StoredClient } from '../store/stored-client.js';
import {
  generateSigningKey,
  nowSeconds,
  signStatement,
  type SigningKey,
} from '../../test/software-statement/signing-keys.js';
import { JwtSoftwareStatementValidator } from './jwt-software-statement.validator.js';

const ISSUER = 'https://directory|example';
const TOLERANCE = 30;

/** The in-memory store, recording what the validator asks it to remember. */
class RecordingStore extends InMemoryClientStore {
  readonly remembered: { key: string; expiresAt: number }[] = [];
  override rememberSoftwareStatementId(key: string, expiresAt: number, now: number) {
    this.remembered.push({ key, expiresAt });
    return super.rememberSoftwareStatementId(key, expiresAt, now);
  }
}

describe('JwtSoftwareStatementValidator', () => {
  let key: SigningKey;
  let store: RecordingStore;
  const context = (existingClient?: StoredClient) =>
    new RegistrationContext({}, undefined, {}, existingClient);
  const validator = (
    softwareStatements: Partial<NonNullable<DcrModuleOptions['softwareStatements']>>,
  ) =>
    new JwtSoftwareStatementValidator(
      resolveDcrOptions({
        softwareStatements: {
          issuers: [{ issuer: ISSUER, keys: [key.publicJwk] }],
          clockToleranceSeconds: TOLERANCE,
          ...softwareStatements,
        },
      }),
      store,
    );
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('the statement was accepted');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(DcrException);
        return (error as DcrException).body;
      },
    );

  beforeAll(async () => {
    key = await generateSigningKey('ES256', 'k1');
  });
  beforeEach(() => {
    store = new RecordingStore();
  });

  it('returns the statement as sent and its client claims, without the JWT claims', async () => {
    const statement = await signStatement(key, { iss: ISSUER, sub: 's', software_id: 'app' });
    const verified = await validator({}).validate(statement, context());
    expect(verified).toEqual({ statement, claims: { software_id: 'app' } });
  });

  it('returns undefined for an absent statement unless one is required', async () => {
    await expect(validator({}).validate(undefined, context())).resolves.toBeUndefined();
    expect(await failure(validator({ required: true }).validate(undefined, context()))).toEqual({
      error: 'invalid_software_statement',
      error_description: 'a software_statement is required',
    });
  });

  it('remembers iss and jti until the statement could no longer be accepted', async () => {
    const now = nowSeconds();
    const checker = validator({ replayProtection: true, maxAgeSeconds: 600 });
    await checker.validate(
      await signStatement(key, { iss: ISSUER, jti: 'a', iat: now, exp: now + 3600 }),
      context(),
    );
    await checker.validate(
      await signStatement(key, { iss: ISSUER, jti: 'b', iat: now, exp: now + 60 }),
      context(),
    );
    await checker.validate(
      await signStatement(key, { iss: ISSUER, jti: 'c', iat: now, exp: undefined }),
      context(),
    );
    expect(store.remembered).toEqual([
      { key: 'https%3A%2F%2Fdirectory%7Cexample|a', expiresAt: now + 600 + TOLERANCE },
      { key: 'https%3A%2F%2Fdirectory%7Cexample|b', expiresAt: now + 60 + TOLERANCE },
      { key: 'https%3A%2F%2Fdirectory%7Cexample|c', expiresAt: now + 600 + TOLERANCE },
    ]);
  });

  it('refuses, with replay protection and no maxAgeSeconds, a statement that never expires', async () => {
    const statement = await signStatement(key, { iss: ISSUER, exp: undefined });
    const body = await failure(
      validator({ replayProtection: true }).validate(statement, context()),
    );
    expect(body.error_description).toMatch(/"exp"/);
    expect(store.remembered).toEqual([]);
  });

  it('accepts, on an update, the statement the client was registered with', async () => {
    const checker = validator({ replayProtection: true });
    const statement = await signStatement(key, { iss: ISSUER });
    await checker.validate(statement, context());
    const client: StoredClient = {
      clientId: 'c1',
      metadata: { software_statement: statement } as ClientMetadata,
      clientIdIssuedAt: 0,
      clientSecretExpiresAt: 0,
      updatedAt: 0,
    };
    await expect(checker.validate(statement, context(client))).resolves.toBeDefined();
    expect((await failure(checker.validate(statement, context()))).error_description).toMatch(
      /already used/,
    );
  });
});
