import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DcrModule } from '../../lib/dcr.module.js';
import { DCR_OPTIONS } from '../../lib/dcr.module-definition.js';
import type { DcrModuleOptions, ResolvedDcrOptions } from '../../lib/dcr.options.js';
import { DcrConfigurationError } from '../../lib/errors/dcr-configuration.error.js';
import { DcrException } from '../../lib/errors/dcr.exception.js';
import type { ClientMetadata } from '../../lib/metadata/client-metadata.js';
import { ClientMetadataValidator } from '../../lib/metadata/client-metadata.validator.js';
import { DefaultClientMetadataValidator } from '../../lib/metadata/default-client-metadata.validator.js';
import { DefaultRegistrationProcessor } from '../../lib/registration/default-registration.processor.js';
import { DefaultRegistrationResponseGenerator } from '../../lib/registration/default-registration-response.generator.js';
import type {
  RegistrationContext,
  RegistrationResult,
} from '../../lib/registration/registration-context.js';
import { RegistrationProcessor } from '../../lib/registration/registration.processor.js';
import {
  RegistrationResponseGenerator,
  type RegistrationResponse,
} from '../../lib/registration/registration-response.generator.js';
import { ClientStore } from '../../lib/store/client-store.js';
import { InMemoryClientStore } from '../../lib/store/in-memory-client-store.js';
import { ADAPTERS, baseUrl, startApp } from '../support/adapters.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

const registration = { redirect_uris: ['https://app.example.com/cb'], client_name: 'Module spec' };

