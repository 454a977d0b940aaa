import { DcrException } from '../errors/dcr.exception.js';

/** Members whose problems RFC 7591 §3.2.2 reports as invalid_redirect_uri. */
const REDIRECT_URI_MEMBER = 'redirect_uris';

/**
 * The one way a metadata rule fails: HTTP 400 with invalid_redirect_uri for
 * redirect_uris, invalid_client_metadata otherwise, and a description that
 * starts with the member's name. Subclass steps use it too.
 */
export function invalidMember(member: string, problem: string): DcrException {
  const description = `${member} ${problem}`;
  const exception =
    member === REDIRECT_URI_MEMBER
      ? DcrException.invalidRedirectUri(description)
      : DcrException.invalidClientMetadata(description);
  exception.member = member;
  return exception;
}

/** A value quoted for an error description, cut short so a huge value never fills the response. */
export function quote(value: string): string {
  const shown = value.length > 64 ? `${value.slice(0, 61)}...` : value;
  return JSON.stringify(shown);
}
