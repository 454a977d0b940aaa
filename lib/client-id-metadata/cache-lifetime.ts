/**
 * How long a fetched document may be kept (RFC 9111 §4.2.1, simplified):
 * `max-age` minus `Age`, else `Expires` minus now, `no-store` / `no-cache`
 * meaning 0; then clamped to the server's own [min, max] bounds, so a
 * document without cache headers is kept `min` seconds and a header never
 * keeps one past `max`.
 */
export function cacheLifetimeSeconds(
  headers: Readonly<Record<string, string | undefined>>,
  bounds: { min: number; max: number },
  nowMs: number,
): number {
  let seconds: number | undefined;
  const cacheControl = headers['cache-control'];
  if (cacheControl !== undefined) {
    if (/(?:^|,)\s*(?:no-store|no-cache)\s*(?:,|$)/i.test(cacheControl)) seconds = 0;
    else {
      const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
      if (maxAge) seconds = Number(maxAge[1]) - (Number(headers.age) || 0);
    }
  }
  if (seconds === undefined && headers.expires !== undefined) {
    const at = Date.parse(headers.expires);
    // An Expires that does not parse means "already expired" (RFC 9111 §5.3).
    seconds = Number.isNaN(at) ? 0 : Math.floor((at - nowMs) / 1000);
  }
  return Math.min(bounds.max, Math.max(bounds.min, seconds ?? bounds.min));
}