async function register(app: INestApplication, path = 'connect/dcr', body: object = registration) {
  const res = await fetch(`${await baseUrl(app)}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

@Injectable()
class OptionsSource {
  readonly options: DcrModuleOptions = { grantTypes: ['authorization_code'], maxBodyBytes: 4096 };
}

@Module({ providers: [OptionsSource], exports: [OptionsSource] })
class OptionsSourceModule {}

@Injectable()
class OptionsFactory {
  createDcrOptions(): DcrModuleOptions {
    return { allowedScopes: ['openid'], defaultScopes: ['openid'] };
  }
}

@Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
class OptionsFactoryModule {}

async function resolvedOptions(module: object): Promise<ResolvedDcrOptions> {
  const ref = await Test.createTestingModule({ imports: [module as never] }).compile();
  const options = ref.get<ResolvedDcrOptions>(DCR_OPTIONS);
  await ref.close();
  return options;
}

describe('DcrModule configuration', () => {
  it('forRoot applies defaults', async () => {
    const options = await resolvedOptions(DcrModule.forRoot());
    expect(options.grantTypes).toEqual([
      'authorization_code',
      'client_credentials',
      'refresh_token',
    ]);
    expect(options.tokenEndpointAuthMethods).toEqual([
      'client_secret_basic',
      'client_secret_post',
      'private_key_jwt',
      'none',
    ]);
    expect(options.maxBodyBytes).toBe(65536);
    expect(options.clientSecretLifetimeSeconds).toBe(0);
    // Secure defaults (issue 15): no scope registrable, caps on, no PUT to none.
    expect(options.allowedScopes).toEqual(new Set());
    expect(options.metadataLimits).toEqual({
      nameLength: 200,
      uriLength: 2000,
      textLength: 2000,
      arrayItems: 100,
    });
    expect(options.allowAuthMethodNoneOnUpdate).toBe(false);
  });

  it('forRoot keeps the extras out of the data options', async () => {
    const options = await resolvedOptions(
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        path: 'register',
        isGlobal: true,
        publicBaseUrl: 'https://id.example.com/base',
      }),
    );
    expect(options.publicBaseUrl?.href).toBe('https://id.example.com/base/');
  });

  it('forRootAsync useFactory with injected dependencies', async () => {
    const options = await resolvedOptions(
      DcrModule.forRootAsync({
        imports: [OptionsSourceModule],
        inject: [OptionsSource],
        useFactory: (source: OptionsSource) => source.options,
      }),
    );
    expect(options.grantTypes).toEqual(['authorization_code']);
    expect(options.maxBodyBytes).toBe(4096);
  });

  it('forRootAsync useClass', async () => {
    const options = await resolvedOptions(DcrModule.forRootAsync({ useClass: OptionsFactory }));
    expect(options.defaultScopes).toEqual(['openid']);
  });

  it('forRootAsync useExisting', async () => {
    const options = await resolvedOptions(
      DcrModule.forRootAsync({ imports: [OptionsFactoryModule], useExisting: OptionsFactory }),
    );
    expect(options.defaultScopes).toEqual(['openid']);
  });

  it('isGlobal makes the store injectable everywhere', async () => {
    @Injectable()
    class Consumer {
      constructor(readonly store: ClientStore) {}
    }
    @Module({ providers: [Consumer] })
    class ConsumerModule {}
    const ref = await Test.createTestingModule({
      imports: [
        DcrModule.forRoot({ registration: OPEN_REGISTRATION, isGlobal: true }),
        ConsumerModule,
      ],
    }).compile();
    expect(ref.get(Consumer).store).toBeInstanceOf(InMemoryClientStore);
    await ref.close();
  });

  it.each<[string, DcrModuleOptions, string]>([
    ['an empty grantTypes', { grantTypes: [] }, 'grantTypes'],
    ['an unknown auth method', { tokenEndpointAuthMethods: ['magic'] }, 'tokenEndpointAuthMethods'],
    ['a misspelt option', { grantType: ['x'] } as DcrModuleOptions, 'grantType'],
    [
      'a negative secret lifetime',
      { clientSecretLifetimeSeconds: -1 },
      'clientSecretLifetimeSeconds',
    ],
    ['a zero body limit', { maxBodyBytes: 0 }, 'maxBodyBytes'],
    ['a relative public URL', { publicBaseUrl: '/id' }, 'publicBaseUrl'],
    [
      'a default scope outside the allowed ones',
      { allowedScopes: ['a'], defaultScopes: ['b'] },
      'defaultScopes',
    ],
    ['an invalid scope', { allowedScopes: ['a b'] }, 'allowedScopes'],
    ['a default scope when no scope is allowed', { defaultScopes: ['openid'] }, 'defaultScopes'],
    ['a zero length cap', { metadataLimits: { nameLength: 0 } }, 'metadataLimits.nameLength'],
    ['an unknown length cap', { metadataLimits: { names: 5 } as never }, 'metadataLimits.names'],
    [
      'a non-boolean auth method flag',
      { allowAuthMethodNoneOnUpdate: 1 as never },
      'allowAuthMethodNoneOnUpdate',
    ],
    ['a CORS origin with a path', { corsOrigins: ['https://a.example/app'] }, 'corsOrigins'],
    ['management without a public URL', { management: true }, 'management'],
    [
      'a non-boolean rotation flag',
      { rotateRegistrationAccessToken: 'yes' as never },
      'rotateRegistrationAccessToken',
    ],
  ])('fails start-up on %s, naming the option', async (_name, options, option) => {
    const start = Test.createTestingModule({
      imports: [DcrModule.forRoot({ registration: OPEN_REGISTRATION, ...options })],
    }).compile();
    await expect(start).rejects.toThrow(DcrConfigurationError);
    await expect(
      Test.createTestingModule({
        imports: [DcrModule.forRoot({ registration: OPEN_REGISTRATION, ...options })],
      }).compile(),
    ).rejects.toThrow(`DcrModule option "${option}"`);
  });

  it('fails start-up on bad options from an async factory', async () => {
    const start = Test.createTestingModule({
      imports: [
        DcrModule.forRootAsync({
          useFactory: async () => ({ grantTypes: 'authorization_code' as never }),
        }),
      ],
    }).compile();
    await expect(start).rejects.toThrow(
      'DcrModule option "grantTypes" must be an array of non-empty strings',
    );
  });

  it('refuses an empty route path', () => {
    expect(() => DcrModule.forRoot({ registration: OPEN_REGISTRATION, path: '/' })).toThrow(
      'DcrModule option "path"',
    );
  });
});

/** A store that counts writes, standing in for a user's own backend. */
@Injectable()
class CountingStore extends InMemoryClientStore {
  created = 0;
  override async create(...args: Parameters<InMemoryClientStore['create']>): Promise<void> {
    this.created++;
    return super.create(...args);
  }
}

@Injectable()
class NoHttpRedirectValidator extends DefaultClientMetadataValidator {
  override async validate(context: RegistrationContext): Promise<ClientMetadata> {
    const uris = context.body.redirect_uris;
    if (Array.isArray(uris) && uris.some((uri) => String(uri).includes('forbidden'))) {
      throw DcrException.invalidRedirectUri('redirect_uris: forbidden by this host');
    }
    return super.validate(context);
  }
}

@Injectable()
class PrefixedIdProcessor extends DefaultRegistrationProcessor {
  protected override generateClientId(): string {
    return `tenant-a.${super.generateClientId()}`;
  }
}

@Injectable()
class TaggingResponseGenerator extends DefaultRegistrationResponseGenerator {
  override generate(
    context: RegistrationContext,
    result: RegistrationResult,
  ): RegistrationResponse {
    return { ...super.generate(context, result), 'x-tenant': 'a' };
  }
}

describe.each(ADAPTERS)('DcrModule overrides (%s)', (adapter) => {
  let app: INestApplication;
  afterEach(() => app?.close());

  it('mounts the endpoint on a custom path', async () => {
    app = await startApp(
      adapter,
      DcrModule.forRoot({ registration: OPEN_REGISTRATION, path: 'oauth/register' }),
    );
    expect((await register(app, 'oauth/register')).status).toBe(201);
    expect((await register(app, 'connect/dcr')).status).toBe(404);
  });

  it('uses a class given for each token', async () => {
    app = await startApp(
      adapter,
      DcrModule.forRoot({
        registration: OPEN_REGISTRATION,
        validator: NoHttpRedirectValidator,
        processor: PrefixedIdProcessor,
        responseGenerator: TaggingResponseGenerator,
        store: CountingStore,
      }),
    );
    expect(app.get(ClientMetadataValidator)).toBeInstanceOf(NoHttpRedirectValidator);
    expect(app.get(RegistrationProcessor)).toBeInstanceOf(PrefixedIdProcessor);
    expect(app.get(RegistrationResponseGenerator)).toBeInstanceOf(TaggingResponseGenerator);
    const store = app.get(ClientStore) as CountingStore;
    expect(store).toBeInstanceOf(CountingStore);

    const ok = await register(app);
    expect(ok.status).toBe(201);
    expect(ok.body.client_id).toMatch(/^tenant-a\./);
    expect(ok.body['x-tenant']).toBe('a');
    expect(store.created).toBe(1);
    expect(await store.findById(ok.body.client_id as string)).toBeDefined();

    const refused = await register(app, 'connect/dcr', {
      redirect_uris: ['https://forbidden.example/cb'],
    });
    expect(refused).toEqual({
      status: 400,
      body: {
        error: 'invalid_redirect_uri',
        error_description: 'redirect_uris: forbidden by this host',
      },
    });
    expect(store.created).toBe(1);
  });

  it('answers 500 server_error without detail when a step fails unexpectedly', async () => {
    @Injectable()
    class BrokenProcessor extends RegistrationProcessor {
      async process(): Promise<RegistrationResult> {
        throw new Error('secret internal detail');
      }
    }
    app = await startApp(
      adapter,
      DcrModule.forRoot({ registration: OPEN_REGISTRATION, processor: BrokenProcessor }),
    );
    const res = await register(app);
    expect(res).toEqual({ status: 500, body: { error: 'server_error' } });
  });
});
