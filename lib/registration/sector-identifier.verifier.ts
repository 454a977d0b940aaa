import { Injectable } from '@nestjs/common';
import { OutboundFetchError } from '../fetch/outbound-fetch.errors.js';
import { OutboundFetcher } from '../fetch/outbound-fetcher.js';
import type { ClientMetadata } from '../metadata/client-metadata.js';
import { invalidMember, quote } from '../metadata/invalid-member.js';

const MEMBER = 'sector_identifier_uri';

/**
 * OIDC DCR §5: a registered sector_identifier_uri is fetched (through the
 * guarded fetcher) and must name a JSON array of strings holding every
 * redirect URI. Runs after the validator, on registration and on RFC 7592
 * update, whichever validator class is in use. Every failure is a 400
 * invalid_client_metadata.
 */
@Injectable()
export class SectorIdentifierVerifier {
  constructor(protected readonly fetcher: OutboundFetcher) {}

  /** Undefined (nothing to await) when no sector_identifier_uri is registered: most registrations. */
  verify(metadata: ClientMetadata): Promise<void> | undefined {
    const uri = metadata.sector_identifier_uri;
    return uri === undefined ? undefined : this.verifyListed(uri, metadata);
  }

  protected async verifyListed(uri: string, metadata: ClientMetadata): Promise<void> {
    const listed = await this.fetchList(uri);
    const missing = (metadata.redirect_uris ?? []).find((redirect) => !listed.has(redirect));
    if (missing !== undefined) {
      throw invalidMember(MEMBER, `does not list the redirect URI ${quote(missing)}`);
    }
  }

  protected async fetchList(uri: string): Promise<ReadonlySet<string>> {
    let value: unknown;
    try {
      ({ value } = await this.fetcher.fetchJson(uri, { contentTypes: ['application/json'] }));
    } catch (error) {
      // A fetcher of the user's that throws something else still gets a 400, without its detail.
      const problem = error instanceof OutboundFetchError ? `: ${error.message}` : '';
      throw invalidMember(MEMBER, `could not be fetched${problem}`);
    }
    if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
      throw invalidMember(MEMBER, 'must name a JSON array of strings (OIDC DCR §5)');
    }
    return new Set(value as string[]);
  }
}
