import { Injectable } from '@nestjs/common';
import { exportJWK, generateKeyPair, generateSecret, type JWK } from 'jose';
import { InMemoryClientStore } from '../../lib/store/in-memory-client-store.js';
import type { StoredClient } from '../../lib/store/stored-client.js';

/** What a registration request got back. */
export interface RegistrationReply {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs `metadata` as JSON (a string is sent as it is) to the registration endpoint at `url`. */
export async function register(url: string, metadata: unknown): Promise<RegistrationReply> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof metadata === 'string' ? metadata : JSON.stringify(metadata),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

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
