import { createServer, type RequestListener } from 'node:http';
import type { StartServer } from '../scenario.js';
import { listenOnLoopback } from './listen.js';

/** The slice of oidc-provider 9's API this scenario uses (the package ships no types). */
interface OidcProvider {
  callback(): RequestListener;
  InitialAccessToken: new (payload: object) => { save(): Promise<string> };
}
type OidcProviderClass = new (issuer: string, configuration: object) => OidcProvider;

/**
 * node-oidc-provider 9's own registration endpoint (/reg) behind an initial
 * access token, on its Koa app mounted on node:http, with its in-memory adapter.
 */
export const startServer: StartServer = async () => {
  // A variable specifier: the untyped ESM package is loaded at run time only.
  const specifier = 'oidc-provider';
  const { Provider } = (await import(specifier)) as { Provider: OidcProviderClass };
  const provider = new Provider('http://127.0.0.1', {
    features: {
      registration: { enabled: true, initialAccessToken: true },
      devInteractions: { enabled: false },
    },
  });
  const token = await new provider.InitialAccessToken({}).save();
  const base = await listenOnLoopback(createServer(provider.callback()));
  return { url: base + '/reg', headers: { authorization: `Bearer ${token}` } };
};
