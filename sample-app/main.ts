import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Provider } from 'oidc-provider';
import { AppModule } from './app.module.js';
import { ConfigError, loadConfig, type SampleConfig } from './config.js';
import {
  authorizationServerMetadataHandler,
  authorizationServerMetadataPath,
} from './oidc/discovery.js';
import { OIDC_PROVIDER } from './oidc/oidc-provider.module.js';

function readConfig(): SampleConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    // One JSON object per line, for log collectors; messages never carry a secret or token.
    logger: new ConsoleLogger({ json: true }),
  });
  // SIGTERM / SIGINT: stop accepting connections, let in-flight requests finish, then exit.
  app.enableShutdownHooks();
  // Mounted before Nest's body parsers (registered at init): the provider reads raw bodies.
  const provider = app.get<Provider>(OIDC_PROVIDER);
  app.use('/oidc', provider.callback());
  // RFC 8414 §3 path insertion: where MCP clients look for the metadata first.
  app.use(
    authorizationServerMetadataPath(config.oidcIssuer),
    authorizationServerMetadataHandler(provider, new URL(config.oidcIssuer).pathname),
  );
  await app.listen(config.port, config.host);
  new Logger('SampleApp').log(
    `listening on ${config.host}:${config.port}; public URL ${config.publicUrl} ` +
      `(registration ${config.publicUrl}/connect/dcr, issuer ${config.oidcIssuer})`,
  );
}

await main();
