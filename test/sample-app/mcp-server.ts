import { once } from 'node:events';
import type { Server } from 'node:http';
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import {
  getOAuthProtectedResourceMetadataUrl,
  mcpAuthMetadataRouter,
} from '@modelcontextprotocol/sdk/server/auth/router.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { OAuthMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import express from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';

/** The tool the test MCP server offers: who the token says is calling. */
export const WHOAMI_TOOL = 'whoami';

/**
 * A small MCP server protected the way the MCP SDK documents it: protected
 * resource metadata (RFC 9728) naming the host as its authorization server,
 * and the SDK's bearer middleware, whose verifier checks our RFC 9068 JWTs
 * against the host's jwks_uri with this server's URL as the audience.
 */
export class TestMcpServer {
  private server?: Server;

  constructor(
    /** The resource indicator, e.g. http://127.0.0.1:PORT/mcp. */
    readonly resource: string,
    private readonly requiredScope: string,
  ) {}

  async start(authorizationServer: OAuthMetadata): Promise<void> {
    const resourceUrl = new URL(this.resource);
    const jwks = createRemoteJWKSet(new URL(authorizationServer.jwks_uri!));
    const verifier = {
      verifyAccessToken: async (token: string): Promise<AuthInfo> => {
        try {
          const { payload } = await jwtVerify(token, jwks, {
            issuer: authorizationServer.issuer,
            audience: this.resource,
            typ: 'at+jwt',
          });
          return {
            token,
            clientId: String(payload.client_id),
            scopes: typeof payload.scope === 'string' ? payload.scope.split(' ') : [],
            expiresAt: payload.exp,
            resource: new URL(String(payload.aud)),
            extra: { sub: payload.sub },
          };
        } catch (error) {
          throw new InvalidTokenError((error as Error).message);
        }
      },
    };

    const app = express();
    app.use(
      mcpAuthMetadataRouter({
        oauthMetadata: authorizationServer,
        resourceServerUrl: resourceUrl,
        scopesSupported: [this.requiredScope],
        resourceName: 'nestjs-dcr test MCP server',
      }),
    );
    app.post(
      resourceUrl.pathname,
      express.json(),
      requireBearerAuth({
        verifier,
        requiredScopes: [this.requiredScope],
        resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(resourceUrl),
        expectedResource: resourceUrl,
      }),
      async (req, res) => {
        // Stateless: one server and transport per request, as the SDK's examples do.
        const mcp = new McpServer({ name: 'dcr-test', version: '1.0.0' });
        mcp.registerTool(
          WHOAMI_TOOL,
          { description: 'The caller, as its token says' },
          (extra) => ({
            content: [
              { type: 'text', text: `${extra.authInfo?.clientId} ${extra.authInfo?.extra?.sub}` },
            ],
          }),
        );
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on('close', () => {
          void transport.close();
          void mcp.close();
        });
        await mcp.connect(transport);
        await transport.handleRequest(req, res, req.body);
      },
    );
    this.server = app.listen(Number(resourceUrl.port), resourceUrl.hostname);
    await once(this.server, 'listening');
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}
