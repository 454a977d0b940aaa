import type { ServerParams, StartServer, ScenarioServer } from '../scenario.js';
import {
  bootstrapToken,
  freshHostDatabase,
  hostDataDir,
  MACHINE_CLIENT_BODY,
  registerMachineClient,
  startSampleHost,
  type RunningHost,
} from './sample-host.js';
import { clientCredentialsRequest } from './token-request.js';

/** params.store `pglite` (default) or `postgres`; params.instances (PostgreSQL only) how many hosts. */
async function startHosts(params: ServerParams): Promise<RunningHost[]> {
  const dataDir = await hostDataDir();
  const instances = Number(params.instances ?? '1');
  if (params.store !== 'postgres') {
    if (instances !== 1) throw new Error('PGlite serves one process only');
    return [await startSampleHost({ DCR_DATA_DIR: dataDir })];
  }
  const env = { DCR_DATA_DIR: dataDir, DATABASE_URL: await freshHostDatabase() };
  // The first creates the keys and migrates; the others then start beside it.
  const first = await startSampleHost(env);
  const others = await Promise.all(
    Array.from({ length: instances - 1 }, () => startSampleHost(env)),
  );
  return [first, ...others];
}

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
  const { clientId, clientSecret } = await registerMachineClient(hosts[0], bearer);
  return {
    ...urls('/oidc/token'),
    ...clientCredentialsRequest(clientId, clientSecret),
    processIds,
  };
};
