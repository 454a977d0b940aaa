import { createServer } from 'node:http';
import type { StartServer } from '../scenario.js';
import { listenOnLoopback } from './listen.js';

/** The ceiling: node:http reads the body, parses the JSON and answers 201 with a small JSON. */
export const startServer: StartServer = async () => {
  let issued = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      let body: { client_name?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
      } catch {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end('{"error":"invalid_request"}');
        return;
      }
      response.writeHead(201, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ client_id: String(++issued), client_name: body.client_name }));
    });
  });
  return { url: (await listenOnLoopback(server)) + '/connect/dcr' };
};
