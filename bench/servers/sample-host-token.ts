import type { StartServer, ScenarioServer } from '../scenario.js';
import { bootstrapToken, MACHINE_CLIENT_BODY, registerClient, startHosts } from './sample-host.js';
import { clientCredentialsRequest } from './token-request.js';

/**
 * The real host (sample-app, spawned as `npm start` runs it). params.target
 * `token`: its token endpoint, for a client registered through /connect/dcr;
 * `register`: its registration endpoint, with the bootstrap client's token.
 * Several instances are loaded round robin; CPU and RSS are theirs, summed.
 */
export const startServer: StartServer = async (params) => {
  const hosts = await startHosts(params);
  const bearer = await bootstrapToken(hosts[0]);
  const processIds = hosts.map((host) => host.pid);
  const urls = (path: string): Pick<ScenarioServer, 'url' | 'moreUrls'> => ({
    url: hosts[0].url + path,
    moreUrls: hosts.slice(1).map((host) => host.url + path),
  });
  if (params.target === 'register') {
    return {
      ...urls('/connect/dcr'),
      headers: { authorization: `Bearer ${bearer}` },
      request: { body: MACHINE_CLIENT_BODY, contentType: 'application/json', expectedStatus: 201 },
      processIds,
    };
  }
  const { clientId, clientSecret } = await registerClient(hosts[0], bearer);
  return {
    ...urls('/oidc/token'),
    ...clientCredentialsRequest(clientId, clientSecret),
    processIds,
  };
};
