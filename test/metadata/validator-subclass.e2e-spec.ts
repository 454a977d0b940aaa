import { Injectable } from '@nestjs/common';
import { DcrModule } from '../../lib/dcr.module.js';
import type { ClientMetadata } from '../../lib/metadata/client-metadata.js';
import { CLIENT_METADATA_RULES } from '../../lib/metadata/client-metadata.rules.js';
import { DefaultClientMetadataValidator } from '../../lib/metadata/default-client-metadata.validator.js';
import { invalidMember } from '../../lib/metadata/invalid-member.js';
import type { RegistrationContext } from '../../lib/registration/registration-context.js';
import { ADAPTERS } from '../support/adapters.js';
import { useDcrApp } from '../support/suite-app.js';
import { register } from './register.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

/** A host's stricter rule: redirect URIs only on its own domain, over https. */
@Injectable()
class CorporateRedirectValidator extends DefaultClientMetadataValidator {
  protected override async validateRedirectUris(
    metadata: ClientMetadata,
    context: RegistrationContext,
  ): Promise<void> {
    await super.validateRedirectUris(metadata, context);
    for (const uri of metadata.redirect_uris ?? []) {
      const { protocol, hostname } = new URL(uri);
      if (protocol !== 'https:' || !hostname.endsWith('.corp.example')) {
        throw invalidMember('redirect_uris', 'must be https URLs under corp.example');
      }
    }
  }
}

/** A host that registers one more member, with a default: a Duende-style access token lifetime. */
@Injectable()
class LifetimeValidator extends DefaultClientMetadataValidator {
  protected override readonly rules = {
    ...CLIENT_METADATA_RULES,
    access_token_lifetime: { type: 'integer', minimum: 1, default: 3600 } as const,
  };
}

describe.each(ADAPTERS)('a validator subclass overriding one step (%s)', (adapter) => {
  const { url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({ registration: OPEN_REGISTRATION, validator: CorporateRedirectValidator }),
  );

  it('applies the stricter redirect rule', async () => {
    for (const uri of ['https://app.example.com/cb', 'http://127.0.0.1/cb']) {
      const { status, body } = await register(url(), { redirect_uris: [uri] });
      expect(status).toBe(400);
      expect(body).toEqual({
        error: 'invalid_redirect_uri',
        error_description: 'redirect_uris must be https URLs under corp.example',
      });
    }
  });

  it('still applies the default redirect rules it calls through super', async () => {
    const { status, body } = await register(url(), {
      redirect_uris: ['https://app.corp.example/cb#fragment'],
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_redirect_uri');
    expect(body.error_description).toMatch(/fragment/);
  });

  it('keeps every other step', async () => {
    const ok = await register(url(), { redirect_uris: ['https://app.corp.example/cb'] });
    expect(ok.status).toBe(201);
    expect(ok.body.grant_types).toEqual(['authorization_code']);
    const badGrant = await register(url(), {
      redirect_uris: ['https://app.corp.example/cb'],
      grant_types: ['password'],
    });
    expect(badGrant.status).toBe(400);
    expect(badGrant.body.error).toBe('invalid_client_metadata');
  });
});

describe.each(ADAPTERS)('a validator subclass extending the rule table (%s)', (adapter) => {
  const { url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({ registration: OPEN_REGISTRATION, validator: LifetimeValidator }),
  );

  const WEB = { redirect_uris: ['https://app.example.com/cb'] };

  it('registers the extra member when it is a positive integer', async () => {
    const { status, body } = await register(url(), { ...WEB, access_token_lifetime: 300 });
    expect(status).toBe(201);
    expect(body.access_token_lifetime).toBe(300);
  });

  it("registers the extra member's default when it is absent", async () => {
    const { status, body } = await register(url(), WEB);
    expect(status).toBe(201);
    expect(body.access_token_lifetime).toBe(3600);
  });

  it.each([0, -5, 1.5, '300', true])('rejects access_token_lifetime %p', async (lifetime) => {
    const { status, body } = await register(url(), { ...WEB, access_token_lifetime: lifetime });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_client_metadata');
    expect(body.error_description).toMatch(/^access_token_lifetime must be an integer >= 1/);
  });
});
