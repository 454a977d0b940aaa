/** The registration body every scenario receives (~200 bytes of RFC 7591 metadata). */
export const REGISTRATION_BODY = JSON.stringify({
  redirect_uris: ['https://client.example.org/callback'],
  client_name: 'Benchmark Client',
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

export const CONNECTIONS = 50;
