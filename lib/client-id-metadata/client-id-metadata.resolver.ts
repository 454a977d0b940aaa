import { Inject, Injectable } from '@nestjs/common';
import { VerifiedTokenCache } from '../auth/verified-token-cache.js';
import { DCR_OPTIONS } from '../dcr.module-definition.js';
import type { ResolvedDcrOptions } from '../dcr.options.js';
import { DcrException } from '../errors/dcr.exception.js';
import { OutboundFetchError } from '../fetch/outbound-fetch.errors.js';
import { OutboundFetcher } from '../fetch/outbound-fetcher.js';
import type { ClientMetadata } from '../metadata/client-metadata.js';
import { ClientMetadataValidator } from '../metadata/client-metadata.validator.js';
import { RegistrationContext } from '../registration/registration-context.js';
import { cacheLifetimeSeconds } from './cache-lifetime.js';
import { checkDocumentRules } from './client-id-metadata-document.rules.js';
import { ClientIdMetadataError } from './client-id-metadata.errors.js';
import { ClientIdMetadataPolicy } from './client-id-metadata.policy.js';
import { parseClientIdUrl } from './client-id-url.js';

/** A URL client_id resolved to its validated metadata. */
export interface ResolvedClientIdMetadata {
  clientId: string;
  /** The document's host: what a consent page shows as the client's identity. */
  host: string;
  /** Validated by the module's metadata rules, defaults filled in. */
  metadata: ClientMetadata;
  /** When the cached copy expires, ms since the epoch. */
  expiresAtMs: number;
}

/**
 * Resolves a URL client_id (a Client ID Metadata Document). Every failure is
 * a ClientIdMetadataError; an authorization server turns it into
 * `invalid_client`. The default is DefaultClientIdMetadataResolver.
 */
export abstract class ClientIdMetadataResolver {
  abstract resolve(clientId: string): Promise<ResolvedClientIdMetadata>;
}

/**
 * URL rules → policy → cache → one fetch through the guarded fetcher (the
 * document cap, 200 and application/json only, no redirects) → CIMD's own
 * rules → the module's ClientMetadataValidator. Valid documents are cached
 * for their HTTP lifetime within the configured bounds; failures and invalid
 * documents never are. Concurrent resolves of one URL share one fetch.
 */
@Injectable()
export class DefaultClientIdMetadataResolver extends ClientIdMetadataResolver {
  private readonly cache: VerifiedTokenCache<ResolvedClientIdMetadata>;
  private readonly pending = new Map<string, Promise<ResolvedClientIdMetadata>>();

  constructor(
    protected readonly fetcher: OutboundFetcher,
    protected readonly validator: ClientMetadataValidator,
    protected readonly policy: ClientIdMetadataPolicy,
    @Inject(DCR_OPTIONS) protected readonly options: ResolvedDcrOptions,
  ) {
    super();
    this.cache = new VerifiedTokenCache(options.clientIdMetadataDocuments.maxCacheEntries);
  }

  async resolve(clientId: string): Promise<ResolvedClientIdMetadata> {
    if (!this.options.clientIdMetadataDocuments.enabled) {
      throw new ClientIdMetadataError('invalid_client_id', 'URL client_ids are not accepted here');
    }
    const url = parseClientIdUrl(clientId);
    if (!(await this.policy.isTrusted(url))) {
      throw new ClientIdMetadataError(
        'untrusted_host',
        `client_id metadata documents from ${url.hostname} are not trusted here`,
      );
    }
    const cached = this.cache.get(clientId, this.now());
    if (cached) return cached;
    let request = this.pending.get(clientId);
    if (!request) {
      request = this.fetchDocument(clientId, url).finally(() => this.pending.delete(clientId));
      this.pending.set(clientId, request);
    }
    return request;
  }

  protected async fetchDocument(clientId: string, url: URL): Promise<ResolvedClientIdMetadata> {
    const { headers, value } = await this.fetcher
      .fetchJson(clientId, {
        contentTypes: ['application/json'],
        maxBodyBytes: this.options.clientIdMetadataDocuments.maxDocumentBytes,
      })
      .catch((error: unknown) => {
        const problem = error instanceof OutboundFetchError ? `: it ${error.message}` : '';
        throw new ClientIdMetadataError(
          'fetch_failed',
          `the client_id metadata document could not be fetched${problem}`,
        );
      });
    const metadata = await this.validateDocument(clientId, value);
    const { minCacheSeconds: min, maxCacheSeconds: max } = this.options.clientIdMetadataDocuments;
    const nowMs = this.now();
    const resolved: ResolvedClientIdMetadata = {
      clientId,
      host: url.hostname,
      metadata,
      expiresAtMs: nowMs + cacheLifetimeSeconds(headers, { min, max }, nowMs) * 1000,
    };
    this.cache.set(clientId, resolved, resolved.expiresAtMs);
    return resolved;
  }

  /** CIMD's rules, then the module's metadata rules (the same as for a registration). */
  protected async validateDocument(clientId: string, document: unknown): Promise<ClientMetadata> {
    const members = checkDocumentRules(document, clientId);
    try {
      return await this.validator.validate(new RegistrationContext({}, undefined, members));
    } catch (error) {
      if (!(error instanceof DcrException)) throw error;
      throw new ClientIdMetadataError(
        'invalid_document',
        `the client_id metadata document is invalid: ${error.description ?? error.code}`,
      );
    }
  }

  protected now(): number {
    return Date.now();
  }
}
