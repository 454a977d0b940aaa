import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { generate } from 'selfsigned';

/** A CA made for one test run, and a server certificate it signed for `names`. */
export interface TestTls {
  caCert: string;
  key: string;
  cert: string;
}

/** Generates a test CA and a leaf certificate for the given DNS names (plus 127.0.0.1). */
export async function generateTestTls(names: string[]): Promise<TestTls> {
  const ca = await generate([{ name: 'commonName', value: 'nestjs-dcr test CA' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: names[0] ?? 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          ...names.map((value) => ({ type: 2 as const, value })),
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { caCert: ca.cert, key: leaf.private, cert: leaf.cert };
}

export type TestHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** An https server on 127.0.0.1 that counts TCP connections and requests per path. */
export interface TestHttpsServer {
  port: number;
  connections(): number;
  requests(path: string): number;
  /** Answers `path` with `handler` from now on. */
  route(path: string, handler: TestHandler): void;
  close(): Promise<void>;
}

export async function startTestHttpsServer(tls: TestTls): Promise<TestHttpsServer> {
  const routes = new Map<string, TestHandler>();
  const counts = new Map<string, number>();
  let connections = 0;
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const handler = routes.get(path);
    if (handler) return handler(req, res);
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}');
  });
  server.on('connection', () => connections++);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    requests: (path) => counts.get(path) ?? 0,
    route: (path, handler) => routes.set(path, handler),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A handler answering JSON with status 200 and the given extra headers. */
export function json(value: unknown, headers: Record<string, string> = {}): TestHandler {
  const body = typeof value === 'string' ? value : JSON.stringify(value);
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', ...headers }).end(body);
  };
}

/** One test CA for `names`, a server for the documents under test and a canary no guarded fetch may reach. */
export interface TestDocumentServers {
  tls: TestTls;
  docs: TestHttpsServer;
  canary: TestHttpsServer;
}

export async function startTestDocumentServers(names: string[]): Promise<TestDocumentServers> {
  const tls = await generateTestTls(names);
  return { tls, docs: await startTestHttpsServer(tls), canary: await startTestHttpsServer(tls) };
}
