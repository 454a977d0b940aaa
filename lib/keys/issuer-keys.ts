import { createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, type JWK, type RemoteJWKSet } from 'jose';
import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';
import { discoverJwksUri } from './issuer-metadata.js';
import { IssuerUnavailableError, UnknownSigningKeyError } from './key-errors.js';

/** Where an issuer's keys come from and how they are kept fresh. */
export interface IssuerKeysOptions {
  /** Used to discover the JWKS when neither `jwksUri` nor `jwks` is given. */
  issuer: string;
  jwksUri?: URL;
  /** Static keys: never fetched. */
  jwks?: { keys: JWK[] };
  /** Accepted `alg` values. */
  algorithms: readonly string[];
  /** For HS* only, when explicitly configured. */
  sharedSecret?: string;
  jwksMaxAgeMs: number;
  jwksCooldownMs: number;
  httpTimeoutMs: number;
}

interface IssuerKey {
  kid?: string;
  alg?: string;
  kty?: string;
  crv?: string;
  key: KeyObject;
}

const CURVES_BY_ALG: Readonly<Record<string, readonly string[]>> = {
  ES256: ['P-256'],
  ES384: ['P-384'],
  ES512: ['P-521'],
  EdDSA: ['Ed25519', 'Ed448'],
  Ed25519: ['Ed25519'],
};

/** Whether a JWK may verify `alg`: its own alg (if any), key type and curve must agree. */
function fits(key: IssuerKey, alg: string): boolean {
  if (key.alg !== undefined && key.alg !== alg) return false;
  if (alg.startsWith('RS') || alg.startsWith('PS')) return key.kty === 'RSA';
  const kty = alg.startsWith('ES') ? 'EC' : 'OKP';
  return key.kty === kty && key.crv !== undefined && !!CURVES_BY_ALG[alg]?.includes(key.crv);
}

function importKey(jwk: JWK): IssuerKey | undefined {
  if (jwk.use === 'enc' || (jwk.key_ops && !jwk.key_ops.includes('verify'))) return undefined;
  if ('d' in jwk || 'k' in jwk) return undefined; // private or symmetric: never trust those
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    return { kid: jwk.kid, alg: jwk.alg, kty: jwk.kty, crv: jwk.crv, key };
  } catch {
    return undefined;
  }
}

const noop = (): void => {};

/**
 * A trusted issuer's verification keys (bearer tokens and software statements alike) as node:crypto KeyObjects (imported
 * once, so a verify never re-parses a JWK). Remote keys are fetched with
 * jose's RemoteJWKSet, lazily, refreshed in the background when older than
 * the max age, and refetched for an unknown `kid` at most once per cool-down,
 * success or failure alike, so a flood of random kids never floods the issuer.
 */
export class IssuerKeys {
  private keys: IssuerKey[] = [];
  private readonly secret?: KeyObject;
  private loadedAtMs = Number.NEGATIVE_INFINITY;
  private attemptedAtMs = Number.NEGATIVE_INFINITY;
  private pending?: Promise<void>;
  private remote?: Promise<RemoteJWKSet>;

  constructor(
    private readonly options: IssuerKeysOptions,
    /** Named in the start-up error for an unusable static key. */
    keysOption: string,
  ) {
    if (options.sharedSecret !== undefined) {
      this.secret = createSecretKey(Buffer.from(options.sharedSecret, 'utf8'));
    }
    if (options.jwks) {
      this.keys = options.jwks.keys.map((jwk, index) => {
        const key = importKey(jwk);
        if (!key)
          throw new DcrConfigurationError(`${keysOption}[${index}]`, 'is not a usable public key');
        return key;
      });
    }
  }

  /** The key for a JWS header; rejects with UnknownSigningKeyError or IssuerUnavailableError. */
  async keyFor({ alg, kid }: { alg?: string; kid?: string }): Promise<KeyObject> {
    if (typeof alg !== 'string' || !this.options.algorithms.includes(alg)) {
      throw new UnknownSigningKeyError();
    }
    if (alg.startsWith('HS')) {
      if (this.secret) return this.secret;
      throw new UnknownSigningKeyError();
    }
    if (!this.options.jwks) await this.ensureLoaded();
    let key = this.find(alg, kid);
    if (!key && !this.options.jwks && !this.coolingDown()) {
      await this.refresh();
      key = this.find(alg, kid);
    }
    if (!key) throw new UnknownSigningKeyError();
    return key;
  }

  private async ensureLoaded(): Promise<void> {
    if (this.pending) await this.pending.catch(noop);
    if (this.loadedAtMs === Number.NEGATIVE_INFINITY) {
      if (this.coolingDown()) throw new IssuerUnavailableError('issuer keys not loaded yet');
      await this.refresh();
    } else if (Date.now() - this.loadedAtMs >= this.options.jwksMaxAgeMs && !this.coolingDown()) {
      this.refresh().catch(noop); // keep serving the current keys meanwhile
    }
  }

  private find(alg: string, kid: string | undefined): KeyObject | undefined {
    const candidates = this.keys.filter(
      (key) => (kid === undefined || key.kid === kid) && fits(key, alg),
    );
    // Without a kid, only an unambiguous key will do.
    return kid === undefined && candidates.length !== 1 ? undefined : candidates[0]?.key;
  }

  private coolingDown(): boolean {
    return Date.now() - this.attemptedAtMs < this.options.jwksCooldownMs;
  }

  /** One fetch at a time; callers arriving meanwhile share it. */
  private refresh(): Promise<void> {
    this.pending ??= this.load().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async load(): Promise<void> {
    this.attemptedAtMs = Date.now();
    const remote = await this.remoteSet();
    try {
      await remote.reload();
    } catch (cause) {
      throw new IssuerUnavailableError('issuer JWKS fetch failed', { cause });
    }
    const keys = (remote.jwks()?.keys ?? []).map(importKey);
    this.keys = keys.filter((key): key is IssuerKey => key !== undefined);
    this.loadedAtMs = Date.now();
  }

  private remoteSet(): Promise<RemoteJWKSet> {
    this.remote ??= (async () => {
      const { issuer, httpTimeoutMs } = this.options;
      const url = this.options.jwksUri ?? (await discoverJwksUri(issuer, httpTimeoutMs));
      // Freshness and cool-down are ours (they count failures too); jose only fetches.
      return createRemoteJWKSet(url, {
        timeoutDuration: httpTimeoutMs,
        cooldownDuration: 0,
        cacheMaxAge: Number.POSITIVE_INFINITY,
      });
    })();
    this.remote.catch(() => {
      this.remote = undefined; // discovery failed: try again after the cool-down
    });
    return this.remote;
  }
}
