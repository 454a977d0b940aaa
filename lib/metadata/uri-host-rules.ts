import { isIpLiteralHost, isSpecialPurposeAddress } from '../fetch/special-purpose-address.js';
import { invalidMember, quote } from './invalid-member.js';

/** scheme ":" then, for URIs with an authority, "//" authority; the path runs to "?" or "#". */
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The path exactly as written (the WHATWG parser removes `/../` before anyone can see it). */
function rawPath(value: string): string {
  let rest = value.replace(SCHEME, '');
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    rest = end === -1 ? '' : rest.slice(2 + end);
  }
  const query = rest.search(/[?#]/);
  return query === -1 ? rest : rest.slice(0, query);
}

/**
 * Whether a path has a `.` or `..` segment, percent-encoded or not, also with
 * a `;parameters` tail (`/..;/`, which some servers treat as `/../`).
 */
export function hasDotSegment(value: string): boolean {
  // A dot segment starts with "." or "%2e", at the path's start (right after
  // "scheme:", or the whole value without one) or after a "/": without any of
  // those there is none, and most URIs need no path split.
  if (
    !value.includes('/.') &&
    !value.includes(':.') &&
    !value.startsWith('.') &&
    !/%2e/i.test(value)
  ) {
    return false;
  }
  return rawPath(value)
    .split('/')
    .some((segment) => {
      const name = segment.replace(/%2e/gi, '.').split(';', 1)[0];
      return name === '.' || name === '..';
    });
}

const NO_HOSTS: ReadonlySet<string> = new Set();

/**
 * A URI member's host: never a `*` (no wildcards: every URI is matched
 * exactly), and for http(s), never an IP literal in a special-purpose range
 * in any spelling the WHATWG parser accepts (`127.1`, `2130706433`,
 * `0x7f.0.0.1`, `[::ffff:169.254.169.254]`: `url` is already normalised).
 * `allowedLiterals` are hosts a rule admits anyway (loopback redirect URIs).
 */
export function checkUriHost(
  member: string,
  value: string,
  url: URL,
  allowedLiterals: ReadonlySet<string> = NO_HOSTS,
): void {
  if (url.host.includes('*') || /%2a/i.test(url.host)) {
    throw invalidMember(member, `holds ${quote(value)}: a host must not hold a wildcard`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return;
  if (allowedLiterals.has(url.hostname)) return;
  if (isIpLiteralHost(url.hostname) && isSpecialPurposeAddress(url.hostname)) {
    throw invalidMember(
      member,
      `holds ${quote(value)}: its host is a special-purpose (internal) IP address`,
    );
  }
}

/** Redirect URIs are compared exactly: a dot-segment could only mean another path on the server. */
export function checkNoDotSegments(member: string, value: string): void {
  if (hasDotSegment(value)) {
    throw invalidMember(member, `holds ${quote(value)}: must not contain . or .. path segments`);
  }
}
