import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SignJWT,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

export interface SignOptions {
  kid?: string;
  alg?: string;
  typ?: string;
  /** Leave `kid` out of the header. */
  omitKid?: boolean;
  /** Sign with this key instead of the issuer's first one. */
  key?: SigningKey;
}

/**
 * A real authorization server stand-in on 127.0.0.1: OIDC discovery document
 * and JWKS over HTTP (counting every fetch), signing real tokens with
 * jose-generated keys.
 */
export class TestIssuer {
  readonly keys: SigningKey[] = [];
  jwksFetches = 0;
  metadataFetches = 0;
  /** Serve metadata at the RFC 8414 location only (no OIDC discovery document). */
  oauthMetadataOnly = false;
  /** Answer JWKS fetches with 500 (still counted). */
  failJwks = false;
  /** The `issuer` the metadata claims (an impostor's, when changed). */
  metadataIssuer?: string;
  private server?: Server;
  url = '';

  static async start(path = ''): Promise<TestIssuer> {
    const issuer = new TestIssuer();
    await issuer.addKey('RS256');
    await issuer.listen(path);
    return issuer;
  }

  async addKey(alg: 'RS256' | 'ES256' | 'PS256', kid = randomUUID()): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    const key = { kid, alg, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
    this.keys.push(key);
    return key;
  }

  /** Generates a key that the JWKS does not publish. */
  async strayKey(alg: 'RS256' | 'ES256' = 'RS256'): Promise<SigningKey> {
    const key = await this.addKey(alg);
    this.keys.pop();
    return key;
  }

  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((key) => key.publicJwk) };
  }

  private async listen(path: string): Promise<void> {
    this.server = createServer((request, response) => {
      const pathname = new URL(request.url ?? '/', 'http://x').pathname;
      const send = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const metadata = {
        issuer: this.metadataIssuer ?? this.url,
        jwks_uri: `${this.url}/jwks`,
        token_endpoint: `${this.url}/token`,
      };
      if (pathname === `${path}/jwks`) {
        this.jwksFetches++;
        if (this.failJwks) send(500, {});
        else send(200, this.jwks());
      } else if (pathname === `${path}/.well-known/openid-configuration`) {
        this.metadataFetches++;
        if (this.oauthMetadataOnly) send(404, {});
        else send(200, metadata);
      } else if (pathname === `/.well-known/oauth-authorization-server${path}`) {
        this.metadataFetches++;
        send(200, metadata);
      } else {
        send(404, {});
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}${path}`;
  }

  /** Claims of a good access token: this issuer, `aud`, one hour, the registration scope. */
  claims(overrides: JWTPayload = {}): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: this.url,
      aud: 'https://dcr.example',
      sub: 'ci-pipeline',
      client_id: 'ci-pipeline',
      scope: 'dcr.register',
      iat: now,
      exp: now + 3600,
      jti: randomUUID(),
      ...overrides,
    };
  }

  async sign(claims: JWTPayload = this.claims(), options: SignOptions = {}): Promise<string> {
    const key = options.key ?? this.keys[0]!;
    const header = {
      alg: options.alg ?? key.alg,
      typ: options.typ ?? 'at+jwt',
      ...(!options.omitKid && { kid: options.kid ?? key.kid }),
    };
    return new SignJWT(claims).setProtectedHeader(header).sign(key.privateKey);
  }

  /** `alg: none`, no signature. */
  unsigned(claims: JWTPayload = this.claims()): string {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  }

  /** The algorithm-confusion attack: HS256 keyed with the issuer's public RSA key (PEM). */
  hmacWithPublicKey(claims: JWTPayload = this.claims()): string {
    const key = this.keys[0]!;
    const header = { alg: 'HS256', typ: 'JWT', kid: key.kid };
    const input = [header, claims]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .join('.');
    const mac = createHmac('sha256', key.publicPem).update(input).digest('base64url');
    return `${input}.${mac}`;
  }

  /** HS256 with a shared secret (for issuers configured with one). */
  hmac(secret: string, claims: JWTPayload = this.claims()): string {
    const header = { alg: 'HS256', typ: 'JWT' };
    const input = [header, claims]
      .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
      .join('.');
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
