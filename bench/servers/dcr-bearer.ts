import 'reflect-metadata';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DcrModule } from '../../lib/dcr.module.js';
import type { StartServer } from '../scenario.js';
import { startNestApp } from './nest-app.js';

const ISSUER = 'https://issuer.bench.example';

/**
 * DcrModule protected by ScopeGuard (mode bearer) with the issuer's public key
 * given as a static JWKS, in-memory store, and the Authorization header of the
 * RS256 access token every request presents, as a provisioning pipeline would.
 * `cache` false sets verifiedTokenCacheSize 0, so each request verifies the signature.
 */
export async function bearerRegistration(
  cache: boolean,
): Promise<{ module: ReturnType<typeof DcrModule.forRoot>; authorization: string }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' };
  const token = await new SignJWT({ scope: 'dcr.register', client_id: 'provisioner' })
    .setProtectedHeader({ alg: 'RS256', kid: 'bench', typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setSubject('provisioner')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const module = DcrModule.forRoot({
    registration: {
      mode: 'bearer',
      bearer: {
        issuer: ISSUER,
        jwks: { keys: [jwk] },
        ...(!cache && { verifiedTokenCacheSize: 0 }),
      },
    },
  });
  return { module, authorization: `Bearer ${token}` };
}

/** params.cache `off`: no verified-token cache. */
export const startServer: StartServer = async (params) => {
  const { module, authorization } = await bearerRegistration(params.cache !== 'off');
  return {
    url: (await startNestApp(module, params)) + '/connect/dcr',
    headers: { authorization },
  };
};
