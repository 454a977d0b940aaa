import { DcrConfigurationError } from '../errors/dcr-configuration.error.js';

/** The `clientIdMetadataDocuments` option: limits and trust for URL client_ids. */
export interface ClientIdMetadataDocumentOptions {
  /** Resolve URL client_ids at all. Default true. */
  enabled?: boolean;
  /** Largest document, in bytes. Default 5120 (5 KiB); never above `fetch.maxBodyBytes`. */
  maxDocumentBytes?: number;
  /** A document is kept at least this long, whatever its headers say. Default 300 (5 minutes). */
  minCacheSeconds?: number;
  /** ... and at most this long. Default 86400 (a day). */
  maxCacheSeconds?: number;
  /** Documents kept at once (oldest go first). Default 1000. */
  maxCacheEntries?: number;
  /**
   * Hosts whose documents are trusted: `example.com` (that host) or
   * `.example.com` (its subdomains). Unset: every host not denied.
   */
  allowedHosts?: string[];
  /** Hosts never trusted, in the same form; they win over allowedHosts. */
  deniedHosts?: string[];
}

export interface ResolvedClientIdMetadataDocumentOptions {
  enabled: boolean;
  maxDocumentBytes: number;
  minCacheSeconds: number;
  maxCacheSeconds: number;
  maxCacheEntries: number;
  allowedHosts?: readonly string[];
  deniedHosts: readonly string[];
}

export const DEFAULT_CIMD_MAX_DOCUMENT_BYTES = 5 * 1024;

const OPTION_NAMES = [
  'enabled',
  'maxDocumentBytes',
  'minCacheSeconds',
  'maxCacheSeconds',
  'maxCacheEntries',
  'allowedHosts',
  'deniedHosts',
] as const satisfies readonly (keyof ClientIdMetadataDocumentOptions)[];

const PREFIX = 'clientIdMetadataDocuments';

function count(option: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min) {
    throw new DcrConfigurationError(`${PREFIX}.${option}`, `must be an integer of at least ${min}`);
  }
  return value as number;
}

/** Lower-case host names, optionally with a leading dot for "any subdomain". */
function hostList(option: string, value: unknown): string[] {
  const hosts = value as unknown[];
  if (!Array.isArray(hosts)) {
    throw new DcrConfigurationError(`${PREFIX}.${option}`, 'must be an array of host names');
  }
  for (const host of hosts) {
    const name = typeof host === 'string' ? host.replace(/^\./, '') : '';
    if (name === '' || URL.parse(`https://${name}/`)?.hostname !== name) {
      throw new DcrConfigurationError(
        `${PREFIX}.${option}`,
        `holds ${JSON.stringify(host)}, which is not a lower-case host name (or .domain)`,
      );
    }
  }
  return hosts as string[];
}

export function resolveClientIdMetadataDocumentOptions(
  options: ClientIdMetadataDocumentOptions | undefined,
  fetchMaxBodyBytes: number,
): ResolvedClientIdMetadataDocumentOptions {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw new DcrConfigurationError(PREFIX, 'must be an object');
  }
  const input = options ?? {};
  const unknown = Object.keys(input).find(
    (key) => !(OPTION_NAMES as readonly string[]).includes(key),
  );
  if (unknown !== undefined) {
    throw new DcrConfigurationError(
      `${PREFIX}.${unknown}`,
      'is not a clientIdMetadataDocuments option',
    );
  }
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') {
    throw new DcrConfigurationError(`${PREFIX}.enabled`, 'must be true or false');
  }
  const minCacheSeconds = count('minCacheSeconds', input.minCacheSeconds, 300, 0);
  const maxCacheSeconds = count('maxCacheSeconds', input.maxCacheSeconds, 86400, 0);
  if (maxCacheSeconds < minCacheSeconds) {
    throw new DcrConfigurationError(
      `${PREFIX}.maxCacheSeconds`,
      'must not be below minCacheSeconds',
    );
  }
  return {
    enabled: input.enabled ?? true,
    maxDocumentBytes: Math.min(
      count('maxDocumentBytes', input.maxDocumentBytes, DEFAULT_CIMD_MAX_DOCUMENT_BYTES, 1),
      fetchMaxBodyBytes,
    ),
    minCacheSeconds,
    maxCacheSeconds,
    maxCacheEntries: count('maxCacheEntries', input.maxCacheEntries, 1000, 0),
    allowedHosts:
      input.allowedHosts === undefined ? undefined : hostList('allowedHosts', input.allowedHosts),
    deniedHosts: hostList('deniedHosts', input.deniedHosts ?? []),
  };
}
