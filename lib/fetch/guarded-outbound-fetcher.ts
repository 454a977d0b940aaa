import { Inject, Injectable } from '@nestjs/common';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction, Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { DCR_FETCH_OPTIONS } from './fetch.tokens.js';
import { OutboundFetchError } from './outbound-fetch.errors.js';
import type { ResolvedAddress, ResolvedOutboundFetchOptions } from './outbound-fetch.options.js';
import {
  OutboundFetcher,
  type OutboundRequest,
  type OutboundResponse,
} from './outbound-fetcher.js';
import { isIpLiteralHost, isSpecialPurposeAddress } from './special-purpose-address.js';

const BLOCKED = 'resolves only to special-purpose (internal) addresses, which are never contacted';

async function resolveWithDns(hostname: string): Promise<readonly ResolvedAddress[]> {
  const answers = await dnsLookup(hostname, { all: true, verbatim: true });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
}

function headerRecord(response: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * The default OutboundFetcher: one GET over node:https, on a fresh
 * connection each time. The address rule is enforced where the socket
 * connects: the `lookup` handed to the socket returns only public addresses
 * (so a name that re-resolves to an internal one between checks, DNS
 * rebinding, is still refused), IP-literal hosts are checked before any
 * connection, and the connected peer's address is checked again. Hosts in
 * `fetch.allowHosts` skip only the address rule.
 */
@Injectable()
export class GuardedOutboundFetcher extends OutboundFetcher {
  /** Built once: parsing Node's ~150 roots plus the extra CA on every request costs ~100 ms. */
  private readonly secureContext?: SecureContext;

  constructor(@Inject(DCR_FETCH_OPTIONS) protected readonly options: ResolvedOutboundFetchOptions) {
    super();
    if (options.ca) this.secureContext = createSecureContext({ ca: [...options.ca] });
  }

  async fetch(url: string, request: OutboundRequest): Promise<OutboundResponse> {
    const target = this.parseTarget(url);
    const exempt = this.isExempt(target);
    if (!exempt && isIpLiteralHost(target.hostname) && isSpecialPurposeAddress(target.hostname)) {
      throw new OutboundFetchError('blocked_address', 'names a special-purpose (internal) address');
    }
    const maxBytes = Math.min(request.maxBodyBytes ?? Infinity, this.options.maxBodyBytes);
    return this.send(target, exempt, request, maxBytes);
  }

  /** One GET on a fresh connection; settles once, whatever fires first. */
  private send(
    target: URL,
    exempt: boolean,
    request: OutboundRequest,
    maxBytes: number,
  ): Promise<OutboundResponse> {
    return new Promise<OutboundResponse>((resolve, reject) => {
      let settled = false;
      const timers: NodeJS.Timeout[] = [];
      const finish = (error: OutboundFetchError | undefined, response?: OutboundResponse) => {
        if (settled) return;
        settled = true;
        for (const timer of timers) clearTimeout(timer);
        if (error) {
          req.destroy();
          reject(error);
        } else resolve(response!);
      };
      const req = httpsRequest({
        hostname: target.hostname.replace(/^\[|\]$/g, ''),
        port: target.port === '' ? 443 : Number(target.port),
        path: `${target.pathname}${target.search}`,
        method: 'GET',
        headers: {
          accept: request.contentTypes.join(', '),
          'accept-encoding': 'identity',
          'user-agent': 'nestjs-dcr',
        },
        agent: false,
        lookup: this.lookupFor(exempt),
        ...(this.secureContext && { secureContext: this.secureContext }),
      });
      timers.push(
        setTimeout(
          () => finish(this.timeout(`did not answer within ${this.options.timeoutMs} ms`)),
          this.options.timeoutMs,
        ),
        setTimeout(
          () =>
            finish(
              this.timeout(`could not be connected within ${this.options.connectTimeoutMs} ms`),
            ),
          this.options.connectTimeoutMs,
        ),
      );
      req.on('socket', (socket: Socket) => {
        socket.once('connect', () => {
          if (!exempt && isSpecialPurposeAddress(socket.remoteAddress ?? '')) {
            finish(new OutboundFetchError('blocked_address', BLOCKED));
          }
        });
        socket.once('secureConnect', () => clearTimeout(timers[1]));
      });
      req.on('error', (error) => finish(this.toFetchError(error)));
      req.on('response', (response) => {
        const problem = this.checkResponse(response, request, maxBytes);
        if (problem) return finish(problem);
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) return finish(this.tooLarge(maxBytes));
          chunks.push(chunk);
        });
        response.on('end', () =>
          finish(undefined, { headers: headerRecord(response), body: Buffer.concat(chunks, size) }),
        );
        response.on('error', (error) => finish(this.toFetchError(error)));
      });
      req.end();
    });
  }

  /** An absolute https URL without credentials. */
  protected parseTarget(url: string): URL {
    const target = URL.parse(url);
    if (!target || target.protocol !== 'https:' || target.hostname === '') {
      throw new OutboundFetchError('invalid_url', 'is not an absolute https URL');
    }
    if (target.username !== '' || target.password !== '') {
      throw new OutboundFetchError('invalid_url', 'must not carry credentials');
    }
    return target;
  }

  /** Listed in `fetch.allowHosts` as host:port, or as host for every port. */
  protected isExempt(target: URL): boolean {
    return this.options.allowHosts.has(target.host) || this.options.allowHosts.has(target.hostname);
  }

  /** Status 200, an accepted media type, no content coding, a Content-Length within the cap. */
  protected checkResponse(
    response: IncomingMessage,
    request: OutboundRequest,
    maxBytes: number,
  ): OutboundFetchError | undefined {
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400) {
      return new OutboundFetchError(
        'redirect',
        `answered ${status}, a redirect, which is never followed`,
      );
    }
    if (status !== 200) return new OutboundFetchError('status', `answered HTTP ${status}, not 200`);
    const type = mediaType(response.headers['content-type']);
    if (!request.contentTypes.some((accepted) => accepted.toLowerCase() === type)) {
      return new OutboundFetchError(
        'content_type',
        `answered with content type ${JSON.stringify(type)}, not ${request.contentTypes.join(' or ')}`,
      );
    }
    const coding = response.headers['content-encoding'];
    if (coding !== undefined && coding.toLowerCase() !== 'identity') {
      return new OutboundFetchError(
        'content_type',
        `answered with content coding ${JSON.stringify(coding)}`,
      );
    }
    const length = Number(response.headers['content-length'] ?? 0);
    if (length > maxBytes) return this.tooLarge(maxBytes);
    return undefined;
  }

  /** The socket's lookup: the resolver's answers, without special-purpose ones unless the host is exempt. */
  protected lookupFor(exempt: boolean): LookupFunction {
    return (hostname, options, callback) => {
      const resolver = this.options.resolveHost ?? resolveWithDns;
      resolver(hostname).then(
        (answers) => {
          const usable = answers.filter(
            ({ address, family }) =>
              (exempt || !isSpecialPurposeAddress(address)) &&
              (!options.family || options.family === family),
          );
          if (usable.length === 0) {
            const error =
              answers.length === 0
                ? new OutboundFetchError('unresolved', 'names a host that does not resolve')
                : new OutboundFetchError('blocked_address', BLOCKED);
            return callback(error as NodeJS.ErrnoException, '', 0);
          }
          if (options.all)
            return callback(
              null,
              usable.map((answer) => ({ ...answer })),
            );
          callback(null, usable[0]!.address, usable[0]!.family);
        },
        () =>
          callback(
            new OutboundFetchError(
              'unresolved',
              'names a host that does not resolve',
            ) as NodeJS.ErrnoException,
            '',
            0,
          ),
      );
    };
  }

  /** Socket, TLS and parser errors become connect_failed (naming Node's code, never a stack). */
  protected toFetchError(error: Error): OutboundFetchError {
    if (error instanceof OutboundFetchError) return error;
    const code = (error as NodeJS.ErrnoException).code;
    return new OutboundFetchError(
      'connect_failed',
      `could not be fetched${code ? ` (${code})` : ''}`,
    );
  }

  private timeout(problem: string): OutboundFetchError {
    return new OutboundFetchError('timeout', problem);
  }

  private tooLarge(maxBytes: number): OutboundFetchError {
    return new OutboundFetchError('too_large', `answered with more than ${maxBytes} bytes`);
  }
}
