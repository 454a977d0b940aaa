import type { StartServer } from '../scenario.js';
import {
  BENCH_USER,
  CODE_FLOW,
  codeExchangeRequest,
  mintCodes,
  refreshRequest,
  signIn,
} from './code-flow.js';
import { bootstrapToken, registerClient, startHosts } from './sample-host.js';

/** The interactive client the rows register through /connect/dcr, as an MCP client with a back end would. */
const CODE_CLIENT_BODY = JSON.stringify({
  client_name: 'Benchmark web client',
  redirect_uris: [CODE_FLOW.redirectUri],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: CODE_FLOW.scope,
});

/**
 * The real host (sample-app, spawned as `npm start` runs it), its token
 * endpoint for the authorization code grant's two token requests. A client is
 * registered through /connect/dcr and the administrator signs in once through
 * the host's login and consent pages over HTTP. params.grant `code`: the load
 * exchanges params.codes codes, each once, minted beforehand with that
 * session (GET /oidc/auth, one redirect each); `refresh`: it redeems 500
 * refresh tokens of that session in turn (refreshRequest). params.store as in sample-host.ts.
 */
export const startServer: StartServer = async (params) => {
  const [host] = await startHosts(params, {
    DCR_ADMIN_USERNAME: BENCH_USER.username,
    DCR_ADMIN_PASSWORD: BENCH_USER.password,
    DCR_RESOURCES: `${CODE_FLOW.resource} ${CODE_FLOW.scope}`,
  });
  const client = await registerClient(host, await bootstrapToken(host), CODE_CLIENT_BODY);
  const session = await signIn(`${host.url}/oidc/auth`, client);
  const tokenEndpoint = `${host.url}/oidc/token`;
  const request =
    params.grant === 'refresh'
      ? await refreshRequest(tokenEndpoint, client, session)
      : codeExchangeRequest(client, session, await mintCodes(session, Number(params.codes)));
  return { url: tokenEndpoint, ...request, processIds: [host.pid] };
};
