import { Injectable } from '@nestjs/common';
import { exportJWK, generateKeyPair, generateSecret, type JWK } from 'jose';
import { InMemoryClientStore } from '../../lib/store/in-memory-client-store.js';
import type { StoredClient } from '../../lib/store/stored-client.js';

export { register, type RegistrationReply } from '../support/register.js';

/** Real keys as a client would hold them: the public JWK it registers, and what it must not send. */
export interface ClientKeys {
  publicJwk: JWK;
  privateJwk: JWK;
  secretJwk: JWK;
}

export async function generateClientKeys(): Promise<ClientKeys> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const secret = await generateSecret('HS256', { extractable: true });
  return {
    publicJwk: { ...(await exportJWK(publicKey)), kid: 'es-1' },
    privateJwk: { ...(await exportJWK(privateKey)), kid: 'es-1' },
    secretJwk: await exportJWK(secret),
  };
}

/** The in-memory store, recording every client it is asked to create. */
@Injectable()
export class RecordingClientStore extends InMemoryClientStore {
  readonly created: StoredClient[] = [];

  override async create(client: StoredClient): Promise<void> {
    this.created.push(structuredClone(client));
    await super.create(client);
  }
}
