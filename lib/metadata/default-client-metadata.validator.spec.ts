import { resolveDcrOptions, type DcrModuleOptions } from '../dcr.options.js';
import { DcrException } from '../errors/dcr.exception.js';
import type { DcrCaller } from '../registration/dcr-caller.js';
import { RegistrationContext } from '../registration/registration-context.js';
import type { StoredClient } from '../store/stored-client.js';
import { DefaultClientMetadataValidator } from './default-client-metadata.validator.js';

const WEB = { redirect_uris: ['https://app.example.com/cb'] };

function validator(options: DcrModuleOptions = {}): DefaultClientMetadataValidator {
  return new DefaultClientMetadataValidator(resolveDcrOptions(options));
}

function existingClient(policy: StoredClient['policy']): StoredClient {
  return {
    clientId: 'c1',
    metadata: {
      ...WEB,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'web',
    },
    clientIdIssuedAt: 1,
    clientSecretExpiresAt: 0,
    updatedAt: 1,
    policy,
  };
}

async function rejection(promise: Promise<unknown>): Promise<DcrException> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof DcrException)) throw new Error('expected a DcrException');
  return error;
}

describe('DefaultClientMetadataValidator', () => {
  it.each([3, 40])(
    'drops exact duplicates from a list of %i values, first occurrences in order',
    async (count) => {
      const contacts = Array.from({ length: count }, (_, i) => `c${i % (count - 1)}@example.com`);
      const context = new RegistrationContext({}, undefined, { ...WEB, contacts });
      const metadata = await validator().validate(context);
      expect(metadata.contacts).toEqual(contacts.slice(0, count - 1));
    },
  );

  it('leaves the request body untouched', async () => {
    const body = { ...WEB, contacts: ['a@example.com', 'a@example.com'] };
    const sent = structuredClone(body);
    await validator().validate(new RegistrationContext({}, undefined, body));
    expect(body).toEqual(sent);
  });

  describe('on an RFC 7592 update', () => {
    const bound = existingClient({ grantTypes: ['authorization_code'], scopes: ['openid'] });

    it('holds the metadata to the policy bound to the client at registration', async () => {
      const context = new RegistrationContext(
        {},
        undefined,
        { ...WEB, grant_types: ['authorization_code', 'client_credentials'] },
        bound,
      );
      const error = await rejection(validator().validate(context));
      expect(error.body).toEqual({
        error: 'invalid_client_metadata',
        error_description:
          'grant_types holds "client_credentials", which this registration may not use',
      });
    });

    it("applies the client's policy and the caller's together", async () => {
      const caller: DcrCaller = {
        kind: 'bearer',
        scopes: [],
        claims: {},
        policy: { scopes: ['openid', 'profile'] },
      };
      // No scope is registrable by default: the server offers both, the policies narrow them.
      const offering = { allowedScopes: ['openid', 'profile'] };
      const allowedByBoth = new RegistrationContext({}, caller, { ...WEB, scope: 'openid' }, bound);
      expect((await validator(offering).validate(allowedByBoth)).scope).toBe('openid');
      const onlyByCaller = new RegistrationContext({}, caller, { ...WEB, scope: 'profile' }, bound);
      const error = await rejection(validator(offering).validate(onlyByCaller));
      expect(error.body.error_description).toBe(
        'scope holds "profile", which this registration may not use',
      );
    });
  });

  describe('with a verified software statement', () => {
    it("lets the statement's claims override the body and registers the statement", async () => {
      const context = new RegistrationContext({}, undefined, {
        ...WEB,
        client_name: 'from the body',
        software_id: 'body-id',
        software_statement: 'header.payload.signature',
      });
      context.softwareStatement = {
        statement: 'header.payload.signature',
        claims: {
          iss: 'https://issuer.example',
          client_name: 'from the statement',
          software_id: 'ss-id',
        },
      };
      const metadata = await validator().validate(context);
      expect(metadata).toMatchObject({
        client_name: 'from the statement',
        software_id: 'ss-id',
        software_statement: 'header.payload.signature',
      });
      expect(Object.hasOwn(metadata, 'iss')).toBe(false);
    });

    it('checks the claims like any other member', async () => {
      const context = new RegistrationContext({}, undefined, WEB);
      context.softwareStatement = {
        statement: 'h.p.s',
        claims: { redirect_uris: ['javascript:alert(1)'] },
      };
      const error = await rejection(validator().validate(context));
      expect(error.body.error).toBe('invalid_redirect_uri');
    });
  });

  it('returns a fresh object, never the body it was given', async () => {
    const body = { ...WEB, client_name: 'x' };
    const metadata = await validator().validate(new RegistrationContext({}, undefined, body));
    expect(metadata).not.toBe(body);
    expect(metadata.redirect_uris).not.toBe(body.redirect_uris);
    expect(body).toEqual({ ...WEB, client_name: 'x' });
  });

  it('accepts an expanded IPv6 loopback, which the URL parser writes as [::1]', async () => {
    const context = new RegistrationContext({}, undefined, {
      redirect_uris: ['http://[0:0:0:0:0:0:0:1]:8080/cb'],
    });
    expect((await validator().validate(context)).redirect_uris).toEqual([
      'http://[0:0:0:0:0:0:0:1]:8080/cb',
    ]);
  });
});
