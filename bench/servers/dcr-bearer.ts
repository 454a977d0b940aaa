import 'reflect-metadata';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { DcrModule } from '../../lib/dcr.module.js';
import type { StartServer } from '../scenario.js';
import { startNestApp } from './nest-app.js';

const ISSUER = 'https://issuer.bench.example';

/**
 * DcrModule protected by ScopeGuard (mode bearer) with the issuer's public key
 * given as a static JWKS, in-memory store. Every request presents the same
 * RS256 access token, as a provisioning pipeline would. params.cache `off`
 * sets verifiedTokenCacheSize 0, so each request verifies the signature.
 */
export const startServer: StartServer = async (params) => {
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
        ...(params.cache === 'off' && { verifiedTokenCacheSize: 0 }),
      },
    },
  });
  return {
    url: (await startNestApp(module, params)) + '/connect/dcr',
    headers: { authorization: `Bearer ${token}` },
  };
};
