import type { DcrCaller } from '../registration/dcr-caller.js';

/** Granted scopes: a space-delimited `scope` (RFC 9068 §2.2.3) or `scp`, as an array or a string. */
export function scopesOf(claims: Readonly<Record<string, unknown>>): string[] {
  const { scope, scp } = claims;
  if (typeof scope === 'string') return scope.split(' ').filter(Boolean);
  if (Array.isArray(scp)) return scp.filter((item): item is string => typeof item === 'string');
  if (typeof scp === 'string') return scp.split(' ').filter(Boolean);
  return [];
}

/** The caller a verified JWT access token describes. */
export function bearerCaller(claims: Readonly<Record<string, unknown>>): DcrCaller {
  const { sub, client_id: clientId, azp } = claims;
  return {
    kind: 'bearer',
    subject: typeof sub === 'string' ? sub : undefined,
    clientId: typeof clientId === 'string' ? clientId : typeof azp === 'string' ? azp : undefined,
    scopes: scopesOf(claims),
    claims,
  };
}
