/**
 * SQLSTATEs that mean "the database can't serve us right now": connection
 * exceptions (class 08), shutdown / not yet accepting connections (57P01-03),
 * too many connections (53300).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/**
 * True when `error` means the database is out of reach rather than that the
 * statement was wrong. Errors the server sent (they carry a severity) are
 * judged by SQLSTATE; anything else the driver threw (refused or reset
 * sockets, pool connect timeouts, "Connection terminated", a closed database)
 * means we never got an answer. JavaScript programming errors are not failures
 * of the database.
 */
export function isConnectionFailure(error: unknown): boolean {
  // Checked by shape, not instanceof: socket errors may come from another realm (e.g. under jest).
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, severity } = error as { name?: unknown; code?: unknown; severity?: unknown };
  if (typeof name !== 'string' || name === 'TypeError' || name === 'RangeError') return false;
  if (typeof severity === 'string' && typeof code === 'string') {
    return UNAVAILABLE_SQLSTATE.test(code);
  }
  return true;
}
