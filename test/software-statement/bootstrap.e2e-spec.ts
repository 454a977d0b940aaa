import { DcrModule } from '../../lib/dcr.module.js';
import { DcrConfigurationError } from '../../lib/errors/dcr-configuration.error.js';
import { JwtSoftwareStatementValidator } from '../../lib/software-statement/jwt-software-statement.validator.js';
import { startApp } from '../support/adapters.js';

const ISSUER = 'https://directory.example';

/** Boots the module and returns the error that stopped it. */
async function bootstrapError(module: object): Promise<DcrConfigurationError> {
  const error: unknown = await startApp('express', module).then(
    async (app) => {
      await app.close();
      return undefined;
    },
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(DcrConfigurationError);
  return error as DcrConfigurationError;
}

describe('software statement configuration at bootstrap', () => {
  it('fails when a bad softwareStatements option is given', async () => {
    const error = await bootstrapError(
      DcrModule.forRoot({
        softwareStatements: { issuers: [{ issuer: ISSUER, jwksUri: 'ftp://x/jwks' }] },
      }),
    );
    expect(error.option).toBe('softwareStatements.issuers[0].jwksUri');
  });

  it('fails when the async factory returns a bad softwareStatements option', async () => {
    const error = await bootstrapError(
      DcrModule.forRootAsync({
        useFactory: () => ({ softwareStatements: { issuers: [], required: true } }),
      }),
    );
    expect(error.option).toBe('softwareStatements.issuers');
  });

  it('fails when JwtSoftwareStatementValidator is chosen without trusted issuers', async () => {
    const error = await bootstrapError(
      DcrModule.forRoot({ softwareStatementValidator: JwtSoftwareStatementValidator }),
    );
    expect(error.option).toBe('softwareStatements');
  });

  it('fails when an inline key is not a usable public key', async () => {
    const error = await bootstrapError(
      DcrModule.forRoot({
        softwareStatements: {
          issuers: [{ issuer: ISSUER, keys: [{ kty: 'EC', crv: 'P-256', x: 'AAAA', y: 'AAAA' }] }],
        },
      }),
    );
    expect(error.option).toBe('softwareStatements.issuers[0].keys[0]');
  });
});
