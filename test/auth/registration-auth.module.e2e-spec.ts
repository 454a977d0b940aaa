import {
  ForbiddenException,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DcrModule } from '../../lib/dcr.module.js';
import { DcrConfigurationError } from '../../lib/errors/dcr-configuration.error.js';
import { getDcrCaller } from '../../lib/registration/dcr-caller.js';
import { ADAPTERS, startApp } from '../support/adapters.js';
import { registerAs } from '../support/registration-client.js';
import { TestIssuer } from '../support/test-issuer.js';
import { useDcrApp } from '../support/suite-app.js';

describe('registration auth in the module', () => {
  it('fails at bootstrap on a bad registration option, naming it', async () => {
    const compile = Test.createTestingModule({
      imports: [DcrModule.forRoot({ registration: { mode: 'bearer' } })],
    }).compile();
    await expect(compile).rejects.toThrow(DcrConfigurationError);
    await expect(
      Test.createTestingModule({
        imports: [DcrModule.forRoot({ registration: { mode: 'bearer' } })],
      }).compile(),
    ).rejects.toThrow(/"registration\.bearer"/);
  });

  it('refuses a second bearer-protected module while one is live (passport is global)', async () => {
    const issuer = await TestIssuer.start();
    const first = await startApp(
      'fastify',
      DcrModule.forRoot({ registration: { bearer: { issuer: issuer.url } } }),
    );
    try {
      await expect(
        Test.createTestingModule({
          imports: [DcrModule.forRoot({ registration: { bearer: { issuer: issuer.url } } })],
        }).compile(),
      ).rejects.toThrow(/passport strategies are global/);
    } finally {
      await first.close();
      await issuer.close();
    }
  });
});

describe.each(ADAPTERS)('registration options from forRootAsync (%s)', (adapter) => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  const { url } = useDcrApp(adapter, () =>
    DcrModule.forRootAsync({
      useFactory: async () => ({
        registration: { bearer: { issuer: issuer.url, requiredScope: 'clients:write' } },
      }),
    }),
  );
  afterAll(() => issuer.close());

  it('protects the endpoint with the factory-supplied bearer options and scope', async () => {
    expect((await registerAs(url())).status).toBe(401);
    const wrongScope = await registerAs(url(), `Bearer ${await issuer.sign()}`);
    expect(wrongScope.status).toBe(403);
    expect(wrongScope.headers.get('www-authenticate')).toContain('scope="clients:write"');
    const token = await issuer.sign(issuer.claims({ scope: 'clients:write' }));
    expect((await registerAs(url(), `Bearer ${token}`)).status).toBe(201);
  });
});

/** A host's own guard: runs after the module's and sees the authenticated caller. */
@Injectable()
class PipelineOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const caller = getDcrCaller(context.switchToHttp().getRequest<object>());
    if (caller?.subject !== 'ci-pipeline') throw new ForbiddenException('pipelines only');
    return true;
  }
}

describe.each(ADAPTERS)('host guards after the module guard (%s)', (adapter) => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  const { url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({
      registration: { bearer: { issuer: issuer.url } },
      guards: [PipelineOnlyGuard],
    }),
  );
  afterAll(() => issuer.close());

  it('lets the host guard decide on the caller the module authenticated', async () => {
    expect((await registerAs(url(), `Bearer ${await issuer.sign()}`)).status).toBe(201);
    const other = await issuer.sign(issuer.claims({ sub: 'someone-else' }));
    const res = await registerAs(url(), `Bearer ${other}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'access_denied', error_description: 'pipelines only' });
    expect((await registerAs(url())).status).toBe(401);
  });
});
