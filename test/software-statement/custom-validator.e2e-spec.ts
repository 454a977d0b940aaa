import { Inject, Injectable, Module } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { DCR_OPTIONS } from '../../lib/dcr.module-definition.js';
import { DcrModule } from '../../lib/dcr.module.js';
import type { ResolvedDcrOptions } from '../../lib/dcr.options.js';
import { DcrException } from '../../lib/errors/dcr.exception.js';
import type { RegistrationContext } from '../../lib/registration/registration-context.js';
import { JwtSoftwareStatementValidator } from '../../lib/software-statement/jwt-software-statement.validator.js';
import { ClientStore } from '../../lib/store/client-store.js';
import { ADAPTERS } from '../support/adapters.js';
import { useDcrApp } from '../support/suite-app.js';
import { register } from '../support/register.js';
import { generateSigningKey, signStatement, type SigningKey } from './signing-keys.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

const ISSUER = 'https://directory.example';
const STATEMENT_REDIRECTS = ['https://app.example/cb', 'https://app.example/cb2'];

/** A binding rule: redirect_uris sent in the body must be among the statement's. */
@Injectable()
class BoundRedirectUrisValidator extends JwtSoftwareStatementValidator {
  protected override checkBinding(claims: Readonly<JWTPayload>, context: RegistrationContext) {
    const allowed = Array.isArray(claims.redirect_uris) ? claims.redirect_uris : [];
    const sent = context.body.redirect_uris;
    if (Array.isArray(sent) && sent.some((uri) => !allowed.includes(uri))) {
      throw DcrException.invalidRedirectUri('redirect_uris must be among the software statement’s');
    }
  }
}

/** A provider the host owns: the software it has approved. */
@Injectable()
class ApprovedSoftware {
  readonly ids = new Set(['com.example.approved']);
}

@Module({ providers: [ApprovedSoftware], exports: [ApprovedSoftware] })
class ApprovedSoftwareModule {}

/** A user validator with a dependency of its own, resolved from a module given to forRootAsync. */
@Injectable()
class ApprovedSoftwareValidator extends JwtSoftwareStatementValidator {
  constructor(
    @Inject(DCR_OPTIONS) options: ResolvedDcrOptions,
    store: ClientStore,
    private readonly approved: ApprovedSoftware,
  ) {
    super(options, store);
  }

  protected override checkBinding(claims: Readonly<JWTPayload>) {
    if (!this.approved.ids.has(String(claims.software_id))) {
      throw DcrException.unapprovedSoftwareStatement('this software is not approved here');
    }
  }
}

describe.each(ADAPTERS)('user software statement validators (%s)', (adapter) => {
  let key: SigningKey;
  beforeAll(async () => {
    key = await generateSigningKey('PS256', 'k1');
  });

  describe('a JwtSoftwareStatementValidator subclass given to forRoot', () => {
    const { url } = useDcrApp(adapter, () =>
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        softwareStatements: { issuers: [{ issuer: ISSUER, keys: [key.publicJwk] }] },
        softwareStatementValidator: BoundRedirectUrisValidator,
      }),
    );

    it('accepts body redirect_uris that the statement lists', async () => {
      const statement = await signStatement(key, {
        iss: ISSUER,
        redirect_uris: STATEMENT_REDIRECTS,
      });
      const res = await register(url(), {
        redirect_uris: [STATEMENT_REDIRECTS[1]],
        software_statement: statement,
      });
      expect(res.status).toBe(201);
      expect(res.body.software_statement).toBe(statement);
    });

    it('refuses body redirect_uris the statement does not list', async () => {
      const statement = await signStatement(key, {
        iss: ISSUER,
        redirect_uris: STATEMENT_REDIRECTS,
      });
      const res = await register(url(), {
        redirect_uris: ['https://evil.example/cb'],
        software_statement: statement,
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_redirect_uri');
    });

    it('still verifies the signature before the binding rule', async () => {
      const forger = await generateSigningKey('PS256', 'k1');
      const res = await register(url(), {
        software_statement: await signStatement(forger, { iss: ISSUER }),
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_software_statement');
    });
  });

  describe('a validator with its own dependency, given to forRootAsync', () => {
    const { url } = useDcrApp(adapter, () =>
      DcrModule.forRootAsync({
        imports: [ApprovedSoftwareModule],
        useFactory: () => ({
          registration: OPEN_REGISTRATION,
          softwareStatements: { issuers: [{ issuer: ISSUER, keys: [key.publicJwk] }] },
        }),
        softwareStatementValidator: ApprovedSoftwareValidator,
      }),
    );

    it('registers approved software', async () => {
      const statement = await signStatement(key, {
        iss: ISSUER,
        software_id: 'com.example.approved',
      });
      const res = await register(url(), {
        redirect_uris: ['https://approved.example/cb'],
        software_statement: statement,
      });
      expect(res.status).toBe(201);
      expect(res.body.software_id).toBe('com.example.approved');
    });

    it('refuses other software with unapproved_software_statement', async () => {
      const statement = await signStatement(key, { iss: ISSUER, software_id: 'com.example.other' });
      const res = await register(url(), { software_statement: statement });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('unapproved_software_statement');
    });
  });
});
