/** An http loopback URI's scheme and host, and its port if any, as written. */
const LOOPBACK_WITH_PORT = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?(?=[/?]|$)/;

/** The URI as written with a loopback port removed; undefined when it is not http loopback. */
function withoutLoopbackPort(uri: string): string | undefined {
  return LOOPBACK_WITH_PORT.test(uri) ? uri.replace(LOOPBACK_WITH_PORT, 'http://$1') : undefined;
}

/**
 * Whether `presented` matches one of the `registered` redirect URIs: exact
 * string comparison, except that for an http loopback URI (localhost,
 * 127.0.0.1, [::1]) the port may differ (RFC 8252 §7.3): a native client
 * such as Claude Code lists `http://localhost/callback` and listens on
 * whatever port it got. Everything but the port still compares exactly.
 */
export function redirectUriMatches(registered: readonly string[], presented: string): boolean {
  if (registered.includes(presented)) return true;
  const portless = withoutLoopbackPort(presented);
  return portless !== undefined && registered.some((uri) => withoutLoopbackPort(uri) === portless);
}
