import { rootCertificates } from 'node:tls';
import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';

/** An address a name resolves to, as `dns.lookup` reports it. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to its addresses (default: `dns.promises.lookup` with `all: true`). */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The `fetch` option: limits for every URL fetched on a client's behalf. */
export interface OutboundFetchOptions {
  /** Time to open the TCP and TLS connection, in ms. Default 2000. */
  connectTimeoutMs?: number;
  /** Time for the whole exchange (connect, headers, body), in ms. Default 5000. */
  timeoutMs?: number;
  /** Largest body accepted, in bytes (Content-Length and bytes read). Default 65536 (64 KiB). */
  maxBodyBytes?: number;
  /**
   * Hosts exempt from the address rule, as `host` or `host:port` (lower case;
   * IPv6 in brackets). For development and tests only: a listed host may
   * resolve to loopback or a private network. https, redirects and limits
   * still apply.
   */
  allowHosts?: string[];
  /** Extra trusted CA certificates (PEM), added to Node's own roots: for a private CA. */
  ca?: string | string[];
  /** Replaces DNS resolution (tests inject names this way); its answers are checked like DNS's. */
  resolveHost?: HostResolver;
}

export interface ResolvedOutboundFetchOptions {
  connectTimeoutMs: number;
  timeoutMs: number;
  maxBodyBytes: number;
  allowHosts: ReadonlySet<string>;
  /** Undefined: Node's default trust. */
  ca?: readonly string[];
  resolveHost?: HostResolver;
}

export const DEFAULT_FETCH_CONNECT_TIMEOUT_MS = 2000;
export const DEFAULT_FETCH_TIMEOUT_MS = 5000;
export const DEFAULT_FETCH_MAX_BODY_BYTES = 64 * 1024;

const OPTION_NAMES = [
  'connectTimeoutMs',
  'timeoutMs',
  'maxBodyBytes',
  'allowHosts',
  'ca',
  'resolveHost',
] as const satisfies readonly (keyof OutboundFetchOptions)[];

function positiveInteger(option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) <= 0) {
    throw new DcrConfigurationError(option, 'must be a positive integer');
  }
  return value as number;
}

/** `host` or `host:port` exactly as a URL spells its host (lower case, no default port), so it matches what is fetched. */
function allowHost(entry: unknown): string {
  const url = typeof entry === 'string' ? URL.parse(`https://${entry}/`) : null;
  if (!url || url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
    throw new DcrConfigurationError(
      'fetch.allowHosts',
      `holds ${JSON.stringify(entry)}, which is not host or host:port`,
    );
  }
  if (url.host !== entry) {
    throw new DcrConfigurationError(
      'fetch.allowHosts',
      `holds ${JSON.stringify(entry)}; write it as ${JSON.stringify(url.host)}`,
    );
  }
  return entry;
}

export function resolveOutboundFetchOptions(
  options: OutboundFetchOptions | undefined,
): ResolvedOutboundFetchOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new DcrConfigurationError('fetch', 'must be an object');
  }
  const input = options ?? {};
  const unknown = Object.keys(input).find(
    (key) => !(OPTION_NAMES as readonly string[]).includes(key),
  );
  if (unknown !== undefined)
    throw new DcrConfigurationError(`fetch.${unknown}`, 'is not a fetch option');
  const allowHosts = input.allowHosts ?? [];
  if (!Array.isArray(allowHosts)) {
    throw new DcrConfigurationError('fetch.allowHosts', 'must be an array of host or host:port');
  }
  const ca = input.ca === undefined ? undefined : [input.ca].flat();
  if (ca?.some((pem) => typeof pem !== 'string' || !pem.includes('-----BEGIN CERTIFICATE-----'))) {
    throw new DcrConfigurationError('fetch.ca', 'must be PEM certificates');
  }
  if (input.resolveHost !== undefined && typeof input.resolveHost !== 'function') {
    throw new DcrConfigurationError('fetch.resolveHost', 'must be a function');
  }
  const connectTimeoutMs = positiveInteger(
    'fetch.connectTimeoutMs',
    input.connectTimeoutMs,
    DEFAULT_FETCH_CONNECT_TIMEOUT_MS,
  );
  const timeoutMs = positiveInteger('fetch.timeoutMs', input.timeoutMs, DEFAULT_FETCH_TIMEOUT_MS);
  return {
    connectTimeoutMs: Math.min(connectTimeoutMs, timeoutMs),
    timeoutMs,
    maxBodyBytes: positiveInteger(
      'fetch.maxBodyBytes',
      input.maxBodyBytes,
      DEFAULT_FETCH_MAX_BODY_BYTES,
    ),
    allowHosts: new Set(allowHosts.map(allowHost)),
    // tls's `ca` replaces Node's roots: keep them beside the extra ones.
    ca: ca && [...rootCertificates, ...ca],
    resolveHost: input.resolveHost,
  };
}
