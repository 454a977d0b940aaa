import { MINIMAL_REGISTRATION, register, type RegistrationReply } from './register.js';

/** Registers with `authorization` as the Authorization header (the auth specs' argument order). */
export function registerAs(
  url: string,
  authorization?: string,
  body: Record<string, unknown> = MINIMAL_REGISTRATION,
): Promise<RegistrationReply> {
  return register(url, body, authorization);
}
