import type { ClientMetadata } from '../metadata/client-metadata.js';
import type { RegistrationPolicy } from '../registration/registration-policy.js';

/** A registered client as the store keeps it: metadata plus hashed credentials. */
export interface StoredClient {
  clientId: string;
  /** The registered metadata, exactly as echoed to the client (no credentials). */
  metadata: ClientMetadata;
  /** Seconds since the epoch. */
  clientIdIssuedAt: number;
  /** SHA-256 of the client secret (base64url); absent for auth methods without a secret. */
  clientSecretHash?: string;
  /** Seconds since the epoch; 0 = never expires (RFC 7591 §3.2.1). */
  clientSecretExpiresAt: number;
  /** SHA-256 of the RFC 7592 registration access token; absent when management is off. */
  registrationAccessTokenHash?: string;
  /** Policy bound at registration (e.g. by an initial access token), re-applied on update. */
  policy?: RegistrationPolicy;
  /** Seconds since the epoch of the last successful use (for pruning abandoned clients). */
  lastUsedAt?: number;
  /** Seconds since the epoch of the last write. */
  updatedAt: number;
}

/** An RFC 7591 §3 initial access token, kept only as a hash. */
export interface StoredInitialAccessToken {
  tokenHash: string;
  /** Seconds since the epoch; 0 = never expires. */
  expiresAt: number;
  /** 0 = unlimited. */
  maxUses: number;
  uses: number;
  /** Policy applied to registrations made with this token. */
  policy?: RegistrationPolicy;
}
