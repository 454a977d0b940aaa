import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DcrModule } from '../../lib/dcr.module.js';
import { setDcrCaller } from '../../lib/registration/dcr-caller.js';
import type { RegistrationPolicy } from '../../lib/registration/registration-policy.js';
import { ClientStore } from '../../lib/store/client-store.js';
import { ADAPTERS } from '../support/adapters.js';
import { useDcrApp } from '../support/suite-app.js';
import { register } from './register.js';
import { OPEN_REGISTRATION } from '../support/open-registration.js';

const POLICY: RegistrationPolicy = {
  grantTypes: ['authorization_code', 'refresh_token'],
  scopes: ['openid', 'api:read'],
  tokenEndpointAuthMethods: ['none', 'client_secret_post'],
};

/** Stands in for an initial-access-token guard: lets every call in, bound to POLICY. */
@Injectable()
class PolicyBoundCallerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    setDcrCaller(context.switchToHttp().getRequest<object>(), {
      kind: 'initial_access_token',
      scopes: [],
      claims: {},
      policy: POLICY,
    });
    return true;
  }
}

const PUBLIC_WEB = {
  redirect_uris: ['https://app.example.com/cb'],
  token_endpoint_auth_method: 'none',
};

describe.each(ADAPTERS)("the caller's registration policy (%s)", (adapter) => {
  const { app, url } = useDcrApp(adapter, () =>
    DcrModule.forRoot({
      registration: OPEN_REGISTRATION,
      allowedScopes: ['openid', 'profile', 'api:read', 'api:write'],
      defaultScopes: ['openid', 'profile'],
      guards: [PolicyBoundCallerGuard],
    }),
  );

  it.each([
    [
      'a grant type the server supports but the policy does not',
      { ...PUBLIC_WEB, grant_types: ['authorization_code', 'client_credentials'] },
      'grant_types',
    ],
    [
      'a scope the server allows but the policy does not',
      { ...PUBLIC_WEB, scope: 'openid api:write' },
      'scope',
    ],
    [
      'the default auth method when the policy does not allow it',
      { redirect_uris: ['https://app.example.com/cb'] },
      'token_endpoint_auth_method',
    ],
    [
      'an auth method the server supports but the policy does not',
      { ...PUBLIC_WEB, token_endpoint_auth_method: 'client_secret_basic' },
      'token_endpoint_auth_method',
    ],
  ])('rejects %s', async (_title, metadata, member) => {
    const { status, body } = await register(url(), metadata);
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_client_metadata');
    expect(body.error_description).toMatch(new RegExp(`^${member} .*may not use`));
  });

  it('registers what the policy allows and binds the policy to the client', async () => {
    const { status, body } = await register(url(), {
      ...PUBLIC_WEB,
      grant_types: ['authorization_code', 'refresh_token'],
      scope: 'api:read',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ scope: 'api:read', token_endpoint_auth_method: 'none' });
    const store = app().get(ClientStore);
    expect((await store.findById(body.client_id as string))?.policy).toEqual(POLICY);
  });

  it('registers only the default scopes the policy allows', async () => {
    const { status, body } = await register(url(), PUBLIC_WEB);
    expect(status).toBe(201);
    expect(body.scope).toBe('openid');
  });
});
