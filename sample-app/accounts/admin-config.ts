import { ConfigError } from '../config.js';
import { checkUsername, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH } from './account.js';

/** The administrator account the host makes sure of at start-up. */
export interface AdminConfig {
  username: string;
  /** Unset: generated at first start (printed once) and kept afterwards. */
  password?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** DCR_ADMIN_USERNAME (default `admin`) and DCR_ADMIN_PASSWORD (never echoed). */
export function loadAdminConfig(env: Env): AdminConfig {
  const rawUsername = env.DCR_ADMIN_USERNAME?.trim() || 'admin';
  let username: string;
  try {
    username = checkUsername(rawUsername);
  } catch (error) {
    throw new ConfigError('DCR_ADMIN_USERNAME', `is invalid: ${(error as Error).message}`);
  }
  // Not trimmed: spaces may be part of a password; empty counts as unset.
  const password = env.DCR_ADMIN_PASSWORD === '' ? undefined : env.DCR_ADMIN_PASSWORD;
  if (
    password !== undefined &&
    (password.length < MIN_PASSWORD_LENGTH || password.length > MAX_PASSWORD_LENGTH)
  ) {
    throw new ConfigError(
      'DCR_ADMIN_PASSWORD',
      `must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`,
    );
  }
  return { username, password };
}
