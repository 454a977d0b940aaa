import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy to a real server, to cut the network between an app and
 * its database and restore it on the same port.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private stalled = false;
  port = 0;

  private readonly target: URL;

  /** `targetUrl`: the PostgreSQL connection string the proxy stands in front of. */
  constructor(targetUrl: string) {
    this.target = new URL(targetUrl);
  }

  /** Starts accepting (on the port of the previous open, if any). */
  async open(): Promise<void> {
    const server = createServer((inbound) => {
      if (this.stalled) {
        // Accepted, then never answered: a database that hangs rather than refuses.
        this.sockets.add(inbound);
        inbound.on('close', () => this.sockets.delete(inbound));
        inbound.on('error', () => inbound.destroy());
        return;
      }
      const outbound = createConnection(Number(this.target.port || 5432), this.target.hostname);
      for (const socket of [inbound, outbound]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          inbound.destroy();
          outbound.destroy();
        });
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    // A fixture must never be what keeps the test process alive.
    server.unref();
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    this.port = address.port;
    this.server = server;
  }

  /** Refuses new connections and drops every open one, as a failed network would. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stops forwarding in both directions while still accepting connections. */
  stall(): void {
    this.stalled = true;
    for (const socket of this.sockets) {
      socket.unpipe();
      socket.pause();
    }
  }

  /** Forwards new connections again; those held while stalled are dropped, as a reset network would. */
  resume(): void {
    this.stalled = false;
    for (const socket of this.sockets) socket.destroy();
  }

  /** The target's connection string (same user, password, database), through the proxy. */
  url(): string {
    const url = new URL(this.target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }
}
