import type { RegistrationAuthOptions } from '../../lib/auth/registration-auth.options.js';

/**
 * For specs about the pipeline rather than authentication: registration is
 * protected by default, so they opt into open registration without the
 * per-address rate limit (which a table of requests from 127.0.0.1 would hit).
 */
export const OPEN_REGISTRATION: RegistrationAuthOptions = { mode: 'open', rateLimit: false };
