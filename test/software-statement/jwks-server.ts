import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/** A real JWKS endpoint on 127.0.0.1 that counts how often it is fetched. */
export interface JwksServer {
  readonly jwksUri: string;
  /** GET requests served so far. */
  readonly fetches: number;
  /** Replaces the published keys (a key rotation); `status` other than 200 simulates an outage. */
  publish(keys: JWK[], status?: number): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  let published = keys;
  let status = 200;
  let fetches = 0;
  const server: Server = createServer((request, response) => {
    fetches++;
    if (request.method !== 'GET' || request.url !== '/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(status, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUri: `http://127.0.0.1:${port}/jwks.json`,
    get fetches() {
      return fetches;
    },
    publish(keys: JWK[], newStatus = 200) {
      published = keys;
      status = newStatus;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
