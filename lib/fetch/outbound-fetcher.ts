import { OutboundFetchError } from './outbound-fetch.errors.js';

/** One GET on a client's behalf. */
export interface OutboundRequest {
  /** Media types accepted (compared without parameters, case-insensitively), e.g. `application/json`. */
  readonly contentTypes: readonly string[];
  /** A smaller body cap than the fetcher's own (`fetch.maxBodyBytes`); a larger one is cut to it. */
  readonly maxBodyBytes?: number;
}

/** A 200 response, its body read in full within the caps. */
export interface OutboundResponse {
  /** Header names in lower case; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/** A 200 response whose body parsed as JSON. */
export interface OutboundJsonResponse {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly value: unknown;
}

/**
 * Fetches URLs that a stranger named (sector_identifier_uri, Client ID
 * Metadata Documents, jwks_uri): the one way the module reaches out. The
 * default, GuardedOutboundFetcher, contacts only public addresses over
 * https, never follows a redirect and caps time and size; a class of your
 * own (the `fetcher` extra of forRoot) replaces it and must keep those rules.
 * Every failure is an OutboundFetchError.
 */
export abstract class OutboundFetcher {
  abstract fetch(url: string, request: OutboundRequest): Promise<OutboundResponse>;

  /** fetch, then the body parsed as JSON (UTF-8). */
  async fetchJson(url: string, request: OutboundRequest): Promise<OutboundJsonResponse> {
    const { headers, body } = await this.fetch(url, request);
    try {
      return { headers, value: JSON.parse(body.toString('utf8')) as unknown };
    } catch {
      throw new OutboundFetchError('invalid_json', 'the response is not valid JSON');
    }
  }
}
