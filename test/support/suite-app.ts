import type { INestApplication, Type } from '@nestjs/common';
import { baseUrl, startApp, type AdapterName } from './adapters.js';

/** The app a describe block booted, and its registration endpoint; both are set once beforeAll has run. */
export interface DcrSuiteApp {
  app(): INestApplication;
  url(): string;
}

/**
 * Most e2e describe blocks boot one app for all their tests and close it after:
 * this registers those beforeAll/afterAll hooks so each spec states only its
 * module. `module` is called in beforeAll, so it may use what earlier hooks set up.
 */
export function useDcrApp(
  adapter: AdapterName,
  module: () => Type | object | Promise<Type | object>,
): DcrSuiteApp {
  let app: INestApplication | undefined;
  let url: string | undefined;
  beforeAll(async () => {
    app = await startApp(adapter, await module());
    url = (await baseUrl(app)) + '/connect/dcr';
  });
  afterAll(() => app?.close());
  return {
    app: () => app ?? notBooted(),
    url: () => url ?? notBooted(),
  };
}

function notBooted(): never {
  throw new Error('useDcrApp: the app is read before its beforeAll has booted it');
}
