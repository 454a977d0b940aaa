import ipaddr from 'ipaddr.js';

/**
 * IPv6 ranges that carry an IPv4 address in their last 32 bits: judged by
 * that address, so `::ffff:127.0.0.1` and `64:ff9b::a9fe:a9fe` (NAT64 for
 * 169.254.169.254) are refused like the IPv4 address they reach.
 */
const EMBEDS_IPV4: ReadonlySet<string> = new Set(['ipv4Mapped', 'rfc6145']);
const NAT64_WELL_KNOWN_PREFIX = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = address.toByteArray();
  return new ipaddr.IPv4(bytes.slice(12));
}

/**
 * Whether an IP address (textual, IPv4 or IPv6) lies in an IANA
 * special-purpose range: loopback, private-use, link-local (cloud metadata),
 * shared, documentation, benchmarking, unique-local, multicast, reserved and
 * the rest ipaddr.js knows. Only `unicast` is public. Unparsable input counts
 * as special, so a caller that passes garbage refuses it.
 */
export function isSpecialPurposeAddress(address: string): boolean {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (!ipaddr.isValid(text)) return true;
  const parsed = ipaddr.parse(text);
  if (parsed.kind() === 'ipv4') return parsed.range() !== 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  if (v6.zoneId !== undefined) return true;
  const range = v6.range();
  if (EMBEDS_IPV4.has(range) || v6.match(NAT64_WELL_KNOWN_PREFIX)) {
    return embeddedIPv4(v6).range() !== 'unicast';
  }
  return range !== 'unicast';
}

/**
 * Only digits and dots can spell a four-part decimal address: names never reach
 * ipaddr.js's parser, which throws and catches for each one (every URI of every
 * registration paid for that).
 */
const DIGITS_AND_DOTS = /^[\d.]+$/;

/** Whether a URL host (WHATWG-normalised: IPv6 in brackets) is an IP literal rather than a name. */
export function isIpLiteralHost(hostname: string): boolean {
  if (hostname.startsWith('[')) return true;
  return DIGITS_AND_DOTS.test(hostname) && ipaddr.IPv4.isValidFourPartDecimal(hostname);
}
