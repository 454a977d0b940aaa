/** Access tokens are short-lived: a refresh token renews them. */
export const ACCESS_TOKEN_TTL_SECONDS = 600;

/** Lifetimes in seconds. Codes are redeemed at once; refresh tokens outlive a working day. */
export const PROVIDER_TTL = {
  AccessToken: ACCESS_TOKEN_TTL_SECONDS,
  ClientCredentials: ACCESS_TOKEN_TTL_SECONDS,
  AuthorizationCode: 60,
  IdToken: 3600,
  RefreshToken: 14 * 24 * 3600,
  Grant: 14 * 24 * 3600,
  Interaction: 3600,
  Session: 14 * 24 * 3600,
};
